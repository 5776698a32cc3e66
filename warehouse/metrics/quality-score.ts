/**
 * The INTERIM data-quality score (issue 9 replaces the formula; the id stays):
 *
 *   score = 100 × Σ wᵢ·cᵢ / Σ wᵢ over the components cᵢ (each 0-1) that have data:
 *   (a) 1 − quarantine share, w = 0.4: quarantined rows attributable to the region (all
 *       files loaded into the build, by the county of the row when the warehouse records
 *       it) / labour force at the period end, capped at 1;
 *   (b) point_update_rate, w = 0.2; (c) point_on_time_rate, w = 0.2 (point-metrics.ts);
 *   (d) 1 − reconciliation share, w = 0.2: differences (表库不符) found by the persons
 *       snapshots dated in the period, for counties in the region / labour force at the
 *       period end, capped at 1.
 * (a) and (d) are known per county, so townships and villages score on (b) and (c) only;
 * when quarantined rows carry no county, (a) is computed for the province only.
 * Numerator = Σ wᵢ·cᵢ × 100, denominator = Σ wᵢ.
 *
 * When the build holds the data-quality tables of issue 9 (dq_meta and the other dq_*
 * tables made by warehouse/quality/build-quality-tables.ts), the full score of
 * warehouse/quality/quality-scores.ts is used instead, with the same value / numerator /
 * denominator convention.
 */
import type { MetricCell } from './metric-value.ts';
import { fraction } from './metric-value.ts';
import { coveredMonths, monthEndDate, stockMonth, type Period } from './period.ts';
import { pointMetricValues } from './point-metrics.ts';
import { regionMonthMetricValues } from './region-month-metrics.ts';
import type { RegionMonthTable } from './region-month-table.ts';
import { num, valuesList, type SqlRunner } from './sql-runner.ts';
import type { WarehouseCoverage } from './warehouse-coverage.ts';
import { levelOfCode } from '../reference/regions.ts';
import { regionPrefix } from './region-prefix.ts';
import { qualityScores, type CountySampling } from '../quality/quality-scores.ts';

export const QUALITY_WEIGHTS = { quarantine: 0.4, update: 0.2, onTime: 0.2, reconciliation: 0.2 } as const;

export interface QualityComponents {
  quarantine: number | null;
  update: number | null;
  onTime: number | null;
  reconciliation: number | null;
}

/** The score of a set of components (null ones left out). */
export function qualityScore(c: QualityComponents): { value: number | null; numerator: number | null; denominator: number | null } {
  let n = 0;
  let d = 0;
  for (const k of Object.keys(QUALITY_WEIGHTS) as (keyof QualityComponents)[]) {
    const v = c[k];
    if (v === null) continue;
    n += QUALITY_WEIGHTS[k] * v * 100;
    d += QUALITY_WEIGHTS[k];
  }
  return d === 0 ? { value: null, numerator: null, denominator: null } : fraction(n, d) as { value: number; numerator: number; denominator: number };
}

async function hasTable(run: SqlRunner, table: string): Promise<boolean> {
  const rows = await run('SELECT count(*) AS n FROM information_schema.tables WHERE table_name = ?', [table]);
  return (num(rows[0]?.n) ?? 0) > 0;
}

async function hasColumn(run: SqlRunner, table: string, column: string): Promise<boolean> {
  const rows = await run('SELECT count(*) AS n FROM information_schema.columns WHERE table_name = ? AND column_name = ?', [table, column]);
  return (num(rows[0]?.n) ?? 0) > 0;
}

export async function qualityScoreValues(
  run: SqlRunner,
  coverage: WarehouseCoverage,
  regions: readonly string[],
  periods: readonly Period[],
  deadlineDay?: number,
  sampling?: ReadonlyMap<string, CountySampling>,
  regionMonthTable?: RegionMonthTable,
): Promise<MetricCell[]> {
  const live = periods.filter((p) => stockMonth(p, coverage));
  if (live.length === 0 || regions.length === 0) return [];
  if (await hasTable(run, 'dq_meta')) {
    const rows = await qualityScores(run, { regions, periods: live.map((p) => ({ id: p.id, months: coveredMonths(p, coverage) })), deadlineDay, sampling });
    return rows.map((r) => ({ region: r.region, period: r.period, metric: 'quality_score' as const, value: { value: r.score, numerator: r.numerator, denominator: r.denominator } }));
  }
  const [points, labour, quarantineByCounty] = await Promise.all([
    pointMetricValues(run, coverage, regions, live, ['point_update_rate', 'point_on_time_rate'], deadlineDay),
    regionMonthMetricValues(run, coverage, regions, live, ['labour_force'], regionMonthTable),
    hasColumn(run, 'quarantine', 'county_code'),
  ]);
  const countyLevel = regions.filter((c) => ['province', 'city', 'county'].includes(levelOfCode(c) ?? ''));
  const quarantined = new Map<string, number>();
  const reconciled = new Map<string, number>();
  if (countyLevel.length) {
    const r = valuesList(countyLevel.map((c) => [c, regionPrefix(c), levelOfCode(c) === 'province']), ['VARCHAR', 'VARCHAR', 'BOOLEAN']);
    const qSql = quarantineByCounty
      ? `WITH r(code, prefix, is_province) AS (VALUES ${r.sql})
         SELECT r.code, count(q.row_no) AS n FROM r LEFT JOIN quarantine q ON r.is_province OR starts_with(q.county_code, r.prefix) GROUP BY r.code`
      : `WITH r(code, prefix, is_province) AS (VALUES ${r.sql})
         SELECT r.code, (SELECT count(*) FROM quarantine) AS n FROM r WHERE r.is_province`;
    for (const row of await run(qSql, r.params)) quarantined.set(String(row.code), num(row.n) ?? 0);
    const pr = valuesList(
      live.map((p) => {
        const months = coveredMonths(p, coverage);
        return [p.id, `${months[0]}-01`, monthEndDate(months[months.length - 1])];
      }),
      ['VARCHAR', 'DATE', 'DATE'],
    );
    const rSql = `WITH r(code, prefix, is_province) AS (VALUES ${r.sql}), p(period, first_day, last_day) AS (VALUES ${pr.sql})
      SELECT r.code, p.period, coalesce(sum(s.count), 0) AS n
      FROM r CROSS JOIN p LEFT JOIN reconciliation_summary s
        ON starts_with(s.county_code, r.prefix) AND s.snapshot_date::DATE BETWEEN p.first_day AND p.last_day
      GROUP BY r.code, p.period`;
    for (const row of await run(rSql, [...r.params, ...pr.params])) reconciled.set(`${row.code}|${row.period}`, num(row.n) ?? 0);
  }
  const byKey = new Map<string, number | null>();
  for (const c of [...points, ...labour]) byKey.set(`${c.region}|${c.period}|${c.metric}`, c.value.value);
  const out: MetricCell[] = [];
  for (const region of regions) {
    for (const p of live) {
      const lf = byKey.get(`${region}|${p.id}|labour_force`) ?? null;
      const share = (n: number | undefined) => (n === undefined || lf === null || lf === 0 ? null : 1 - Math.min(1, n / lf));
      const value = qualityScore({
        quarantine: share(quarantined.get(region)),
        update: byKey.get(`${region}|${p.id}|point_update_rate`) ?? null,
        onTime: byKey.get(`${region}|${p.id}|point_on_time_rate`) ?? null,
        reconciliation: share(reconciled.get(`${region}|${p.id}`)),
      });
      out.push({ region, period: p.id, metric: 'quality_score', value });
    }
  }
  return out;
}
