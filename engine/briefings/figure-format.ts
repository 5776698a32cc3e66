/**
 * How briefings write a figure in Chinese text: counts with thousands separators, rates
 * and shares as percentages with two decimals, scores with one decimal, ratios as
 * percentages. The web page formats the same way (web/src/lib/briefings/briefing-format.ts).
 */
import { getMetric, isMetricId } from '../../warehouse/metrics/catalogue.ts';

export function formatFigure(metric: string, value: number | null): string {
  if (value === null) return '—';
  if (!isMetricId(metric)) return Math.round(value).toLocaleString('en-US');
  const unit = getMetric(metric).unit;
  if (unit === 'share' || unit === 'ratio') return `${(value * 100).toFixed(2)}%`;
  if (unit === 'score') return value.toFixed(1);
  return Math.round(value).toLocaleString('en-US');
}

/** A change in the metric's unit: persons signed, shares in percentage points. */
export function formatChange(metric: string, change: number): string {
  const sign = change > 0 ? '+' : change < 0 ? '−' : '±';
  const abs = Math.abs(change);
  if (isMetricId(metric)) {
    const unit = getMetric(metric).unit;
    if (unit === 'share' || unit === 'ratio') return `${sign}${(abs * 100).toFixed(2)}个百分点`;
    if (unit === 'score') return `${sign}${abs.toFixed(1)}分`;
  }
  return `${sign}${Math.round(abs).toLocaleString('en-US')}`;
}
