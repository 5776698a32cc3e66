/**
 * Collection-point metrics from points, point_villages, submissions and regions.
 *
 * The point structure is the latest points file in the build (max(as_of) of points and
 * of point_villages); a point exists in a month when established_on ≤ the month's last
 * day. The points of a region are those whose township lies in it; for a village, the
 * point(s) covering it. Submissions are the latest version per point and month.
 *
 * "Lies in a region" is an equi-join on the region's code prefix (region-prefix.ts) when the
 * query has many regions: each point's township code and each village code is unnested to
 * its prefixes of every level (2, 4, 6, 9 and 12 digits), so thousands of regions join
 * thousands of points by hash instead of testing every pair with starts_with (1 M build,
 * 3,111 townships × 2 periods: 1.83 s → 0.29 s). For a few regions starts_with stays
 * cheaper than unnesting every village.
 */
import type { MetricId } from './catalogue.ts';
import type { MetricCell } from './metric-value.ts';
import { readMetricValue, selectMetricSql, type MetricSql } from './metric-sql.ts';
import { coveredMonths, monthEndDate, stockMonth, type Period } from './period.ts';
import { regionPrefix } from './region-prefix.ts';
import { submissionDeadline } from './submission-deadline.ts';
import { valuesList, type SqlRunner, type SqlValue } from './sql-runner.ts';
import type { WarehouseCoverage } from './warehouse-coverage.ts';
import { levelOfCode } from '../reference/regions.ts';

/** Over villages/covered (stock) and expected/submitted/on_time point-months (flow). */
export const POINT_SQL = {
  point_coverage: { numerator: 'covered', denominator: 'villages' },
  point_update_rate: { numerator: 'submitted', denominator: 'expected' },
  point_on_time_rate: { numerator: 'on_time', denominator: 'expected' },
} as const satisfies Partial<Record<MetricId, MetricSql>>;

export type PointMetricId = keyof typeof POINT_SQL;

/** From how many regions on the query joins points and villages to regions by prefix equality. */
export const PREFIX_JOIN_FROM = 64;

