/**
 * Checks of the query parameters shared by the metric, explorer and festival routes,
 * beyond what the JSON schemas check (shape): whether a region, metric or period exists.
 * Each error names the parameter.
 */
import { loadRegions, type Region } from '../../warehouse/reference/regions.ts';
import { isMetricId, type MetricId } from '../../warehouse/metrics/catalogue.ts';
import { parsePeriod, periodCount, periodsBetween, type Period } from '../../warehouse/metrics/period.ts';
import { badRequest, notFound } from '../plugins/errors.ts';

export const MAX_METRICS_PER_REQUEST = 26;
export const MAX_SERIES_PERIODS = 120;

/** Schema fragments (shape only; existence is checked by the functions below). */
export const periodSchema = {
  type: 'string',
  pattern: '^\\d{4}(-(0[1-9]|1[0-2]|Q[1-4]))?$',
  description: 'Period: YYYY-MM (month), YYYY-Qn (quarter) or YYYY (year)',
} as const;
export const metricListSchema = {
  type: 'string',
  pattern: '^[a-z_]{1,40}(,[a-z_]{1,40}){0,40}$',
  description: 'Comma-separated metric ids of the catalogue (GET /api/metrics)',
} as const;
export const metricIdSchema = { type: 'string', pattern: '^[a-z_]{1,40}$', description: 'A metric id of the catalogue' } as const;

export function regionParam(code: string, name = 'region'): Region {
  const r = loadRegions().byCode.get(code);
  if (!r) throw notFound(`unknown region '${code}' (parameter '${name}')`);
  return r;
}

export function metricParam(id: string, name = 'metric'): MetricId {
  if (!isMetricId(id)) throw notFound(`unknown metric '${id}' (parameter '${name}'); see GET /api/metrics`);
  return id;
}

export function metricListParam(list: string, name = 'metrics'): MetricId[] {
  const ids = list.split(',');
  if (ids.length > MAX_METRICS_PER_REQUEST) throw badRequest(`parameter '${name}' lists ${ids.length} metrics; at most ${MAX_METRICS_PER_REQUEST}`);
  if (new Set(ids).size !== ids.length) throw badRequest(`parameter '${name}' lists a metric twice`);
  return ids.map((id) => metricParam(id, name));
}

export function periodParam(text: string, name = 'period'): Period {
  const p = parsePeriod(text);
  if (!p) throw badRequest(`parameter '${name}' must be a period YYYY-MM, YYYY-Qn or YYYY (2000-2099), got '${text}'`);
  return p;
}

export function periodRangeParams(fromText: string, toText: string): Period[] {
  const from = periodParam(fromText, 'from');
  const to = periodParam(toText, 'to');
  if (from.kind !== to.kind) throw badRequest(`parameters 'from' (${from.kind}) and 'to' (${to.kind}) must be periods of the same kind`);
  if (to.firstMonth < from.firstMonth) throw badRequest(`parameter 'to' (${to.id}) is before 'from' (${from.id})`);
  const n = periodCount(from, to);
  if (n > MAX_SERIES_PERIODS) throw badRequest(`parameters 'from'..'to' span ${n} periods; at most ${MAX_SERIES_PERIODS}`);
  return periodsBetween(from, to);
}
