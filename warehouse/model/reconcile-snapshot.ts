/**
 * Reconciliation (表库相符) of a persons snapshot after the base: the accepted rows are
 * compared with the state derived from the base and the events recorded on or before the
 * snapshot date (person-state-at.ts). Each difference is a finding: 'missing' (active in the derived state,
 * absent from the snapshot), 'extra' (in the snapshot, not active in the derived state),
 * 'different' (one finding per differing column). Findings are recorded, never applied:
 * the snapshot does not overwrite the derived state. A re-sent snapshot replaces the
 * findings of its date. reconciliation_summary counts findings per county and kind
 * (for 'different': differing columns, not persons).
 */
import type { KindLoadResult, LoadContext } from '../refresh/load-context.ts';
import { STORED_ATTRIBUTES, attributeTypedSelect } from './person-attributes.ts';
import { buildPersonStateAt } from './person-state-at.ts';
import { pidSqlExpression } from '../vault/pid-hash.ts';
import { paramsFor } from './named-params.ts';
import { sqlConstant, sqlIdent } from '../validate/sql-constant.ts';

export async function reconcileSnapshot(ctx: LoadContext, checkedTable: string): Promise<KindLoadResult> {
  const { conn } = ctx;
  const t = sqlIdent(checkedTable);
  const run = async (sql: string) => conn.run(sql, paramsFor(sql, ctx.params));
  await run(`CREATE OR REPLACE TABLE recon_snapshot AS
    SELECT ${pidSqlExpression('s.id_number')} AS pid, ${attributeTypedSelect('stored')} FROM ${t} s WHERE s.failed IS NULL`);
  await buildPersonStateAt(conn, 'recon_derived', { recorded_through: ctx.params.file_date });
  await run('DELETE FROM wh.reconciliation WHERE snapshot_date = $file_date');
  await run('DELETE FROM wh.reconciliation_summary WHERE snapshot_date = $file_date');
  const diffs = STORED_ATTRIBUTES.map(
    (a) => `CASE WHEN d.${sqlIdent(a.key)} IS DISTINCT FROM s.${sqlIdent(a.key)} THEN ${sqlConstant(a.source ?? a.key)} END`,
  ).join(', ');
  await run(`INSERT INTO wh.reconciliation
    SELECT $batch, $file, $file_date, d.pid, substr(d.village_code, 1, 6), 'missing', NULL
      FROM recon_derived d ANTI JOIN recon_snapshot s ON s.pid = d.pid
    UNION ALL
    SELECT $batch, $file, $file_date, s.pid, substr(s.village_code, 1, 6), 'extra', NULL
      FROM recon_snapshot s ANTI JOIN recon_derived d ON s.pid = d.pid
    UNION ALL
    SELECT $batch, $file, $file_date, pid, county_code, 'different', column_key FROM (
      SELECT d.pid, substr(d.village_code, 1, 6) AS county_code, unnest([${diffs}]) AS column_key
      FROM recon_derived d JOIN recon_snapshot s ON s.pid = d.pid
    ) WHERE column_key IS NOT NULL
    ORDER BY 5, 6, 4, 7`);
  await run(`INSERT INTO wh.reconciliation_summary
    SELECT snapshot_date, county_code, kind, count(*)::INTEGER FROM wh.reconciliation WHERE snapshot_date = $file_date
    GROUP BY ALL ORDER BY 2, 3`);
  const loaded = Number((await conn.runAndReadAll('SELECT count(*)::INTEGER AS n FROM recon_snapshot')).getRowObjectsJS()[0].n);
  for (const x of ['recon_snapshot', 'recon_derived']) await conn.run(`DROP TABLE IF EXISTS ${x}`);
  return { loaded };
}
