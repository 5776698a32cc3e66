/**
 * What the overview asks the engine for, in one place: the trend's months, and the warm-up
 * that starts the overview's figure requests while the session is still being checked
 * (warm-caches.ts), with exactly the calls and arguments its components make (KpiGrid,
 * CountyMap, ChildRanking, TrendChart), so each component finds its answer waiting.
 */
import { warm } from '../../api/http.js';
import { fetchCompare, fetchRanking, fetchSeries } from '../../api/metrics.js';
import { fetchCountyValues } from '../../api/county-values.js';
import { addMonths, periodKind } from '../../format/period-format.js';
import { KPI_METRICS } from './kpi-metrics.js';

/** The last month of the trend: the period's last month, capped at the data's last month. */
export function trendMonthOf(period: string, lastMonth: string): string {
  const kind = periodKind(period);
  const last = kind === 'month' ? period : kind === 'quarter' ? `${period.slice(0, 4)}-${String(Number(period.slice(-1)) * 3).padStart(2, '0')}` : `${period}-12`;
  return last > lastMonth ? lastMonth : last;
}

/** The trend shows 24 months up to `month`; it asks for 12 more before them (the year-before line). */
export function trendRange(month: string): { shownFrom: string; from: string; to: string } {
  const shownFrom = addMonths(month, -23);
  return { shownFrom, from: addMonths(shownFrom, -12), to: month };
}

const ignore = () => undefined;

/**
 * Starts the overview's figure requests for a region, period and metric. Only for what the
 * page will surely show: the province's or a city's map (a county page's map depends on the
 * user's rights), the children's ranking above village level.
 */
export function warmOverview(region: string, period: string, metric: string, lastMonth: string): void {
  if (!periodKind(period)) return;
  const isCity = /^\d{4}00$/.test(region) && region !== '510000';
  const { from, to } = trendRange(trendMonthOf(period, lastMonth));
  warm(() => {
    fetchCompare(region, period, KPI_METRICS).catch(ignore);
    if (region === '510000' || isCity) fetchCountyValues(isCity ? region : undefined, period, metric).catch(ignore);
    if (region.length < 12) fetchRanking(region, period, metric, { order: 'desc', limit: 60 }).catch(ignore);
    fetchSeries(region, [metric], from, to).catch(ignore);
  });
}
