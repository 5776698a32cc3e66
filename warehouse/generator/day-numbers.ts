/**
 * Calendar arithmetic on day numbers (days since 1970-01-01, UTC calendar dates; the
 * registry's dates are Asia/Shanghai calendar dates, used here as plain dates).
 */

const MS = 86_400_000;

export function dayOf(iso: string): number {
  return Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))) / MS;
}

/** Cache of ISO strings for 1900-01-01 .. 2199-12-31. */
const CACHE_FIRST = -25567;
const CACHE_SIZE = 109572;
const isoCache: (string | undefined)[] = new Array<string | undefined>(CACHE_SIZE);
/** ISO date YYYY-MM-DD of a day number (cached). */
export function isoOf(day: number): string {
  const k = day - CACHE_FIRST;
  if (k >= 0 && k < CACHE_SIZE) {
    let s = isoCache[k];
    if (s === undefined) isoCache[k] = s = new Date(day * MS).toISOString().slice(0, 10);
    return s;
  }
  return new Date(day * MS).toISOString().slice(0, 10);
}

/** YYYYMMDD of a day number. */
export function compactOf(day: number): string {
  return isoOf(day).replaceAll('-', '');
}

/** Month index (year * 12 + month - 1) of a day. */
export function monthOfDay(day: number): number {
  const d = new Date(day * MS);
  return d.getUTCFullYear() * 12 + d.getUTCMonth();
}

/** Month index of 'YYYY-MM'. */
export function monthOfIso(month: string): number {
  return Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1;
}

/** 'YYYY-MM' of a month index. */
export function monthLabel(mi: number): string {
  return `${Math.floor(mi / 12)}-${String((mi % 12) + 1).padStart(2, '0')}`;
}

export function monthStart(mi: number): number {
  return Date.UTC(Math.floor(mi / 12), mi % 12, 1) / MS;
}

export function monthEnd(mi: number): number {
  return monthStart(mi + 1) - 1;
}

export function yearOfDay(day: number): number {
  return new Date(day * MS).getUTCFullYear();
}

/** Day-of-month (1-31). */
export function dateOfMonth(day: number): number {
  return new Date(day * MS).getUTCDate();
}

/** Civil date of a day number: [year, month 1-12, day 1-31] (H. Hinnant's algorithm). */
export function civilOf(day: number): [number, number, number] {
  const z = day + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}

/** Day number of a civil date (month 1-12); day overflow rolls into the next month. */
export function dayOfCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** The same calendar date `years` later (29 Feb rolls to 1 Mar). */
export function addYears(day: number, years: number): number {
  const [y, m, d] = civilOf(day);
  return dayOfCivil(y + years, m, d);
}

/** Completed years of age on `day` of someone born on `birth`. */
export function ageOn(birth: number, day: number): number {
  const b = new Date(birth * MS), d = new Date(day * MS);
  let age = d.getUTCFullYear() - b.getUTCFullYear();
  if (d.getUTCMonth() < b.getUTCMonth() || (d.getUTCMonth() === b.getUTCMonth() && d.getUTCDate() < b.getUTCDate())) age--;
  return age;
}

/** Today's date in Asia/Shanghai as a day number. */
export function todayInShanghai(now: Date = new Date()): number {
  return dayOf(new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now));
}
