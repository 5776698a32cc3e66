/**
 * The data-quality score per region and period, combined at query time from the small
 * dq_ tables of the build (buildQualityTables) and, where available, the accuracy of
 * sampling evaluations (from the state database, passed in). score-formula.ts holds the
 * formula; this file gathers its counts.
 *
 * Periods are lists of months (a month, a quarter, a year): flows (on-time and due
 * points, quarantined rows, event findings, snapshot differences) are summed over the
 * period's months; stocks (active and stale records, state findings) are those of the
 * period's last month; coverage and the cross-department comparison are those of the
 * latest points file and rosters. Regions: province, cities, counties and townships
 * (quarantine, consistency and sampling exist from the county up).
 */
import { levelOfCode } from '../reference/regions.ts';
import type { SqlRunner, SqlValue } from '../metrics/sql-runner.ts';
import { combineScore, samplingComponent, shareComponent, toleranceComponent, SCORE_COMPONENTS, SCORE_TOLERANCES, type ScoreValue } from './score-formula.ts';

export interface ScorePeriod {
  /** The period id reported back (e.g. 2025-03, 2025-Q1, 2025). */
  readonly id: string;
  /** Its months 'YYYY-MM' that the warehouse covers, in order. */
  readonly months: readonly string[];
}

/** Sampling results of one county (from the latest evaluation with results). */
export interface CountySampling {
  readonly matches: number;
  readonly verified: number;
  /** Registered persons of the county in the sampling frame (weights the combination). */
  readonly population: number;
}

export interface QualityScoreRequest {
  readonly regions: readonly string[];
  readonly periods: readonly ScorePeriod[];
  /** Day of the following month by which a submission is on time; default: the build's setting. */
  readonly deadlineDay?: number;
  /** County code → sampling results. */
  readonly sampling?: ReadonlyMap<string, CountySampling>;
}

export interface QualityScoreRow extends ScoreValue {
  readonly region: string;
  readonly period: string;
}

const placeholders = (n: number) => Array.from({ length: n }, () => '?').join(', ');
const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));

/** Sampling accuracy of a region: the county's own, or the population-weighted combination of its counties. */
export function regionSamplingAccuracy(region: string, sampling: ReadonlyMap<string, CountySampling> | undefined): { accuracy: number; matches: number; verified: number } | null {
  if (!sampling) return null;
  const level = levelOfCode(region);
  const prefix = level === 'province' ? region.slice(0, 2) : level === 'city' ? region.slice(0, 4) : level === 'county' ? region : undefined;
  if (!prefix) return null;
  let weighted = 0;
  let pop = 0;
  let matches = 0;
  let verified = 0;
  for (const [county, s] of sampling) {
    if (!county.startsWith(prefix) || s.verified === 0) continue;
    weighted += s.population * (s.matches / s.verified);
    pop += s.population;
    matches += s.matches;
    verified += s.verified;
  }
  return pop > 0 ? { accuracy: weighted / pop, matches, verified } : null;
}

