/**
 * The metric API (/api/metrics…): the catalogue, values of a region and period, series,
 * comparisons and rankings of the children (engine/routes/api/metrics). Answers are
 * returned in the shapes of metric-types.ts.
 */
import { apiGet } from './http.js';
import type { Comparison, DimensionDefinition, MetricDefinition, MetricValue, RankingRow, SeriesPoint } from './metric-types.js';

export interface Catalogue {
  readonly metrics: readonly MetricDefinition[];
  readonly byId: ReadonlyMap<string, MetricDefinition>;
  readonly dimensions: readonly DimensionDefinition[];
  readonly dimensionById: ReadonlyMap<string, DimensionDefinition>;
}

let catalogue: Promise<Catalogue> | undefined;

/** GET /api/metrics (cached for the page's life: the catalogue changes only with a release). */
export function fetchCatalogue(): Promise<Catalogue> {
  if (!catalogue) {
    catalogue = apiGet<{ metrics: MetricDefinition[]; dimensions: DimensionDefinition[] }>('/api/metrics').then((r) => ({
      metrics: r.metrics,
      byId: new Map(r.metrics.map((m) => [m.id, m])),
      dimensions: r.dimensions,
      dimensionById: new Map(r.dimensions.map((d) => [d.id, d])),
    }));
    catalogue.catch(() => (catalogue = undefined));
  }
  return catalogue;
}

export interface ValuesAnswer {
  readonly region: string;
  readonly period: string;
  readonly values: Readonly<Record<string, MetricValue>>;
}

/** GET /api/metrics/values?region&period&metrics */
export function fetchValues(region: string, period: string, metrics: readonly string[], signal?: AbortSignal): Promise<ValuesAnswer> {
  return apiGet<ValuesAnswer>('/api/metrics/values', { region, period, metrics }, signal);
}

/** GET /api/metrics/series?region&metrics&from&to → points per metric, oldest first. */
export async function fetchSeries(region: string, metrics: readonly string[], from: string, to: string, signal?: AbortSignal): Promise<Record<string, SeriesPoint[]>> {
  const r = await apiGet<{ points: { period: string; values: Record<string, MetricValue> }[] }>('/api/metrics/series', { region, metrics, from, to }, signal);
  return Object.fromEntries(metrics.map((id) => [id, r.points.map((p) => ({ period: p.period, ...(p.values[id] ?? { value: null }) }))]));
}

interface CompareAnswer {
  readonly previousPeriod: string;
  readonly lastYearPeriod: string;
  readonly values: Record<string, { current: MetricValue; previous: MetricValue; lastYear: MetricValue }>;
}

/** GET /api/metrics/compare?region&period&metrics → current, previous period and same period last year. */
export async function fetchCompare(region: string, period: string, metrics: readonly string[], signal?: AbortSignal): Promise<Record<string, Comparison>> {
  const r = await apiGet<CompareAnswer>('/api/metrics/compare', { region, period, metrics }, signal);
  return Object.fromEntries(
    Object.entries(r.values).map(([id, v]) => [
      id,
      { current: v.current, previous: { ...v.previous, period: r.previousPeriod }, lastYear: { ...v.lastYear, period: r.lastYearPeriod } },
    ]),
  );
}

interface RankingAnswer {
  readonly level: string | null;
  readonly total: number;
  readonly items: { rank: number | null; code: string; name: string; value: number | null; numerator?: number | null; denominator?: number | null }[];
}

/** GET /api/metrics/ranking?region&period&metric&order&limit → the children ranked (nulls last). */
export async function fetchRanking(
  region: string,
  period: string,
  metric: string,
  options: { order?: 'asc' | 'desc'; limit?: number; level?: 'city' | 'county' | 'township' } = {},
  signal?: AbortSignal,
): Promise<RankingRow[]> {
  const r = await apiGet<RankingAnswer>('/api/metrics/ranking', { region, period, metric, order: options.order ?? 'desc', limit: options.limit, level: options.level }, signal);
  return r.items.map((i) => ({ code: i.code, name: i.name, rank: i.rank, value: { value: i.value, numerator: i.numerator, denominator: i.denominator } }));
}
