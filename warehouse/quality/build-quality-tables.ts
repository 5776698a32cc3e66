/**
 * Computes the data-quality tables into a warehouse build (a refresh step, after the
 * person, event, point, submission, roster, quarantine and reconciliation tables are
 * complete): coverage, timeliness and review, record checks (plausibility and currency)
 * with their worklist, cross-department comparison, and the monthly quarantine and
 * reconciliation inputs of the score. Everything is set-based SQL over the build; the
 * tables are small (regions × months) except the worklists. docs/quality.md lists them.
 *
 * Why at refresh time: the checks scan person-level tables (30 M persons × months);
 * requests must never do that. The score itself is combined at query time from these
 * small tables (qualityScores), because its sampling component lives in the state
 * database and changes without a refresh.
 *
 * Call with a connection whose default catalog is the build, or pass `catalog` (e.g.
 * 'wh') when the build is attached under a name.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { catalogTables, runNamed, type QualityBuildContext } from './quality-build-context.ts';
import { qualitySettings, type QualitySettings } from './quality-settings.ts';
import { buildCoverageTables } from './coverage-tables.ts';
import { buildTimelinessTables } from './timeliness-tables.ts';
import { buildRecordCheckTables } from './record-check-tables.ts';
import { buildCrossDepartmentTables } from './cross-department-tables.ts';
import { buildScoreInputTables } from './score-input-tables.ts';
import { buildPhoneHashes, phoneHashesFromVaultColumns } from './phone-hashes.ts';

export interface BuildQualityOptions {
  /** Catalog the build is attached as (default: the connection's default catalog). */
  readonly catalog?: string;
  readonly settings?: Partial<QualitySettings>;
  /**
   * The data folder's keys: when the build has no phone_hash column, the shared-phone check
   * decrypts the vault with them (refresh time only); with neither, the check is skipped and
   * reported as unavailable.
   */
  readonly keys?: { readonly pidKey: Buffer; readonly vaultKey: Buffer };
  /** Folder for the phone step's temporary file of keyed hashes (default: the OS temp folder). */
  readonly tempDir?: string;
  readonly log?: (line: string) => void;
}

export interface QualityBuildSummary {
  readonly steps: { step: string; ms: number }[];
  readonly phoneHashes: number | null;
  readonly quarantineByCounty: boolean;
  readonly findings: Record<string, number>;
}

/** The tables this step writes (all prefixed dq_). */
export const QUALITY_TABLES = [
  'dq_meta',
  'dq_village_coverage',
  'dq_point_coverage',
  'dq_coverage',
  'dq_point_month',
  'dq_timeliness',
  'dq_phone_hashes',
  'dq_phone_vault_counts',
  'dq_person_findings',
  'dq_record_checks',
  'dq_roster_findings',
  'dq_cross_department',
  'dq_quarantine_month',
  'dq_reconciliation_month',
  'dq_snapshot_months',
] as const;

export async function buildQualityTables(conn: DuckDBConnection, options: BuildQualityOptions = {}): Promise<QualityBuildSummary> {
  const settings = qualitySettings(options.settings);
  const t = catalogTables(options.catalog);
  const metaRows = (await conn.runAndReadAll(`SELECT key, value FROM ${t('meta')}`)).getRowObjectsJS();
  const meta = new Map(metaRows.map((r) => [String(r.key), r.value === null ? '' : String(r.value)]));
  const need = (k: string) => {
    const v = meta.get(k);
    if (!v) throw new Error(`buildQualityTables: the build's meta table has no '${k}'`);
    return v;
  };
  const ctx: QualityBuildContext = {
    conn,
    t,
    settings,
    dataAsOf: need('data_as_of'),
    firstMonth: need('first_month'),
    lastMonth: need('last_month'),
  };
  const steps: { step: string; ms: number }[] = [];
  const step = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    let out: T;
    try {
      out = await fn();
    } catch (err) {
      // name the part of the quality step in the run's one-line failure
      throw new Error(`quality ${name}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
    const ms = Math.round(performance.now() - started);
    steps.push({ step: name, ms });
    options.log?.(`quality: ${name} ${ms} ms`);
    return out;
  };

  await step('coverage', () => buildCoverageTables(ctx));
  await step('timeliness', () => buildTimelinessTables(ctx));
  // Phone hashes: from the vault's phone_hash column when every record has it, else by decrypting the vault (needs
  // the keys), else unavailable.
  let phoneHashes = await step('phone_hashes_vault_column', () => phoneHashesFromVaultColumns(ctx));
  if (phoneHashes === null && options.keys) phoneHashes = await step('phone_hashes_vault', () => buildPhoneHashes(ctx, options.keys!, options.tempDir));
  if (phoneHashes === null) for (const x of ['dq_phone_hashes', 'dq_phone_vault_counts']) await runNamed(ctx, `DROP TABLE IF EXISTS ${t(x)}`);
  await step('record_checks', () => buildRecordCheckTables(ctx, phoneHashes !== null));
  await step('cross_department', () => buildCrossDepartmentTables(ctx));
  const { quarantineByCounty } = await step('score_inputs', () => buildScoreInputTables(ctx));

  const entries: [string, string][] = [
    ...Object.entries(settings).map(([k, v]): [string, string] => [k, String(v)]),
    ['data_as_of', ctx.dataAsOf],
    ['first_month', ctx.firstMonth],
    ['last_month', ctx.lastMonth],
    ['phone_check', phoneHashes === null ? 'unavailable' : 'available'],
    ['quarantine_by_county', String(quarantineByCounty)],
    ['built_ms', String(steps.reduce((s, x) => s + x.ms, 0))],
  ];
  await runNamed(ctx, `CREATE OR REPLACE TABLE ${t('dq_meta')} (key VARCHAR NOT NULL, value VARCHAR)`);
  for (const [key, value] of entries) await runNamed(ctx, `INSERT INTO ${t('dq_meta')} VALUES ($key, $value)`, { key, value });

  const counts = (await conn.runAndReadAll(`SELECT check_id, count(*)::INTEGER AS n FROM ${t('dq_person_findings')} GROUP BY ALL ORDER BY 1`)).getRowObjectsJS();
  const roster = (await conn.runAndReadAll(`SELECT kind, count(*)::INTEGER AS n FROM ${t('dq_roster_findings')} GROUP BY ALL ORDER BY 1`)).getRowObjectsJS();
  const findings: Record<string, number> = {};
  for (const r of counts) findings[String(r.check_id)] = Number(r.n);
  for (const r of roster) findings[`roster_${String(r.kind)}`] = Number(r.n);
  return { steps, phoneHashes, quarantineByCounty, findings };
}
