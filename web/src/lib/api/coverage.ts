/**
 * The months the published warehouse covers. The last month is the month of the data date
 * (GET /api/health); the first is the first month with a registered labour force in the
 * series of the user's region (the API has no coverage route of its own). Cached per
 * warehouse version.
 */
import { fetchHealth } from './health.js';
import { fetchSeries } from './metrics.js';
import { addMonths } from '../format/period-format.js';

export interface Coverage {
  readonly firstMonth: string;
  readonly lastMonth: string;
  readonly dataAsOf: string;
  readonly version: string | null;
}

/** The series API accepts at most 120 periods. */
const MAX_MONTHS = 120;
const cache = new Map<string, Promise<Coverage>>();

export class NoWarehouseError extends Error {
  override name = 'NoWarehouseError';
}

export async function fetchCoverage(region: string): Promise<Coverage> {
  const health = await fetchHealth();
  const { dataAsOf, version } = health.warehouse;
  if (!dataAsOf) throw new NoWarehouseError('no published warehouse');
  const key = `${version}/${region}`;
  let p = cache.get(key);
  if (!p) {
    const lastMonth = dataAsOf.slice(0, 7);
    p = fetchSeries(region, ['labour_force'], addMonths(lastMonth, 1 - MAX_MONTHS), lastMonth).then((s) => {
      const first = s.labour_force.find((pt) => pt.value !== null)?.period ?? lastMonth;
      return { firstMonth: first, lastMonth, dataAsOf, version };
    });
    p.catch(() => cache.delete(key));
    cache.set(key, p);
  }
  return p;
}
