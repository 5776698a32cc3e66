/**
 * One metric for every county of the map. A city's counties: the ranking of its children.
 * All 183 counties: one explorer slice at county level when the metric is an explorer
 * measure and the user may explore, else the 21 cities' rankings in parallel (the ranking
 * API ranks children only).
 */
import { fetchChildren } from './regions.js';
import { fetchRanking } from './metrics.js';
import { EXPLORE_MEASURES, fetchExploreJson } from './explore.js';
import { hasPermission } from '../session/session.svelte.js';
import type { RankingRow } from './metric-types.js';

const num = (v: unknown): number | null => (typeof v === 'number' ? v : null);

export async function fetchCountyValues(city: string | undefined, period: string, metric: string, signal?: AbortSignal): Promise<RankingRow[]> {
  if (!city && (EXPLORE_MEASURES as readonly string[]).includes(metric) && hasPermission('explore')) {
    const r = await fetchExploreJson({ level: 'county', region: '510000', periods: [period], dimensions: [], measures: [metric], filters: {}, limit: 1000 }, signal);
    return r.rows.map((row) => ({
      code: String(row.region_code),
      name: String(row.region_name ?? row.region_code),
      rank: null,
      value: { value: num(row[metric]), numerator: num(row[`${metric}_numerator`]), denominator: num(row[`${metric}_denominator`]) },
    }));
  }
  const cities = city ? [city] : (await fetchChildren('510000')).map((c) => c.code);
  const parts = await Promise.all(cities.map((c) => fetchRanking(c, period, metric, { limit: 1000 }, signal)));
  return parts.flat();
}
