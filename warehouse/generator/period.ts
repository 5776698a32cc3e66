/**
 * The simulated period and the output calendar derived from the options: base day
 * (the day before --from), the burn-in start, E (the initial batch date), the daily
 * batches, the snapshot days, the months covered by truth.json and the Spring Festivals.
 */
import { springFestivalDate } from '../reference/festival.ts';
import { FESTIVAL_WINDOW } from '../reference/festival.ts';
import { dateOfMonth, dayOf, monthEnd, monthOfDay, monthOfIso, monthStart, yearOfDay } from './day-numbers.ts';

/**
 * Days simulated before the base day: more than a year, so that the base state already
 * carries the previous festival and its after-effects (festival moves in flight, the
 * post-festival unemployment bump decaying): the series is periodic from --from on.
 */
export const BURN_IN_DAYS = 400;

export interface Festival {
  readonly year: number;
  /** Day number of 正月初一. */
  readonly day: number;
}

export interface Period {
  readonly fromMonth: number;
  readonly toMonth: number;
  /** First day of --from. */
  readonly fromDay: number;
  /** Day before --from: the base snapshot's date. */
  readonly baseDay: number;
  /** Start of the simulation (persons exist from here; events before baseDay are not exported). */
  readonly simStart: number;
  /** Last day of --to. */
  readonly toEnd: number;
  /** E: the initial batch folder date. */
  readonly initialBatchDay: number;
  /** Daily batch days E+1 .. E+N. */
  readonly dailyBatchDays: readonly number[];
  /** The last recorded day of any exported event (E−1 + N). */
  readonly lastRecordDay: number;
  /** Snapshot days: [baseDay, toEnd, then D−1 for each daily batch D on the 1st of a month]. */
  readonly snapshotDays: readonly number[];
  /** Months of truth.json monthEnd/flows: --from .. the last complete month up to lastRecordDay. */
  readonly truthMonths: readonly number[];
  /** Months with a submissions file: --from .. the month of lastRecordDay. */
  readonly submissionMonths: readonly number[];
  /** Festivals the simulation must handle (check day inside the simulation or just before). */
  readonly festivals: readonly Festival[];
  /** Festivals reported in truth.json: window day −45..+60 intersects [fromDay, lastRecordDay]. */
  readonly truthFestivals: readonly Festival[];
}

export function buildPeriod(from: string, to: string, daily: number): Period {
  const fromMonth = monthOfIso(from), toMonth = monthOfIso(to);
  const fromDay = monthStart(fromMonth);
  const baseDay = fromDay - 1;
  const toEnd = monthEnd(toMonth);
  const initialBatchDay = toEnd + 1;
  const dailyBatchDays = Array.from({ length: daily }, (_, k) => initialBatchDay + k + 1);
  const lastRecordDay = toEnd + daily;
  const snapshotDays = [baseDay, toEnd, ...dailyBatchDays.filter((d) => dateOfMonth(d) === 1).map((d) => d - 1)];
  const lastCompleteMonth = monthEnd(monthOfDay(lastRecordDay)) === lastRecordDay ? monthOfDay(lastRecordDay) : monthOfDay(lastRecordDay) - 1;
  const truthMonths: number[] = [];
  for (let m = fromMonth; m <= lastCompleteMonth; m++) truthMonths.push(m);
  const submissionMonths: number[] = [];
  for (let m = fromMonth; m <= monthOfDay(lastRecordDay); m++) submissionMonths.push(m);
  const simStart = baseDay - BURN_IN_DAYS;
  const festivals: Festival[] = [];
  for (let y = yearOfDay(simStart); y <= yearOfDay(lastRecordDay) + 1; y++) festivals.push({ year: y, day: dayOf(springFestivalDate(y)) });
  const truthFestivals = festivals.filter((f) => f.day + FESTIVAL_WINDOW.after >= fromDay && f.day - FESTIVAL_WINDOW.before <= lastRecordDay);
  return {
    fromMonth, toMonth, fromDay, baseDay, simStart, toEnd, initialBatchDay, dailyBatchDays, lastRecordDay,
    snapshotDays, truthMonths, submissionMonths, festivals, truthFestivals,
  };
}

/** Month-index range of the year ending with `toMonth`. */
export function lastTwelveMonths(p: Period): number[] {
  const out: number[] = [];
  for (let m = Math.max(p.fromMonth, p.toMonth - 11); m <= p.toMonth; m++) out.push(m);
  return out;
}

/** True when no day of the month is within [f − 35, f + 60] of any festival. */
export function isFestivalFreeMonth(p: Period, month: number): boolean {
  const a = monthStart(month), b = monthEnd(month);
  return p.festivals.every((f) => b < f.day - 35 || a > f.day + 60);
}

