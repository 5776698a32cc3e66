/**
 * One metric for every county of the map: the ranking of a city's children gives its
 * counties; for the whole province the 21 cities' rankings are fetched in parallel
 * (the ranking API ranks children only).
 */
import { fetchChildren } from './regions.js';
import { fetchRanking } from './metrics.js';
import type { RankingRow } from './metric-types.js';

export async function fetchCountyValues(city: string | undefined, period: string, metric: string, signal?: AbortSignal): Promise<RankingRow[]> {
  const cities = city ? [city] : (await fetchChildren('510000')).map((c) => c.code);
  const parts = await Promise.all(cities.map((c) => fetchRanking(c, period, metric, { limit: 1000 }, signal)));
  return parts.flat();
}
