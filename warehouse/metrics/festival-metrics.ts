/**
 * Spring Festival metrics from festival_daily (返乡 and 外出 events per festival year,
 * day relative to day 0, region at every level and the festival dimensions), cumulative
 * over the window span of each period (festival-window.ts).
 */
import type { MetricId } from './catalogue.ts';
import { festivalSpan } from './festival-window.ts';
import type { Period } from './period.ts';
import type { MetricCell } from './metric-value.ts';
import { readMetricValue, selectMetricSql, type MetricSql } from './metric-sql.ts';
import { valuesList, type SqlRunner, type SqlValue } from './sql-runner.ts';
import type { WarehouseCoverage } from './warehouse-coverage.ts';

/** Over the cumulative sums `returned` and `departed` of the span. */
export const FESTIVAL_SQL = {
  festival_returned: { value: 'returned' },
  festival_departed: { value: 'departed' },
  festival_not_departed: { value: '(returned - departed)' },
  festival_return_rate: { numerator: 'departed', denominator: 'returned' },
} as const satisfies Partial<Record<MetricId, MetricSql>>;

export type FestivalMetricId = keyof typeof FESTIVAL_SQL;

export function festivalQuery(
  regions: readonly string[],
  periods: readonly Period[],
  metrics: readonly FestivalMetricId[],
  coverage: WarehouseCoverage,
): { sql: string; params: SqlValue[] } | undefined {
  const rows: SqlValue[][] = [];
  for (const p of periods) {
    const span = festivalSpan(p, coverage);
    if (span) rows.push([p.id, span.festivalYear, span.fromDay, span.toDay]);
  }
  if (rows.length === 0 || regions.length === 0 || metrics.length === 0) return undefined;
  const r = valuesList(regions.map((c) => [c]), ['VARCHAR']);
  const p = valuesList(rows, ['VARCHAR', 'INTEGER', 'INTEGER', 'INTEGER']);
  const select = metrics.map((id) => selectMetricSql(id, FESTIVAL_SQL[id]));
  const sql = `WITH r(code) AS (VALUES ${r.sql}),
p(period, festival_year, from_day, to_day) AS (VALUES ${p.sql}),
b AS (
  SELECT r.code AS region_code, p.period,
    coalesce(sum(f.returned), 0) AS returned,
    coalesce(sum(f.departed), 0) AS departed
  FROM r CROSS JOIN p
  LEFT JOIN (
    SELECT region_code, festival_year, day, returned, departed FROM festival_daily
    WHERE region_code IN (${regions.map(() => '?::VARCHAR').join(', ')})
  ) f ON f.region_code = r.code AND f.festival_year = p.festival_year AND f.day BETWEEN p.from_day AND p.to_day
  GROUP BY r.code, p.period
)
SELECT region_code, period, ${select.join(', ')} FROM b`;
  return { sql, params: [...r.params, ...p.params, ...regions] };
}

export async function festivalMetricValues(
  run: SqlRunner,
  coverage: WarehouseCoverage,
  regions: readonly string[],
  periods: readonly Period[],
  metrics: readonly FestivalMetricId[],
): Promise<MetricCell[]> {
  const q = festivalQuery(regions, periods, metrics, coverage);
  if (!q) return [];
  const out: MetricCell[] = [];
  for (const row of await run(q.sql, q.params)) {
    for (const id of metrics) {
      out.push({ region: String(row.region_code), period: String(row.period), metric: id, value: readMetricValue(row, id, FESTIVAL_SQL[id]) });
    }
  }
  return out;
}
