/**
 * Which Spring Festival a reporting period refers to, and how far into its window.
 *
 * The festival of the period's calendar year (day 0 = 正月初一); the window runs from day
 * −45 to day +60 (FESTIVAL_WINDOW). Festival metrics are cumulative from day −45 up to the
 * period's last day, capped at day +60. The window must lie inside the warehouse history
 * (its first day on or after the first day of the first month, and not after data_as_of),
 * otherwise the festival metrics of the period are null; so are they for a period outside
 * the history.
 */
import { FESTIVAL_WINDOW, dayRelativeToFestival, springFestivalDate } from '../reference/festival.ts';
import { stockMonth, type Period } from './period.ts';
import type { WarehouseCoverage } from './warehouse-coverage.ts';

export interface FestivalSpan {
  readonly festivalYear: number;
  readonly festivalDate: string;
  /** First and last day counted, relative to day 0. */
  readonly fromDay: number;
  readonly toDay: number;
}

/** ISO date `days` after an ISO date. */
export function addDays(iso: string, days: number): string {
  return new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

export function festivalSpan(p: Period, coverage: WarehouseCoverage): FestivalSpan | undefined {
  if (!stockMonth(p, coverage)) return undefined;
  const festivalYear = p.year;
  const festivalDate = springFestivalDate(festivalYear);
  const windowStart = addDays(festivalDate, -FESTIVAL_WINDOW.before);
  if (windowStart < `${coverage.firstMonth}-01` || windowStart > coverage.dataAsOf) return undefined;
  const toDay = Math.min(dayRelativeToFestival(p.endDate, festivalYear), FESTIVAL_WINDOW.after);
  if (toDay < -FESTIVAL_WINDOW.before) return undefined;
  return { festivalYear, festivalDate, fromDay: -FESTIVAL_WINDOW.before, toDay };
}
