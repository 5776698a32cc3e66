/**
 * The months the warehouse covers: from the month after the base snapshot to the month
 * of data_as_of. Each month's stock is the state at the end of its last day, or at the
 * end of data_as_of for the current, partial month.
 */
export interface MonthEnd {
  /** YYYY-MM */
  readonly month: string;
  /** YYYY-MM-DD: last day of the month, or data_as_of when earlier. */
  readonly end: string;
  readonly partial: boolean;
}

export const monthOf = (isoDate: string): string => isoDate.slice(0, 7);

export function lastDayOfMonth(month: string): string {
  const [y, m] = month.split('-').map(Number);
  const d = new Date(Date.UTC(y, m, 0));
  return d.toISOString().slice(0, 10);
}

export function nextMonth(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

export function addDays(isoDate: string, days: number): string {
  return new Date(Date.parse(`${isoDate}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** Months from `firstMonth` to the month of `dataAsOf`, with their stock dates. */
export function monthEnds(firstMonth: string, dataAsOf: string): MonthEnd[] {
  const out: MonthEnd[] = [];
  for (let m = firstMonth; m <= monthOf(dataAsOf); m = nextMonth(m)) {
    const last = lastDayOfMonth(m);
    out.push({ month: m, end: last <= dataAsOf ? last : dataAsOf, partial: last > dataAsOf });
  }
  return out;
}
