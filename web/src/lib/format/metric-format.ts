/**
 * How a metric's figures are written: counts of persons/events with separators, shares as
 * percentages, ratios with two decimals, scores with one; changes of shares in percentage
 * points, changes of counts as a signed count and a relative change.
 */
import type { MetricDefinition, MetricUnit } from '../api/metric-types.js';
import type { Lang } from '../i18n/lang.js';
import { translate } from '../i18n/messages.js';
import { format } from 'd3-format';
import { formatCount, formatDecimal, formatPercent, formatSignedCount, formatSignedPercent, formatSignedPp } from './number-format.js';

const ratio2 = format(',.2f');
const signedRatio2 = format('+,.2f');

export function metricName(def: MetricDefinition | undefined, lang: Lang, fallback = ''): string {
  return def ? def[lang] : fallback;
}

export function formatByUnit(unit: MetricUnit | undefined, v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '–';
  switch (unit) {
    case 'share':
      return formatPercent(v, v !== 0 && Math.abs(v) < 0.1 ? 2 : 1);
    case 'ratio':
      return ratio2(v);
    case 'score':
      return formatDecimal(v);
    default:
      return formatCount(v);
  }
}

/** The change from `before` to `now`: absolute (pp for shares) and, for counts, relative. */
export function formatChange(unit: MetricUnit | undefined, now: number | null | undefined, before: number | null | undefined, lang: Lang): { text: string; direction: -1 | 0 | 1 } | undefined {
  if (typeof now !== 'number' || typeof before !== 'number' || !Number.isFinite(now) || !Number.isFinite(before)) return undefined;
  const diff = now - before;
  const direction = diff > 0 ? 1 : diff < 0 ? -1 : 0;
  if (unit === 'share') return { text: translate(lang, 'change.pp', { value: formatSignedPp(diff) }), direction };
  if (unit === 'ratio') return { text: signedRatio2(diff), direction };
  if (unit === 'score') return { text: format('+.1f')(diff), direction };
  const relative = before !== 0 ? ` (${formatSignedPercent(diff / Math.abs(before))})` : '';
  return { text: `${formatSignedCount(diff)}${relative}`, direction };
}
