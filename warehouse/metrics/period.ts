/**
 * Reporting periods: a month `YYYY-MM`, a quarter `YYYY-Qn` or a year `YYYY`, with their
 * months, first and last day, and the neighbours used by comparisons.
 */

export type PeriodKind = 'month' | 'quarter' | 'year';

export interface Period {
  readonly id: string;
  readonly kind: PeriodKind;
  readonly year: number;
  /** Months of the period, `YYYY-MM`, in order. */
  readonly months: readonly string[];
  readonly firstMonth: string;
  readonly lastMonth: string;
  /** First and last day, `YYYY-MM-DD`. */
  readonly startDate: string;
  readonly endDate: string;
}

const MONTH_RE = /^(\d{4})-(0[1-9]|1[0-2])$/;
const QUARTER_RE = /^(\d{4})-Q([1-4])$/;
const YEAR_RE = /^(\d{4})$/;
/** Years outside this range are rejected as malformed (nothing in the registry predates 2000). */
const MIN_YEAR = 2000;
const MAX_YEAR = 2099;

const pad2 = (n: number) => String(n).padStart(2, '0');

export const monthId = (year: number, month: number): string => `${year}-${pad2(month)}`;

/** The month `n` months after `m` (negative: before). */
export function addMonths(m: string, n: number): string {
  const [y, mo] = m.split('-').map(Number);
  const idx = y * 12 + (mo - 1) + n;
  return monthId(Math.floor(idx / 12), (idx % 12) + 1);
}

/** Last day of a month, `YYYY-MM-DD`. */
export function monthEndDate(m: string): string {
  const [y, mo] = m.split('-').map(Number);
  const days = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  return `${m}-${pad2(days)}`;
}

function build(kind: PeriodKind, year: number, first: number, count: number, id: string): Period {
  const months = Array.from({ length: count }, (_, i) => monthId(year, first + i));
  return {
    id,
    kind,
    year,
    months,
    firstMonth: months[0],
    lastMonth: months[months.length - 1],
    startDate: `${months[0]}-01`,
    endDate: monthEndDate(months[months.length - 1]),
  };
}

/** Parses a period id; undefined when malformed. */
export function parsePeriod(text: string): Period | undefined {
  let m = MONTH_RE.exec(text);
  if (m) {
    const y = Number(m[1]);
    return y >= MIN_YEAR && y <= MAX_YEAR ? build('month', y, Number(m[2]), 1, text) : undefined;
  }
  m = QUARTER_RE.exec(text);
  if (m) {
    const y = Number(m[1]);
    const q = Number(m[2]);
    return y >= MIN_YEAR && y <= MAX_YEAR ? build('quarter', y, (q - 1) * 3 + 1, 3, text) : undefined;
  }
  m = YEAR_RE.exec(text);
  if (m) {
    const y = Number(m[1]);
    return y >= MIN_YEAR && y <= MAX_YEAR ? build('year', y, 1, 12, text) : undefined;
  }
  return undefined;
}

/** Like parsePeriod, but throws when malformed (for ids the code built itself). */
export function periodOf(text: string): Period {
  const p = parsePeriod(text);
  if (!p) throw new Error(`malformed period '${text}'`);
  return p;
}

/** The period `n` steps after `p`, of the same kind (negative: before). */
export function shiftPeriod(p: Period, n: number): Period {
  if (p.kind === 'month') return periodOf(addMonths(p.firstMonth, n));
  if (p.kind === 'year') return periodOf(String(p.year + n));
  const q = Number(p.id.slice(-1)) - 1 + p.year * 4 + n;
  return periodOf(`${Math.floor(q / 4)}-Q${(q % 4) + 1}`);
}

/** The period before (month-on-month, quarter-on-quarter, year-on-year for years). */
export const previousPeriod = (p: Period): Period => shiftPeriod(p, -1);

/** The same period one year earlier. */
export const samePeriodLastYear = (p: Period): Period => shiftPeriod(p, p.kind === 'month' ? -12 : p.kind === 'quarter' ? -4 : -1);

/** Number of periods from `from` to `to` inclusive (same kind); 0 when `to` is before `from`. */
export function periodCount(from: Period, to: Period): number {
  if (from.kind !== to.kind) throw new Error(`periods '${from.id}' and '${to.id}' are of different kinds`);
  const index = (p: Period) => {
    const [y, m] = p.firstMonth.split('-').map(Number);
    const months = y * 12 + m - 1;
    return p.kind === 'month' ? months : p.kind === 'quarter' ? months / 3 : y;
  };
  return Math.max(0, index(to) - index(from) + 1);
}

/** Periods from `from` to `to` inclusive (same kind); empty when `to` is before `from`. */
export function periodsBetween(from: Period, to: Period): Period[] {
  const n = periodCount(from, to);
  const out: Period[] = [];
  for (let i = 0, p = from; i < n; i++) {
    out.push(p);
    if (i + 1 < n) p = shiftPeriod(p, 1);
  }
  return out;
}

/** The months of the warehouse history: first to last (the last may be partial). */
export interface MonthRange {
  readonly firstMonth: string;
  readonly lastMonth: string;
}

/** Months of the period inside the warehouse history (flows sum over these). */
export function coveredMonths(p: Period, range: MonthRange): string[] {
  return p.months.filter((m) => m >= range.firstMonth && m <= range.lastMonth);
}

/**
 * The month whose end state is the period's stock: the period's last month, or the
 * warehouse's last month when the period is still running; undefined when the period
 * lies outside the history.
 */
export function stockMonth(p: Period, range: MonthRange): string | undefined {
  const covered = coveredMonths(p, range);
  return covered.length ? covered[covered.length - 1] : undefined;
}