export async function qualityScores(run: SqlRunner, request: QualityScoreRequest): Promise<QualityScoreRow[]> {
  const regions = [...new Set(request.regions)];
  const periods = request.periods.filter((p) => p.months.length > 0);
  if (regions.length === 0 || periods.length === 0) return [];
  const months = [...new Set(periods.flatMap((p) => p.months))].sort();
  const R = placeholders(regions.length);
  const M = placeholders(months.length);
  const rm: SqlValue[] = [...regions, ...months];

  // A build made without the quality step has no dq_ tables: every score is then unknown.
  const hasTables = await run("SELECT count(*) AS n FROM information_schema.tables WHERE table_name = 'dq_meta'", []);
  if (num(hasTables[0]?.n) === 0) {
    const none = { value: null, numerator: null, denominator: null };
    const empty = combineScore(Object.fromEntries(SCORE_COMPONENTS.map((c) => [c.id, none])) as Parameters<typeof combineScore>[0]);
    return regions.flatMap((region) => periods.map((p) => ({ region, period: p.id, ...empty })));
  }
  const dqMeta = new Map((await run('SELECT key, value FROM dq_meta', [])).map((r) => [String(r.key), String(r.value)]));
  const buildDeadline = Number(dqMeta.get('deadlineDay') ?? 5);
  const deadlineDay = request.deadlineDay ?? buildDeadline;
  const quarantineByCounty = dqMeta.get('quarantine_by_county') === 'true';

  const timelinessSql =
    deadlineDay === buildDeadline
      ? `SELECT region_code, month, points_due, on_time, county_verified FROM dq_timeliness
         WHERE region_code IN (${R}) AND month IN (${M}) AND deadline_passed`
      : `WITH r AS (SELECT unnest([${R}]) AS code),
         pm AS (
           SELECT *, make_date(year(CAST(month || '-01' AS DATE) + INTERVAL 1 MONTH), month(CAST(month || '-01' AS DATE) + INTERVAL 1 MONTH), ?) AS dl
           FROM dq_point_month WHERE month IN (${M})
         )
         SELECT r.code AS region_code, pm.month, count(*) AS points_due,
                count(*) FILTER (WHERE pm.submitted AND pm.submitted_on <= pm.dl) AS on_time,
                count(*) FILTER (WHERE pm.county_verified) AS county_verified
         FROM r JOIN pm ON r.code = '510000' OR pm.city_code = r.code OR pm.county_code = r.code OR pm.township_code = r.code
         WHERE pm.dl <= CAST((SELECT value FROM dq_meta WHERE key = 'data_as_of') AS DATE)
         GROUP BY ALL`;
  const timelinessParams: SqlValue[] = deadlineDay === buildDeadline ? rm : [...regions, deadlineDay, ...months];

  const [coverage, timeliness, records, quarantine, reconciliation, snapshots, cross] = await Promise.all([
    run(`SELECT region_code, compliant, villages FROM dq_coverage WHERE region_code IN (${R})`, regions),
    run(timelinessSql, timelinessParams),
    run(
      `SELECT region_code, month, active, stale, status_work_region + age_over_limit + income_out_of_range + coalesce(shared_phone, 0) AS state_findings,
              presence_reason_conflict + status_flip AS event_findings
       FROM dq_record_checks WHERE region_code IN (${R}) AND month IN (${M})`,
      rm,
    ),
    run(`SELECT region_code, month, quarantined FROM dq_quarantine_month WHERE region_code IN (${R}) AND month IN (${M})`, rm),
    run(`SELECT region_code, month, differences FROM dq_reconciliation_month WHERE region_code IN (${R}) AND month IN (${M})`, rm),
    run(`SELECT month FROM dq_snapshot_months WHERE month IN (${M})`, months),
    run(
      `SELECT region_code, sum(matched) AS matched, sum(roster_persons) AS roster_persons, sum(registry_flagged) AS registry_flagged
       FROM dq_cross_department WHERE region_code IN (${R}) GROUP BY region_code`,
      regions,
    ),
  ]);

  const key = (r: string, m: string) => `${r}|${m}`;
  const byRM = <T>(rows: Record<string, unknown>[], f: (r: Record<string, unknown>) => T) => new Map(rows.map((r) => [key(String(r.region_code), String(r.month)), f(r)]));
  const cov = new Map(coverage.map((r) => [String(r.region_code), { good: num(r.compliant), all: num(r.villages) }]));
  const tim = byRM(timeliness, (r) => ({ due: num(r.points_due), onTime: num(r.on_time), verified: num(r.county_verified) }));
  const rec = byRM(records, (r) => ({ active: num(r.active), stale: num(r.stale), state: num(r.state_findings), events: num(r.event_findings) }));
  const qua = byRM(quarantine, (r) => num(r.quarantined));
  const dif = byRM(reconciliation, (r) => num(r.differences));
  const snapshotMonths = new Set(snapshots.map((r) => String(r.month)));
  const crs = new Map(cross.map((r) => [String(r.region_code), { matched: num(r.matched), union: num(r.roster_persons) + num(r.registry_flagged) - num(r.matched) }]));

  const out: QualityScoreRow[] = [];
  for (const region of regions) {
    const level = levelOfCode(region);
    const countyUp = level === 'province' || level === 'city' || level === 'county';
    for (const p of periods) {
      const last = p.months[p.months.length - 1];
      let due = 0;
      let onTime = 0;
      let verified = 0;
      let events = 0;
      let quarantined = 0;
      let differences = 0;
      for (const m of p.months) {
        const t = tim.get(key(region, m));
        if (t) (due += t.due), (onTime += t.onTime), (verified += t.verified);
        events += rec.get(key(region, m))?.events ?? 0;
        quarantined += qua.get(key(region, m)) ?? 0;
        differences += dif.get(key(region, m)) ?? 0;
      }
      const end = rec.get(key(region, last));
      const active = end?.active ?? null;
      const c = cov.get(region);
      const x = crs.get(region);
      const hasSnapshot = p.months.some((m) => snapshotMonths.has(m));
      const sampled = regionSamplingAccuracy(region, request.sampling);
      const quarantineKnown = countyUp && (quarantineByCounty || level === 'province');
      const findings = end ? end.state + events : null;
      out.push({
        region,
        period: p.id,
        ...combineScore({
          coverage: { value: shareComponent(c?.good ?? null, c?.all ?? null), numerator: c?.good ?? null, denominator: c?.all ?? null },
          timeliness: { value: shareComponent(onTime, due), numerator: due ? onTime : null, denominator: due || null },
          review: { value: shareComponent(verified, due), numerator: due ? verified : null, denominator: due || null },
          currency: {
            value: end ? shareComponent(end.active - end.stale, end.active) : null,
            numerator: end ? end.active - end.stale : null,
            denominator: active,
          },
          quarantine: {
            value: quarantineKnown ? toleranceComponent(quarantined, active, SCORE_TOLERANCES.quarantine) : null,
            numerator: quarantineKnown ? quarantined : null,
            denominator: quarantineKnown ? active : null,
          },
          plausibility: { value: toleranceComponent(findings, active, SCORE_TOLERANCES.plausibility), numerator: findings, denominator: active },
          consistency: {
            value: countyUp && hasSnapshot ? toleranceComponent(differences, active, SCORE_TOLERANCES.consistency) : null,
            numerator: countyUp && hasSnapshot ? differences : null,
            denominator: countyUp && hasSnapshot ? active : null,
          },
          cross_department: { value: x ? shareComponent(x.matched, x.union) : null, numerator: x?.matched ?? null, denominator: x?.union ?? null },
          sampling: { value: samplingComponent(sampled?.accuracy ?? null), numerator: sampled?.matches ?? null, denominator: sampled?.verified ?? null },
        }),
      });
    }
  }
  return out;
}
