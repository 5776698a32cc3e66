/**
 * Generates one county: its base population and entrants, each person's trajectory and
 * recorded days, then replays each person's events to emit (a) the snapshot rows
 * (state after the events recorded by each snapshot day), (b) the change rows of the
 * exported events, and (c) the ground truth by event date. Only the county's change rows
 * are held in memory (they must be sorted); snapshot rows stream out through `snapshot`.
 */
import { MOVE_IN_RATE, VETERAN_RATE, ageWeight } from './calibration.ts';
import type { CountyContext } from './county-context.ts';
import { addYears, isoOf, monthEnd, monthOfDay } from './day-numbers.ts';
import { F, changeFields, type PersonRecord } from './person-record.ts';
import { createPerson, type Person } from './population.ts';
import { StreamKey, type Rng } from './random.ts';
import type { ShockCounts } from './shocks.ts';
import { PersonSimulator, assignRecordedDays } from './trajectory.ts';
import type { TruthAccumulator } from './truth.ts';

/** Days after --to for which entrants are created (daily batches may extend up to a year). */
export const ENTRANT_HORIZON_DAYS = 400;
export const MAX_DAILY_BATCHES = 366;
const YOUTH_RATE = ageWeight(16) / Array.from({ length: 49 }, (_, i) => ageWeight(16 + i)).reduce((a, b) => a + b, 0);
const STABLE_KEEP = 200;

/** Per collection point and submission month: verified (active at month end), added, removed. */
export class PointCounts {
  readonly counts: Int32Array;
  constructor(points: number, private readonly months: readonly number[]) {
    this.counts = new Int32Array(points * months.length * 3);
  }
  add(point: number, mi: number, kind: 0 | 1 | 2): void {
    this.counts[(point * this.months.length + mi) * 3 + kind]++;
  }
  get(point: number, mi: number): [number, number, number] {
    const o = (point * this.months.length + mi) * 3;
    return [this.counts[o], this.counts[o + 1], this.counts[o + 2]];
  }
}

export interface ChangeRow {
  readonly day: number;
  readonly rec: number;
  /** The change row, comma-joined. */
  readonly line: string;
}

export interface CountyResult {
  /** Exported change rows in (event date, recorded date, person order). */
  readonly changes: ChangeRow[];
  /** Base records of persons active throughout (for dirty rows that need a real active person). */
  readonly stable: PersonRecord[];
  readonly personsSimulated: number;
}

function drawCount(rng: Rng, expected: number): number {
  const base = Math.floor(expected);
  return base + (rng.chance(expected - base) ? 1 : 0);
}

function planEntrants(ctx: CountyContext, baseCount: number): { kind: 'youth' | 'movein' | 'veteran'; day: number; birth?: number; village: number }[] {
  const { period, seed } = ctx;
  const county = ctx.profile.county;
  const rng = new StreamKey(seed, 'entrants', county.code).rng();
  const from = period.simStart, to = period.toEnd + ENTRANT_HORIZON_DAYS;
  const years = (to - from + 1) / 365.2425;
  const village = () => county.villages[rng.cumulative(county.villageCum)];
  const out: { kind: 'youth' | 'movein' | 'veteran'; day: number; birth?: number; village: number }[] = [];
  const youth = drawCount(rng, baseCount * YOUTH_RATE * years);
  for (let k = 0; k < youth; k++) {
    const birthday16 = rng.between(from, to);
    const birth = addYears(birthday16, -16);
    const u = rng.next();
    const lag = u < 0.6 ? rng.between(0, 30) : u < 0.9 ? rng.between(31, 90) : rng.between(91, 180);
    out.push({ kind: 'youth', day: addYears(birth, 16) + lag, birth, village: village() });
  }
  const moves = drawCount(rng, baseCount * MOVE_IN_RATE * years);
  for (let k = 0; k < moves; k++) out.push({ kind: 'movein', day: rng.between(from, to), village: village() });
  const veterans = drawCount(rng, baseCount * VETERAN_RATE * years);
  const firstMonth = monthOfDay(from), lastMonth = monthOfDay(to);
  const discharge: number[] = [];
  for (let m = firstMonth; m <= lastMonth; m++) if (m % 12 === 2 || m % 12 === 8) discharge.push(m);
  for (let k = 0; k < veterans; k++) {
    let day: number;
    if (discharge.length && rng.chance(0.8)) {
      const m = discharge[rng.int(discharge.length)];
      day = monthEnd(m - 1) + rng.between(1, 28);
    } else day = rng.between(from, to);
    out.push({ kind: 'veteran', day: Math.max(from + 1, Math.min(to, day)), village: village() });
  }
  return out;
}

