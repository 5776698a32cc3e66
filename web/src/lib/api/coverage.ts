/**
 * The months the published warehouse covers, from GET /api/health: the data date, the last
 * month (the month of the data date, possibly partial) and the first month of history
 * (the period pickers' first choice). One small public request, shared by every caller of
 * a page load (see health.ts).
 */
import { fetchHealth } from './health.js';

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

export async function fetchCoverage(): Promise<Coverage> {
  const { dataAsOf, version, firstMonth, lastMonth } = (await fetchHealth()).warehouse;
  if (!dataAsOf) throw new NoWarehouseError('no published warehouse');
  const last = lastMonth ?? dataAsOf.slice(0, 7);
  return { lastMonth: last, dataAsOf, version, firstMonth: firstMonth ?? last };
}

export async function fetchDataDate(): Promise<DataDate> {
  const { lastMonth, dataAsOf, version } = await fetchCoverage();
  return { lastMonth, dataAsOf, version };
}
