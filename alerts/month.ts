/**
 * Month arithmetic on 'YYYY-MM' strings and ISO dates (UTC calendar arithmetic; the
 * dates are civil dates in Asia/Shanghai).
 */
export const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

export function isMonth(s: unknown): s is string {
  return typeof s === 'string' && MONTH.test(s);
}

export function monthIndex(m: string): number {
  return Number(m.slice(0, 4)) * 12 + Number(m.slice(5, 7)) - 1;
}

export function monthOfIndex(i: number): string {
  return `${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`;
}

export function addMonths(m: string, n: number): string {
  return monthOfIndex(monthIndex(m) + n);
}

/** Months from a to b inclusive (empty if b < a). */
export function monthRange(a: string, b: string): string[] {
  const out: string[] = [];
  for (let i = monthIndex(a); i <= monthIndex(b); i++) out.push(monthOfIndex(i));
  return out;
}

export function firstDay(m: string): string {
  return `${m}-01`;
}

export function lastDay(m: string): string {
  const y = Number(m.slice(0, 4));
  const mo = Number(m.slice(5, 7));
  const d = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  return `${m}-${String(d).padStart(2, '0')}`;
}

export function addDays(isoDate: string, n: number): string {
  return new Date(Date.parse(`${isoDate}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

/** The month of an ISO date. */
export function monthOf(isoDate: string): string {
  return isoDate.slice(0, 7);
}

/** The last complete month covered by data as of `dataAsOf` (its month if it is the last day). */
export function lastCompleteMonth(dataAsOf: string): string {
  const m = monthOf(dataAsOf);
  return lastDay(m) === dataAsOf ? m : addMonths(m, -1);
}