export function generateCounty(
  ctx: CountyContext,
  baseCount: number,
  truth: TruthAccumulator,
  points: PointCounts,
  counts: ShockCounts,
  snapshot: (si: number, rec: PersonRecord) => void,
): CountyResult {
  const { period, seed } = ctx;
  const county = ctx.profile.county;
  const ci = county.index;
  const personKey = new StreamKey(seed, 'person', county.code);
  const createKey = new StreamKey(seed, 'person-create', county.code);
  const lagKey = new StreamKey(seed, 'recording-lag', county.code);
  const end = period.lastRecordDay;
  const snapDays = period.snapshotDays;
  const nSnap = snapDays.length;
  const subMonths = period.submissionMonths;
  const nTruth = period.truthMonths.length;
  const cutoff = subMonths.map((m) => Math.min(monthEnd(m), end));
  const firstSubMonth = subMonths[0];
  const pointIndexOf = (rec: PersonRecord) => ctx.geo.pointByCode.get(rec[F.point])!.index;

  const changes: ChangeRow[] = [];
  const simulator = new PersonSimulator(ctx, counts);
  const stable: PersonRecord[] = [];
  let stableSeen = 0;

  const runPerson = (person: Person, index: number) => {
    const ev = simulator.simulate(personKey.rng(index), person, end);
    assignRecordedDays(ev, lagKey.rng(index), period.baseDay);
    let kept = ev.length;
    while (kept > 0 && ev[kept - 1].rec > end) kept--;
    const initial: PersonRecord | null = person.entryReason ? null : person.rec;
    const point = pointIndexOf(person.rec);

    // Snapshots (recorded-day order) and change rows.
    let state = initial;
    let si = 0;
    for (let i = 0; i < kept; i++) {
      const e = ev[i];
      while (si < nSnap && snapDays[si] < e.rec) {
        if (state) snapshot(si, state);
        si++;
      }
      const before = state;
      state = e.type === '减少' ? null : e.after;
      if (e.day > period.baseDay) {
        changes.push({ day: e.day, rec: e.rec, line: changeFields(e.type, e.reason, isoOf(e.day), isoOf(e.rec), e.after, before).join(',') });
      }
    }
    for (; si < nSnap; si++) if (state) snapshot(si, state);

    // Truth by event date.
    let st = initial;
    let mi = 0;
    for (let i = 0; i < kept; i++) {
      const e = ev[i];
      while (mi < subMonths.length && cutoff[mi] < e.day) {
        if (st) {
          if (mi < nTruth) truth.addMonthEnd(ci, mi, st);
          points.add(point, mi, 0);
        }
        mi++;
      }
      if (e.day >= period.fromDay) {
        if (e.type === '状态变更') truth.addFestivalMove(ci, e.day, e.reason);
        else {
          const m = monthOfDay(e.day);
          truth.addFlow(ci, m, e.type, e.reason);
          const k = m - firstSubMonth;
          if (k >= 0 && k < subMonths.length) points.add(point, k, e.type === '新增' ? 1 : 2);
        }
      }
      st = e.type === '减少' ? null : e.after;
    }
    for (; mi < subMonths.length; mi++) {
      if (st) {
        if (mi < nTruth) truth.addMonthEnd(ci, mi, st);
        points.add(point, mi, 0);
      }
    }

    if (initial && stable.length < STABLE_KEEP) {
      let ok = true;
      for (let i = 0; i < kept; i++) if (ev[i].type !== '状态变更') ok = false;
      if (ok && stableSeen++ % 7 === 0) stable.push(initial);
    }
  };

  // Base population: systematic sampling of villages by weight (person order = village order).
  const sampler = new StreamKey(seed, 'village-sampling', county.code).rng();
  const total = county.weight;
  const stepW = total / Math.max(1, baseCount);
  let pos = sampler.next() * stepW;
  let vk = 0;
  for (let i = 0; i < baseCount; i++, pos += stepW) {
    while (vk < county.villages.length - 1 && county.villageCum[vk] <= pos) vk++;
    const person = createPerson(ctx, createKey.rng(i), 'base', period.simStart, county.villages[vk]);
    runPerson(person, i);
  }
  // Entrants.
  const entrants = planEntrants(ctx, baseCount);
  entrants.forEach((p, k) => {
    const index = baseCount + k;
    const person = createPerson(ctx, createKey.rng(index), p.kind, p.day, p.village, p.birth);
    runPerson(person, index);
  });

  // Sort exported changes by (event date, recorded date), stable in person order.
  const order = Array.from(changes.keys());
  order.sort((a, b) => changes[a].day - changes[b].day || changes[a].rec - changes[b].rec || a - b);
  return { changes: order.map((i) => changes[i]), stable, personsSimulated: baseCount + entrants.length };
}
