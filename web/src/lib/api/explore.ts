/**
 * The explorer (POST /api/explore): whitelisted dimensions × measures at a region level
 * for periods, with filters. Results travel as an Arrow IPC stream, decoded by apache-arrow
 * on a worker that only this page starts; CSV and XLSX are the API's own downloads of the
 * same query.
 */
import { apiFetch } from './http.js';
import { decodeArrow } from './arrow-decoder.js';
import type { RegionLevel } from './regions.js';

/**
 * The explorer's measures: the API's whitelist (EXPLORE_MEASURE_IDS of
 * warehouse/metrics/explore-query.ts, listed in the request schema at /api/docs/json).
 * Names come from the metric catalogue.
 */
export const EXPLORE_MEASURES = [
  'labour_force',
  'employed',
  'transfer_employed',
  'out_migrant_in_province',
  'out_migrant_out_province',
  'abroad',
  'unemployed',
  'not_in_labour_force',
  'unemployment_rate',
  'employment_rate',
  'at_home',
  'away',
  'poverty_employed',
  'relocated_employed',
  'increases',
  'decreases',
  'net_change',
] as const;

export const EXPLORE_LIMITS = { maxPeriods: 36, maxDimensions: 4, maxMeasures: 12, maxRows: 100_000 } as const;

export interface ExploreRequest {
  readonly level: RegionLevel;
  readonly region: string;
  readonly periods: readonly string[];
  readonly dimensions: readonly string[];
  readonly measures: readonly string[];
  readonly filters: Readonly<Record<string, readonly string[]>>;
  readonly limit: number;
}

export type ExploreCell = string | number | boolean | null;

export interface ExploreResult {
  /** Column names in order: period, region_code, region_name, dimensions…, measures (rates with _numerator/_denominator). */
  readonly columns: readonly string[];
  readonly rows: readonly Readonly<Record<string, ExploreCell>>[];
  readonly truncated: boolean;
}

export const ARROW_STREAM = 'application/vnd.apache.arrow.stream';

function body(req: ExploreRequest) {
  const filters = Object.fromEntries(Object.entries(req.filters).filter(([, v]) => v.length > 0));
  return { level: req.level, region: req.region, periods: req.periods, dimensions: req.dimensions, measures: req.measures, filters, limit: req.limit };
}

/** Runs the slice and decodes the Arrow stream into rows (on a worker: arrow-decoder.ts). */
export async function fetchExplore(req: ExploreRequest, signal?: AbortSignal): Promise<ExploreResult> {
  const response = await apiFetch('/api/explore', { method: 'POST', body: body(req), accept: ARROW_STREAM, signal });
  const { columns, rows } = await decodeArrow(await response.arrayBuffer());
  signal?.throwIfAborted();
  return { columns, rows, truncated: response.headers.get('x-truncated') === 'true' };
}

/** The API's CSV or XLSX download of the same slice, as a Blob and its file name. */
export async function downloadExplore(req: ExploreRequest, format: 'csv' | 'xlsx'): Promise<{ blob: Blob; fileName: string }> {
  const response = await apiFetch(`/api/explore?format=${format}`, { method: 'POST', body: body(req), accept: format === 'csv' ? 'text/csv' : '*/*' });
  const disposition = response.headers.get('content-disposition') ?? '';
  const fileName = /filename="([^"]+)"/.exec(disposition)?.[1] ?? `explore.${format}`;
  return { blob: await response.blob(), fileName };
}
