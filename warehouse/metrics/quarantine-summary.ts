/**
 * Summaries of the rows the refresh rejected into quarantine (by reason, by file, by
 * county) and of the reconciliation findings (表库不符: persons snapshots vs the
 * event-derived registry, by snapshot and county). Region filtering of quarantined rows
 * needs their county: when the build records none (no quarantine.county_code), only the
 * province has a quarantine summary.
 */
import { REJECT_REASONS, type RejectReason } from '../contract/reject-reasons.ts';
import { levelOfCode } from '../reference/regions.ts';
import { regionPrefix } from './region-prefix.ts';
import { num, type SqlRunner } from './sql-runner.ts';

export interface QuarantineSummary {
  readonly total: number;
  readonly countyKnown: boolean;
  readonly byReason: { reason: string; zh: string; en: string; count: number }[];
  readonly byFile: { batch: string; file: string; count: number }[];
  readonly byCounty: { county: string; count: number }[];
}

export async function hasQuarantineCounty(run: SqlRunner): Promise<boolean> {
  const rows = await run("SELECT count(*) AS n FROM information_schema.columns WHERE table_name = 'quarantine' AND column_name = 'county_code'", []);
  return (num(rows[0]?.n) ?? 0) > 0;
}

export async function quarantineSummary(run: SqlRunner, region: string): Promise<QuarantineSummary | undefined> {
  const countyKnown = await hasQuarantineCounty(run);
  const isProvince = levelOfCode(region) === 'province';
  if (!countyKnown && !isProvince) return undefined;
  const where = isProvince ? 'TRUE' : 'starts_with(county_code, ?)';
  const params = isProvince ? [] : [regionPrefix(region)];
  const [reasons, files, counties] = await Promise.all([
    run(`SELECT reason, count(*) AS n FROM quarantine WHERE ${where} GROUP BY reason ORDER BY n DESC, reason`, params),
    run(`SELECT batch, file, count(*) AS n FROM quarantine WHERE ${where} GROUP BY batch, file ORDER BY batch, file`, params),
    countyKnown ? run(`SELECT county_code, count(*) AS n FROM quarantine WHERE ${where} GROUP BY county_code ORDER BY county_code NULLS LAST`, params) : Promise.resolve([]),
  ]);
  const label = (r: string) => REJECT_REASONS[r as RejectReason] ?? { zh: r, en: r };
  return {
    total: reasons.reduce((a, r) => a + (num(r.n) ?? 0), 0),
    countyKnown,
    byReason: reasons.map((r) => ({ reason: String(r.reason), ...label(String(r.reason)), count: num(r.n) ?? 0 })),
    byFile: files.map((r) => ({ batch: String(r.batch), file: String(r.file), count: num(r.n) ?? 0 })),
    byCounty: counties.map((r) => ({ county: r.county_code === null ? '' : String(r.county_code), count: num(r.n) ?? 0 })),
  };
}

export interface ReconciliationSummary {
  readonly total: number;
  readonly bySnapshot: { snapshotDate: string; missing: number; extra: number; different: number }[];
  readonly byCounty: { county: string; missing: number; extra: number; different: number }[];
}

export async function reconciliationSummary(run: SqlRunner, region: string): Promise<ReconciliationSummary> {
  const sums = "coalesce(sum(count) FILTER (WHERE kind = 'missing'), 0) AS missing, coalesce(sum(count) FILTER (WHERE kind = 'extra'), 0) AS extra, coalesce(sum(count) FILTER (WHERE kind = 'different'), 0) AS different";
  const params = [regionPrefix(region)];
  const [snaps, counties] = await Promise.all([
    run(`SELECT strftime(snapshot_date::DATE, '%Y-%m-%d') AS d, ${sums} FROM reconciliation_summary WHERE starts_with(county_code, ?) GROUP BY 1 ORDER BY 1`, params),
    run(`SELECT county_code, ${sums} FROM reconciliation_summary WHERE starts_with(county_code, ?) GROUP BY 1 ORDER BY 1`, params),
  ]);
  const three = (r: Record<string, unknown>) => ({ missing: num(r.missing) ?? 0, extra: num(r.extra) ?? 0, different: num(r.different) ?? 0 });
  const bySnapshot = snaps.map((r) => ({ snapshotDate: String(r.d), ...three(r) }));
  return {
    total: bySnapshot.reduce((a, s) => a + s.missing + s.extra + s.different, 0),
    bySnapshot,
    byCounty: counties.map((r) => ({ county: String(r.county_code), ...three(r) })),
  };
}