export function pointQuery(
  regions: readonly string[],
  periods: readonly Period[],
  metrics: readonly PointMetricId[],
  coverage: WarehouseCoverage,
  deadlineDay?: number,
): { sql: string; params: SqlValue[] } | undefined {
  const rows: SqlValue[][] = [];
  for (const p of periods) {
    const end = stockMonth(p, coverage);
    if (!end) continue;
    for (const m of coveredMonths(p, coverage)) rows.push([p.id, m, monthEndDate(m), submissionDeadline(m, deadlineDay), m === end]);
  }
  if (rows.length === 0 || regions.length === 0 || metrics.length === 0) return undefined;
  const r = valuesList(
    regions.map((c) => [c, regionPrefix(c), levelOfCode(c) === 'village']),
    ['VARCHAR', 'VARCHAR', 'BOOLEAN'],
  );
  const p = valuesList(rows, ['VARCHAR', 'VARCHAR', 'DATE', 'DATE', 'BOOLEAN']);
  const wantCover = metrics.includes('point_coverage');
  // many regions: join on unnested prefixes; a few: starts_with is cheaper than unnesting every village
  const byPrefix = regions.length > PREFIX_JOIN_FROM;
  const wantMonths = metrics.some((m) => m !== 'point_coverage');
  const pointMonths = wantMonths
    ? `SELECT rp.region_code, p.period,
    count(*) AS expected,
    count(*) FILTER (WHERE s.submitted_on IS NOT NULL AND s.status <> '未报送') AS submitted,
    count(*) FILTER (WHERE s.submitted_on IS NOT NULL AND s.status <> '未报送' AND s.submitted_on <= p.deadline) AS on_time
  FROM region_points rp JOIN p ON rp.established_on <= p.month_end
  LEFT JOIN submissions s ON s.point_code = rp.point_code AND s.month = p.month
  GROUP BY rp.region_code, p.period`
    : 'SELECT NULL::VARCHAR AS region_code, NULL::VARCHAR AS period, 0 AS expected, 0 AS submitted, 0 AS on_time WHERE false';
  const villageCover = wantCover
    ? `SELECT r.code AS region_code, p.period,
    count(*) AS villages,
    count(*) FILTER (WHERE cv.covered_from <= p.month_end) AS covered
  FROM r JOIN ${byPrefix ? 'village_prefixes v ON v.prefix = r.prefix' : "regions v ON v.level = 'village' AND starts_with(v.code, r.prefix)"}
  JOIN p ON p.is_end
  LEFT JOIN covered_villages cv ON cv.village_code = v.code
  GROUP BY r.code, p.period`
    : 'SELECT NULL::VARCHAR AS region_code, NULL::VARCHAR AS period, 0 AS villages, 0 AS covered WHERE false';
  const sql = `WITH r(code, prefix, is_village) AS (VALUES ${r.sql}),
p(period, month, month_end, deadline, is_end) AS (VALUES ${p.sql}),
pts AS (SELECT point_code, township_code, established_on FROM points WHERE as_of = (SELECT max(as_of) FROM points)),
pv AS (SELECT point_code, village_code FROM point_villages WHERE as_of = (SELECT max(as_of) FROM point_villages)),
pts_prefixes AS (
  SELECT point_code, established_on, unnest([left(township_code, 2), left(township_code, 4), left(township_code, 6), township_code]) AS prefix FROM pts
),
village_prefixes AS (
  SELECT code, unnest([left(code, 2), left(code, 4), left(code, 6), left(code, 9), code]) AS prefix FROM regions WHERE level = 'village'
),
region_points AS (
  SELECT r.code AS region_code, pts.point_code, pts.established_on
  FROM r JOIN ${byPrefix ? 'pts_prefixes pts ON NOT r.is_village AND pts.prefix = r.prefix' : 'pts ON NOT r.is_village AND starts_with(pts.township_code, r.prefix)'}
  UNION ALL
  SELECT DISTINCT r.code, pts.point_code, pts.established_on
  FROM r JOIN pv ON r.is_village AND pv.village_code = r.code JOIN pts ON pts.point_code = pv.point_code
),
point_months AS (${pointMonths}),
covered_villages AS (
  SELECT pv.village_code, min(pts.established_on) AS covered_from
  FROM pv JOIN pts ON pts.point_code = pv.point_code
  GROUP BY pv.village_code
),
village_cover AS (${villageCover}),
b AS (
  SELECT r.code AS region_code, p.period,
    coalesce(any_value(vc.villages), 0) AS villages, coalesce(any_value(vc.covered), 0) AS covered,
    coalesce(any_value(pm.expected), 0) AS expected, coalesce(any_value(pm.submitted), 0) AS submitted, coalesce(any_value(pm.on_time), 0) AS on_time
  FROM r CROSS JOIN (SELECT DISTINCT period FROM p) p
  LEFT JOIN village_cover vc ON vc.region_code = r.code AND vc.period = p.period
  LEFT JOIN point_months pm ON pm.region_code = r.code AND pm.period = p.period
  GROUP BY r.code, p.period
)
SELECT region_code, period, ${metrics.map((id) => selectMetricSql(id, POINT_SQL[id])).join(', ')} FROM b`;
  return { sql, params: [...r.params, ...p.params] };
}

export async function pointMetricValues(
  run: SqlRunner,
  coverage: WarehouseCoverage,
  regions: readonly string[],
  periods: readonly Period[],
  metrics: readonly PointMetricId[],
  deadlineDay?: number,
): Promise<MetricCell[]> {
  const q = pointQuery(regions, periods, metrics, coverage, deadlineDay);
  if (!q) return [];
  return (await run(q.sql, q.params)).flatMap((row) =>
    metrics.map((id) => ({ region: String(row.region_code), period: String(row.period), metric: id, value: readMetricValue(row, id, POINT_SQL[id]) })),
  );
}
