/**
 * Figures for the API: values, series, comparisons and rankings of catalogue metrics,
 * computed by warehouse/metrics over the served warehouse build (through the pool: bound
 * parameters, a cache per version, the concurrency cap and query timeouts).
 */
import type { DuckDBValue } from '@duckdb/node-api';
import type { DerivedLoader, WarehousePool } from './warehouse-pool.ts';
import { computeMetricValues, type MetricResults } from '../../warehouse/metrics/metric-values.ts';
import { readWarehouseCoverage, type WarehouseCoverage } from '../../warehouse/metrics/warehouse-coverage.ts';
import type { MetricId } from '../../warehouse/metrics/catalogue.ts';
import { previousPeriod, samePeriodLastYear, stockMonth, type Period } from '../../warehouse/metrics/period.ts';
import type { MetricValue } from '../../warehouse/metrics/metric-value.ts';
import type { SqlRunner } from '../../warehouse/metrics/sql-runner.ts';
import { RegionMonthTable } from '../../warehouse/metrics/region-month-table.ts';
import type { CountySampling } from '../../warehouse/quality/quality-scores.ts';
import { loadRegions, REGION_LEVELS, type Region, type RegionLevel } from '../../warehouse/reference/regions.ts';
import { ApiError } from '../plugins/errors.ts';

export interface Change {
  /** value − other value (for rates: in rate units, e.g. 0.004 = 0.4 percentage points). */
  readonly change: number | null;
  /** change / |other value|; null when the other value is 0 or unknown. */
  readonly relative: number | null;
}

export interface RankingItem {
  readonly rank: number | null;
  readonly code: string;
  readonly name: string;
  readonly value: number | null;
  readonly numerator?: number | null;
  readonly denominator?: number | null;
}

/** The build's agg_region_month above village level, tagged with the build's meta version. */
const loadRegionMonthTable: DerivedLoader<RegionMonthTable> = async (run) => {
  const cov = await readWarehouseCoverage((sql, params) => run(sql, params as DuckDBValue[]));
  return RegionMonthTable.load((sql, params) => run(sql, params as DuckDBValue[]), cov.version);
};

function change(a: MetricValue, b: MetricValue): Change {
  if (a.value === null || b.value === null) return { change: null, relative: null };
  const c = a.value - b.value;
  return { change: c, relative: b.value === 0 ? null : c / Math.abs(b.value) };
}

export class MetricService {
  readonly run: SqlRunner;

  /**
   * `sampling` reads the latest sampling verification results per county (state database)
   * for quality_score; they change without a refresh, so they are read per request.
   */
  constructor(
    private readonly pool: WarehousePool,
    private readonly sampling?: () => ReadonlyMap<string, CountySampling>,
  ) {
    this.run = (sql, params) => pool.query(sql, params as DuckDBValue[]);
    pool.preload('region-month-table', loadRegionMonthTable);
  }

  coverage(): Promise<WarehouseCoverage> {
    return readWarehouseCoverage(this.run);
  }

  /** 404 naming the history when the period lies wholly outside it. */
  async coveredPeriod(p: Period, name = 'period'): Promise<WarehouseCoverage> {
    const cov = await this.coverage();
    if (!stockMonth(p, cov)) {
      throw new ApiError(404, 'no_data', `no data for ${name} '${p.id}': the warehouse covers ${cov.firstMonth} to ${cov.lastMonth} (data as of ${cov.dataAsOf})`);
    }
    return cov;
  }

  /**
   * agg_region_month above village level, in memory once per warehouse version; undefined
   * when it cannot be read (the metrics are then computed by SQL, as for villages).
   */
  regionMonthTable(): Promise<RegionMonthTable | undefined> {
    return this.pool.perVersion('region-month-table', loadRegionMonthTable).catch(() => undefined);
  }

  async compute(regions: readonly string[], periods: readonly Period[], metrics: readonly MetricId[]): Promise<MetricResults> {
    const [cov, regionMonthTable] = await Promise.all([this.coverage(), this.regionMonthTable()]);
    const sampling = metrics.includes('quality_score') ? this.sampling?.() : undefined;
    return computeMetricValues(this.run, cov, { regions, periods, metrics, sampling, regionMonthTable });
  }

  async values(region: string, period: Period, metrics: readonly MetricId[]): Promise<Record<string, MetricValue>> {
    await this.coveredPeriod(period);
    const r = await this.compute([region], [period], metrics);
    return Object.fromEntries(metrics.map((id) => [id, r.get(region, period.id, id)]));
  }

  async series(region: string, periods: readonly Period[], metrics: readonly MetricId[]) {
    const r = await this.compute([region], periods, metrics);
    return periods.map((p) => ({ period: p.id, values: Object.fromEntries(metrics.map((id) => [id, r.get(region, p.id, id)])) }));
  }

  async compare(region: string, period: Period, metrics: readonly MetricId[]) {
    await this.coveredPeriod(period);
    const prev = previousPeriod(period);
    const ly = samePeriodLastYear(period);
    const r = await this.compute([region], [period, prev, ly], metrics);
    const values = Object.fromEntries(
      metrics.map((id) => {
        const current = r.get(region, period.id, id);
        const previous = r.get(region, prev.id, id);
        const lastYear = r.get(region, ly.id, id);
        return [id, { current, previous, lastYear, mom: change(current, previous), yoy: change(current, lastYear) }];
      }),
    );
    return { previousPeriod: prev.id, lastYearPeriod: ly.id, values };
  }

  /**
   * The children of a region (or, with `level`, its descendants at that level, e.g. the
   * 183 counties of the province) ranked by a metric; nulls last; ties share a rank.
   */
  async ranking(region: Region, period: Period, metric: MetricId, order: 'asc' | 'desc', limit: number, level?: RegionLevel) {
    await this.coveredPeriod(period);
    const tree = loadRegions();
    let children = tree.children(region.code);
    if (level !== undefined) {
      if (REGION_LEVELS.indexOf(level) <= REGION_LEVELS.indexOf(region.level)) {
        throw new ApiError(400, 'bad_request', `level '${level}' is not below region ${region.code} (${region.level})`);
      }
      while (children.length > 0 && children[0].level !== level) children = children.flatMap((c) => tree.children(c.code));
    }
    if (children.length === 0) return { level: null, total: 0, items: [] as RankingItem[] };
    const r = await this.compute(children.map((c) => c.code), [period], [metric]);
    const rows = children.map((c) => ({ code: c.code, name: c.name, ...r.get(c.code, period.id, metric) }));
    const sign = order === 'desc' ? -1 : 1;
    rows.sort((a, b) => {
      if (a.value === null || b.value === null) return a.value === null ? (b.value === null ? a.code.localeCompare(b.code) : 1) : -1;
      return sign * (a.value - b.value) || a.code.localeCompare(b.code);
    });
    const items: RankingItem[] = [];
    rows.forEach((row, i) => {
      const prev = items[i - 1];
      const rank = row.value === null ? null : prev && prev.value === row.value ? prev.rank : i + 1;
      items.push({ rank, ...row });
    });
    return { level: children[0].level, total: children.length, items: items.slice(0, limit) };
  }
}
