/**
 * One metric for every county of the map: a city's counties (its children), or all 183
 * counties of the province in one ranking at county level.
 */
import { fetchRanking } from './metrics.js';
import type { RankingRow } from './metric-types.js';

export function fetchCountyValues(city: string | undefined, period: string, metric: string, signal?: AbortSignal): Promise<RankingRow[]> {
  return fetchRanking(city ?? '510000', period, metric, { limit: 1000, level: city ? undefined : 'county' }, signal);
}
