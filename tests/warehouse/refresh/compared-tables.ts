/**
 * Comparing two warehouse builds table by table inside DuckDB (both attached read-only):
 * every table, without run ids, versions or timestamps; rows compared as multisets.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { readCurrentWarehouse } from '../../../warehouse/publish/current-warehouse.ts';

/** table → select list (identifiers only; the program's constants). */
export const COMPARED_TABLES: Record<string, string> = {
  agg_region_month: '*',
  agg_flows: '*',
  agg_transitions: '*',
  cube_month: '*',
  cube_destination: '*',
  cube_service_need: '*',
  festival_daily: '*',
  person_spells: '*',
  events: '*',
  quarantine: '* EXCLUDE (run_id)',
  reconciliation: '*',
  reconciliation_summary: '*',
  submissions: '*',
  rosters: '*',
  points: '*',
  point_villages: '*',
  coverage_findings: '*',
  pii_vault: 'pid, key_id, recorded_on',
  loaded_files: 'batch, rel_path, kind, sha256, format, encoding, rows_read, rows_loaded, rows_quarantined, file_date',
  base_persons: '*',
  change_log: '*',
  regions: '*',
};

/** For each table: rows only in A, rows only in B, rows in A (empty tables are reported too). */
export async function compareWarehouses(dataDirA: string, dataDirB: string): Promise<Record<string, { onlyA: number; onlyB: number; rows: number }>> {
  const a = readCurrentWarehouse(dataDirA);
  const b = readCurrentWarehouse(dataDirB);
  if (!a || !b) throw new Error('both data folders need a published warehouse');
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  try {
    await conn.run(`ATTACH '${a.file.replaceAll("'", "''")}' AS a (READ_ONLY)`);
    await conn.run(`ATTACH '${b.file.replaceAll("'", "''")}' AS b (READ_ONLY)`);
    const out: Record<string, { onlyA: number; onlyB: number; rows: number }> = {};
    for (const [t, cols] of Object.entries(COMPARED_TABLES)) {
      const q = (side: string) => `SELECT ${cols} FROM ${side}.${t}`;
      const row = (
        await conn.runAndReadAll(`SELECT
          (SELECT count(*) FROM (${q('a')} EXCEPT ALL ${q('b')})) AS only_a,
          (SELECT count(*) FROM (${q('b')} EXCEPT ALL ${q('a')})) AS only_b,
          (SELECT count(*) FROM a.${t}) AS n`)
      ).getRowObjectsJS()[0];
      out[t] = { onlyA: Number(row.only_a), onlyB: Number(row.only_b), rows: Number(row.n) };
    }
    return out;
  } finally {
    conn.closeSync();
    db.closeSync();
  }
}
