/**
 * Computes catalogue metrics for regions (any level) and periods (YYYY-MM, YYYY-Qn,
 * YYYY) from the warehouse aggregates: one query per source table family, run
 * concurrently, with bound parameters only (the region-month family needs none for
 * regions above villages when the caller passes the build's RegionMonthTable). Every rate comes with its numerator and
 * denominator. A period outside the warehouse history gives null values.
 */
import type { CountySampling } from '../quality/quality-scores.ts';
import { getMetric, hasFraction, type MetricId } from './catalogue.ts';
import { festivalMetricValues, FESTIVAL_SQL, type FestivalMetricId } from './festival-metrics.ts';
import type { MetricCell, MetricValue } from './metric-value.ts';
import type { Period } from './period.ts';
import { pointMetricValues, POINT_SQL, type PointMetricId } from './point-metrics.ts';
import { qualityScoreValues } from './quality-score.ts';
import { regionMonthMetricValues, REGION_MONTH_SQL, type RegionMonthMetricId } from './region-month-metrics.ts';
import type { RegionMonthTable } from './region-month-table.ts';
import type { SqlRunner } from './sql-runner.ts';
import type { WarehouseCoverage } from './warehouse-coverage.ts';

export interface MetricRequest {
  readonly regions: readonly string[];
  readonly periods: readonly Period[];
  readonly metrics: readonly MetricId[];
  /** Day of the following month by which a point's submission is on time (default 5). */
  readonly deadlineDay?: number;
  /** County code → latest sampling verification results (the state database), for quality_score. */
  readonly sampling?: ReadonlyMap<string, CountySampling>;
  /** agg_region_month of the same build in memory (region-month-table.ts): no query for regions above villages. */
  readonly regionMonthTable?: RegionMonthTable;
}

/** The results of one request: region → period → metric → value. */
export class MetricResults {
  private readonly cells = new Map<string, MetricValue>();

  add(cells: readonly MetricCell[]): void {
    for (const c of cells) this.cells.set(`${c.region}|${c.period}|${c.metric}`, c.value);
  }

  /** The value, or nulls when the period is outside the history. */
  get(region: string, period: string, metric: MetricId): MetricValue {
    return this.cells.get(`${region}|${period}|${metric}`) ?? emptyValue(metric);
  }
}

export function emptyValue(metric: MetricId): MetricValue {
  return hasFraction(getMetric(metric)) ? { value: null, numerator: null, denominator: null } : { value: null };
}

const isIn = <K extends string>(table: Readonly<Record<K, unknown>>) => (id: MetricId): id is MetricId & K => id in table;

export async function computeMetricValues(run: SqlRunner, coverage: WarehouseCoverage, request: MetricRequest): Promise<MetricResults> {
  // Duplicates would double the sums (e.g. a year's previous period is also its last year).
  const regions = [...new Set(request.regions)];
  const periods = [...new Map(request.periods.map((p) => [p.id, p])).values()];
  const metrics = [...new Set(request.metrics)];
  const regionMonth = metrics.filter(isIn(REGION_MONTH_SQL)) as RegionMonthMetricId[];
  const festival = metrics.filter(isIn(FESTIVAL_SQL)) as FestivalMetricId[];
  const points = metrics.filter(isIn(POINT_SQL)) as PointMetricId[];
  const none = Promise.resolve([]);
  const parts = await Promise.all([
    regionMonth.length ? regionMonthMetricValues(run, coverage, regions, periods, regionMonth, request.regionMonthTable) : none,
    festival.length ? festivalMetricValues(run, coverage, regions, periods, festival) : none,
    points.length ? pointMetricValues(run, coverage, regions, periods, points, request.deadlineDay) : none,
    metrics.includes('quality_score') ? qualityScoreValues(run, coverage, regions, periods, request.deadlineDay, request.sampling, request.regionMonthTable) : Promise.resolve([]),
  ]);
  const results = new MetricResults();
  for (const p of parts) results.add(p);
  return results;
}
