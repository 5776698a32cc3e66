/**
 * How a briefing page writes its figures: exactly as the engine's narrative does
 * (engine/briefings/figure-format.ts): counts with thousands separators, shares and ratios
 * as percentages with two decimals, scores with one decimal.
 */
import type { BriefingContent, Figure } from '../api/briefings.js';

export function formatValue(unit: string | undefined, value: number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  if (unit === 'share' || unit === 'ratio') return `${(value * 100).toFixed(2)}%`;
  if (unit === 'score') return value.toFixed(1);
  return Math.round(value).toLocaleString('en-US');
}

export function formatChangeValue(unit: string | undefined, change: number | null | undefined, pp: string, points: string): string {
  if (change === null || change === undefined) return '—';
  const sign = change > 0 ? '+' : change < 0 ? '−' : '±';
  const abs = Math.abs(change);
  if (unit === 'share' || unit === 'ratio') return `${sign}${(abs * 100).toFixed(2)}${pp}`;
  if (unit === 'score') return `${sign}${abs.toFixed(1)}${points}`;
  return `${sign}${Math.round(abs).toLocaleString('en-US')}`;
}

/** Looks figures up by key and formats them by their metric's unit. */
export function figureReader(c: BriefingContent) {
  const byKey = new Map<string, Figure>(c.figures.map((f) => [f.key, f]));
  const unit = (metric: string) => c.metricNames[metric]?.unit;
  return {
    get: (key: string | null | undefined): Figure | undefined => (key ? byKey.get(key) : undefined),
    value: (key: string | null | undefined): number | null => (key ? (byKey.get(key)?.value ?? null) : null),
    text: (key: string | null | undefined): string => {
      const f = key ? byKey.get(key) : undefined;
      return f ? formatValue(unit(f.metric), f.value) : '—';
    },
    unit,
  };
}
