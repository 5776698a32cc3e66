/**
 * Periods as the API writes them: 'YYYY-MM' (month), 'YYYY-Qn' (quarter), 'YYYY' (year);
 * their labels in both languages, and month arithmetic.
 */
import type { Lang } from '../i18n/lang.js';

export type PeriodKind = 'month' | 'quarter' | 'year';

export function periodKind(period: string): PeriodKind | undefined {
  if (/^\d{4}-(0[1-9]|1[0-2])$/.test(period)) return 'month';
  if (/^\d{4}-Q[1-4]$/.test(period)) return 'quarter';
  if (/^\d{4}$/.test(period)) return 'year';
  return undefined;
}

export function formatPeriod(period: string, lang: Lang): string {
  const kind = periodKind(period);
  if (kind === 'month') {
    const [y, m] = period.split('-');
    return lang === 'zh' ? `${y}年${Number(m)}月` : `${y}-${m}`;
  }
  if (kind === 'quarter') {
    const [y, q] = period.split('-Q');
    return lang === 'zh' ? `${y}年第${q}季度` : `${y} Q${q}`;
  }
  if (kind === 'year') return lang === 'zh' ? `${period}年` : period;
  return period;
}

/** 'YYYY-MM' plus n months (n may be negative). */
export function addMonths(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number);
  const index = y * 12 + (m - 1) + n;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** Every month from `from` to `to` inclusive. */
export function monthRange(from: string, to: string): string[] {
  const out: string[] = [];
  for (let m = from; m <= to && out.length < 1200; m = addMonths(m, 1)) out.push(m);
  return out;
}

/** The month, quarters and years that contain the months from..to (newest first). */
export function periodChoices(from: string, to: string): { months: string[]; quarters: string[]; years: string[] } {
  const months = monthRange(from, to);
  const quarters = [...new Set(months.map((m) => `${m.slice(0, 4)}-Q${Math.ceil(Number(m.slice(5, 7)) / 3)}`))];
  const years = [...new Set(months.map((m) => m.slice(0, 4)))];
  return { months: months.reverse(), quarters: quarters.reverse(), years: years.reverse() };
}
