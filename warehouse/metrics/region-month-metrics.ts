/**
 * Metrics computed from agg_region_month (one row per region, at every level, per month:
 * month-end stocks by status, presence and flag, and the month's increases and decreases).
 *
 * Stocks are read at the period's stock month (its last month, clipped to the history);
 * flows are summed over the period's months inside the history; poverty_employed_yoy
 * also reads the month twelve months before the stock month. A region without a row in
 * a month of the history has nobody registered: its counts are 0.
 *
 * REGION_MONTH_SQL gives each metric as SQL expressions over agg_region_month's column
 * names, so the same expressions work on one agg_region_month row (a month; the alert
 * rules use them so) and on the per-period sums this module builds.
 */
import type { MetricId } from './catalogue.ts';
import { addMonths, coveredMonths, stockMonth, type Period } from './period.ts';
import type { MetricCell } from './metric-value.ts';
import { readMetricValue, selectMetricSql, type MetricSql } from './metric-sql.ts';
import { valuesList, type SqlRunner, type SqlValue } from './sql-runner.ts';
import type { WarehouseCoverage } from './warehouse-coverage.ts';
import type { RegionMonthTable } from './region-month-table.ts';

export const REGION_MONTH_SQL = {
  labour_force: { value: 'labour_force' },
  employed: { value: 'employed' },
  transfer_employed: { value: 'transfer' },
  out_migrant_in_province: { value: 's22' },
  out_migrant_out_province: { value: 's23' },
  abroad: { value: 's24' },
  unemployed: { value: 'unemployed' },
  not_in_labour_force: { value: 's50' },
  unemployment_rate: { numerator: 'unemployed', denominator: '(employed + unemployed)' },
  employment_rate: { numerator: 'employed', denominator: '(employed + unemployed)' },
  at_home: { value: 'at_home' },
  away: { value: 'away' },
  increases: { value: 'increases' },
  decreases: { value: 'decreases' },
  net_change: { value: '(increases - decreases)' },
  poverty_employed: { value: 'poverty_transfer' },
  /** poverty_transfer_ly: poverty_transfer of the same region twelve months earlier. */
  poverty_employed_yoy: { numerator: 'poverty_transfer', denominator: 'poverty_transfer_ly' },
  relocated_employed: { value: 'relocated_transfer' },
} as const satisfies Partial<Record<MetricId, MetricSql>>;

export type RegionMonthMetricId = keyof typeof REGION_MONTH_SQL;

/** Per region and period: stocks at the stock month, flows over the covered months. */
export const REGION_MONTH_STOCK_COLUMNS = ['labour_force', 'employed', 'transfer', 's22', 's23', 's24', 'unemployed', 's50', 'at_home', 'away', 'poverty_transfer', 'relocated_transfer'] as const;
export const REGION_MONTH_FLOW_COLUMNS = ['increases', 'decreases'] as const;
const STOCK_COLUMNS = REGION_MONTH_STOCK_COLUMNS;
const FLOW_COLUMNS = REGION_MONTH_FLOW_COLUMNS;

/** The SQL and parameters computing `metrics` for `regions` × `periods`. */
export function regionMonthQuery(
  regions: readonly string[],
  periods: readonly Period[],
  metrics: readonly RegionMonthMetricId[],
  coverage: WarehouseCoverage,
): { sql: string; params: SqlValue[] } | undefined {
  const rows: SqlValue[][] = [];
  for (const p of periods) {
    const end = stockMonth(p, coverage);
    if (!end) continue;
    for (const m of coveredMonths(p, coverage)) rows.push([p.id, m, true, m === end, false]);
    const ly = addMonths(end, -12);
    if (ly >= coverage.firstMonth) rows.push([p.id, ly, false, false, true]);
  }
  if (rows.length === 0 || regions.length === 0 || metrics.length === 0) return undefined;
  const r = valuesList(regions.map((c) => [c]), ['VARCHAR']);
  const p = valuesList(rows, ['VARCHAR', 'VARCHAR', 'BOOLEAN', 'BOOLEAN', 'BOOLEAN']);
  const base = [
    ...STOCK_COLUMNS.map((c) => `coalesce(sum(m.${c}) FILTER (WHERE p.is_end), 0) AS ${c}`),
    ...FLOW_COLUMNS.map((c) => `coalesce(sum(m.${c}) FILTER (WHERE p.in_flow), 0) AS ${c}`),
    'CASE WHEN bool_or(p.is_ly) THEN coalesce(sum(m.poverty_transfer) FILTER (WHERE p.is_ly), 0) END AS poverty_transfer_ly',
  ];
  const sql = `WITH r(code) AS (VALUES ${r.sql}),
p(period, month, in_flow, is_end, is_ly) AS (VALUES ${p.sql}),
b AS (
  SELECT r.code AS region_code, p.period,
    ${base.join(',\n    ')}
  FROM r CROSS JOIN p
  LEFT JOIN (
    SELECT * FROM agg_region_month
    WHERE region_code IN (${regions.map(() => '?::VARCHAR').join(', ')}) AND month BETWEEN ?::VARCHAR AND ?::VARCHAR
  ) m ON m.region_code = r.code AND m.month = p.month
  GROUP BY r.code, p.period
)
SELECT region_code, period, ${metrics.map((id) => selectMetricSql(id, REGION_MONTH_SQL[id])).join(', ')}
FROM b`;
  // The scan filter repeats the regions and the month range so DuckDB prunes row groups.
  const months = rows.map((x) => String(x[1])).sort();
  return { sql, params: [...r.params, ...p.params, ...regions, months[0], months[months.length - 1]] };
}

/**
 * The metrics for regions × periods. With `table` (agg_region_month of the same build held
 * in memory, region-month-table.ts) regions above village level are computed without a
 * query; otherwise, or for villages, by regionMonthQuery.
 */
export async function regionMonthMetricValues(
  run: SqlRunner,
  coverage: WarehouseCoverage,
  regions: readonly string[],
  periods: readonly Period[],
  metrics: readonly RegionMonthMetricId[],
  table?: RegionMonthTable,
): Promise<MetricCell[]> {
  if (metrics.length === 0 || regions.length === 0) return [];
  const held = table?.cells(coverage, regions, periods, metrics);
  if (held) return held;
  const q = regionMonthQuery(regions, periods, metrics, coverage);
  if (!q) return [];
  const out: MetricCell[] = [];
  for (const row of await run(q.sql, q.params)) {
    for (const id of metrics) {
      out.push({ region: String(row.region_code), period: String(row.period), metric: id, value: readMetricValue(row, id, REGION_MONTH_SQL[id]) });
    }
  }
  return out;
}
