/**
 * The months the published warehouse covers. The last month is the month of the data date
 * (GET /api/health, immediate); the first month (only the period pickers need it) is found
 * with two small series requests in the user's region: by year over the last decade, then
 * by month within the first year with data. The API has no coverage route of its own.
 * Cached per warehouse version.
 */
import { fetchHealth } from './health.js';
import { fetchSeries } from './metrics.js';

export interface DataDate {
  readonly lastMonth: string;
  readonly dataAsOf: string;
  readonly version: string | null;
}

export interface Coverage extends DataDate {
  readonly firstMonth: string;
}

export class NoWarehouseError extends Error {
  override name = 'NoWarehouseError';
}

export async function fetchDataDate(): Promise<DataDate> {
  const { dataAsOf, version } = (await fetchHealth()).warehouse;
  if (!dataAsOf) throw new NoWarehouseError('no published warehouse');
  return { lastMonth: dataAsOf.slice(0, 7), dataAsOf, version };
}

const cache = new Map<string, Promise<Coverage>>();

async function firstMonth(region: string, lastMonth: string): Promise<string> {
  const lastYear = Number(lastMonth.slice(0, 4));
  const years = await fetchSeries(region, ['labour_force'], String(lastYear - 10), String(lastYear));
  const year = years.labour_force.find((p) => p.value !== null)?.period ?? String(lastYear);
  const months = await fetchSeries(region, ['labour_force'], `${year}-01`, year === String(lastYear) ? lastMonth : `${year}-12`);
  return months.labour_force.find((p) => p.value !== null)?.period ?? lastMonth;
}

export async function fetchCoverage(region: string): Promise<Coverage> {
  const date = await fetchDataDate();
  const key = `${date.version}/${region}`;
  let p = cache.get(key);
  if (!p) {
    p = firstMonth(region, date.lastMonth).then((first) => ({ ...date, firstMonth: first }));
    p.catch(() => cache.delete(key));
    cache.set(key, p);
  }
  return p;
}
