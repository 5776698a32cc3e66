/**
 * Reconciliation (表库相符) of a persons snapshot after the base: the accepted rows are
 * compared with the state derived from the base and the events recorded on or before the
 * snapshot date. Each difference is a finding: 'missing' (active in the derived state,
 * absent from the snapshot), 'extra' (in the snapshot, not active in the derived state),
 * 'different' (one finding per differing column). Findings are recorded, never applied:
 * the snapshot does not overwrite the derived state. A re-sent snapshot replaces the
 * findings of its date. reconciliation_summary counts findings per county and kind
 * (for 'different': differing columns, not persons).
 *
 * Two steps: when the file loads, its accepted rows (keyed pid and typed attributes, no
 * personal data) wait in the staging table `pending_snapshots`; after the run has derived
 * the spells, `reconcilePendingSnapshots` compares each snapshot with the derived state as
 * of its date (derived-state-at.ts, which takes it from the spells instead of aggregating
 * the whole history again).
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { KindLoadResult, LoadContext } from '../refresh/load-context.ts';
import { STORED_ATTRIBUTES, attributeColumnsDdl, attributeTypedSelect } from './person-attributes.ts';
import { buildDerivedStateAt } from './derived-state-at.ts';
import { pidSqlExpression } from '../vault/pid-hash.ts';
import { isoDate, paramsFor } from './named-params.ts';
import { sqlConstant, sqlIdent } from '../validate/sql-constant.ts';

const PENDING = 'pending_snapshots';
const createPending = (conn: DuckDBConnection) =>
  conn.run(`CREATE TABLE IF NOT EXISTS ${PENDING} (batch VARCHAR, file VARCHAR, snapshot_date DATE, pid VARCHAR, ${attributeColumnsDdl('stored')})`);

/** At load time: keeps the snapshot's accepted rows for reconcilePendingSnapshots. */
export async function stageSnapshot(ctx: LoadContext, checkedTable: string): Promise<KindLoadResult> {
  const { conn } = ctx;
  await createPending(conn);
  const del = `DELETE FROM ${PENDING} WHERE batch = $batch AND file = $file`;
  await conn.run(del, paramsFor(del, ctx.params));
  const insert = `INSERT INTO ${PENDING}
    SELECT $batch, $file, $file_date, ${pidSqlExpression('s.id_number')}, ${attributeTypedSelect('stored')}
    FROM ${sqlIdent(checkedTable)} s WHERE s.failed IS NULL`;
  const r = await conn.run(insert, paramsFor(insert, ctx.params));
  return { loaded: Number(r.rowsChanged) };
}

export interface SnapshotReconciliation {
  readonly batch: string;
  readonly file: string;
  readonly snapshotDate: string;
  readonly findings: number;
  /** Persons whose derived state came from the full aggregation (late events), -1 for everyone. */
  readonly latePersons: number;
}

/** After the spells are derived: the findings of every snapshot staged in this run, in date order. */
export async function reconcilePendingSnapshots(conn: DuckDBConnection): Promise<SnapshotReconciliation[]> {
  await createPending(conn);
  const files = (
    await conn.runAndReadAll(`SELECT DISTINCT batch, file, strftime(snapshot_date, '%Y-%m-%d') AS d FROM ${PENDING} ORDER BY d, batch, file`)
  ).getRowObjectsJS();
  const out: SnapshotReconciliation[] = [];
  for (const f of files) {
    const params = { batch: String(f.batch), file: String(f.file), file_date: isoDate(String(f.d)), recorded_through: isoDate(String(f.d)) };
    const run = async (sql: string) => conn.run(sql, paramsFor(sql, params));
    // the snapshot's rows are read where they wait: a copy of a 30 M-row snapshot would double its memory
    const snapshot = `(SELECT * FROM ${PENDING} WHERE batch = $batch AND file = $file)`;
    const { latePersons } = await buildDerivedStateAt(conn, 'recon_derived', params);
    await run('DELETE FROM wh.reconciliation WHERE snapshot_date = $file_date');
    await run('DELETE FROM wh.reconciliation_summary WHERE snapshot_date = $file_date');
    const diffs = STORED_ATTRIBUTES.map(
      (a) => `CASE WHEN d.${sqlIdent(a.key)} IS DISTINCT FROM s.${sqlIdent(a.key)} THEN ${sqlConstant(a.source ?? a.key)} END`,
    ).join(', ');
    await run(`INSERT INTO wh.reconciliation
      SELECT $batch, $file, $file_date, d.pid, substr(d.village_code, 1, 6), 'missing', NULL
        FROM recon_derived d ANTI JOIN ${snapshot} s ON s.pid = d.pid
      UNION ALL
      SELECT $batch, $file, $file_date, s.pid, substr(s.village_code, 1, 6), 'extra', NULL
        FROM ${snapshot} s ANTI JOIN recon_derived d ON s.pid = d.pid
      UNION ALL
      SELECT $batch, $file, $file_date, pid, county_code, 'different', column_key FROM (
        SELECT d.pid, substr(d.village_code, 1, 6) AS county_code, unnest([${diffs}]) AS column_key
        FROM recon_derived d JOIN ${snapshot} s ON s.pid = d.pid
      ) WHERE column_key IS NOT NULL
      ORDER BY 5, 6, 4, 7`);
    await run(`INSERT INTO wh.reconciliation_summary
      SELECT snapshot_date, county_code, kind, count(*)::INTEGER FROM wh.reconciliation WHERE snapshot_date = $file_date
      GROUP BY ALL ORDER BY 2, 3`);
    const count = 'SELECT count(*) AS n FROM wh.reconciliation WHERE snapshot_date = $file_date';
    const findings = Number((await conn.runAndReadAll(count, paramsFor(count, params))).getRowObjectsJS()[0].n);
    out.push({ batch: String(f.batch), file: String(f.file), snapshotDate: String(f.d), findings, latePersons });
    await conn.run('DROP TABLE IF EXISTS recon_derived');
  }
  await conn.run(`DROP TABLE ${PENDING}`);
  return out;
}
