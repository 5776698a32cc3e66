/**
 * The Spring Festival window (day −45 to day +60 around 正月初一, FESTIVAL_WINDOW in
 * warehouse/reference/festival.ts) as it falls on calendar months: returns home inside
 * it are the festival's; a mass return is judged on the days outside it only.
 */
import { FESTIVAL_WINDOW, springFestivalDate } from '../warehouse/reference/festival.ts';
import { addDays, daysBetween, lastDay } from './month.ts';

export interface MonthWindowDays {
  readonly month: string;
  readonly days: number;
  /** Days of the month inside a festival window. */
  readonly inside: number;
  readonly outside: number;
}

export function festivalWindowDays(month: string): MonthWindowDays {
  const start = `${month}-01`;
  const end = lastDay(month);
  const days = Number(end.slice(8));
  const year = Number(month.slice(0, 4));
  let inside = 0;
  for (const y of [year - 1, year, year + 1]) {
    const f = springFestivalDate(y);
    const ws = addDays(f, -FESTIVAL_WINDOW.before);
    const we = addDays(f, FESTIVAL_WINDOW.after);
    const a = ws > start ? ws : start;
    const b = we < end ? we : end;
    if (a <= b) inside += daysBetween(a, b) + 1;
  }
  return { month, days, inside, outside: days - inside };
}

/** Festival years whose day `day` falls in `month`. */
export function festivalYearsWithDayIn(month: string, day: number): number[] {
  const year = Number(month.slice(0, 4));
  return [year - 1, year, year + 1].filter((y) => addDays(springFestivalDate(y), day).slice(0, 7) === month);
}
