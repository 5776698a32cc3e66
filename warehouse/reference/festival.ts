/**
 * Spring Festival (正月初一) dates, computed with date-chinese, never from a table.
 */
import { createRequire } from 'node:module';

interface CalendarChineseInstance {
  newYear(gregorianYear: number): number;
  fromJDE(jde: number): CalendarChineseInstance;
  toGregorian(): { year: number; month: number; day: number };
}
type CalendarChineseCtor = new () => CalendarChineseInstance;

const require = createRequire(import.meta.url);
const { CalendarChinese } = require('date-chinese') as { CalendarChinese: CalendarChineseCtor };

const cache = new Map<number, string>();

/** ISO date (YYYY-MM-DD, China Standard Time) of the Spring Festival in a Gregorian year. */
export function springFestivalDate(year: number): string {
  let d = cache.get(year);
  if (d === undefined) {
    const cal = new CalendarChinese();
    const jde = cal.newYear(year);
    const g = cal.fromJDE(jde).toGregorian();
    d = `${g.year}-${String(g.month).padStart(2, '0')}-${String(g.day).padStart(2, '0')}`;
    cache.set(year, d);
  }
  return d;
}

/** Days from the festival of `festivalYear` to an ISO date (negative before it). */
export function dayRelativeToFestival(isoDate: string, festivalYear: number): number {
  return Math.round((Date.parse(`${isoDate}T00:00:00Z`) - Date.parse(`${springFestivalDate(festivalYear)}T00:00:00Z`)) / 86_400_000);
}

/** The analysis window around each festival: day −45 to day +60. */
export const FESTIVAL_WINDOW = { before: 45, after: 60 } as const;
