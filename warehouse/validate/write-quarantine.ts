/**
 * Writes the rejected rows of one file to wh.quarantine: rows that failed a check (from
 * the checked table) and rows the reader could not parse (malformed_row). Returns the
 * count per reason. Each row carries its county when the row names a known one (the first
 * six digits of its village code, or of its township code for points; else the county of
 * its collection point), so that county staff see their own rejects; NULL otherwise
 * (unparseable rows, unknown codes).
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { REJECT_REASONS } from '../contract/reject-reasons.ts';
import { paramsFor, type ParamBag } from '../model/named-params.ts';
import { sqlIdent } from './sql-constant.ts';

export async function writeQuarantine(
  conn: DuckDBConnection,
  options: {
    checkedTable: string;
    checksTable: string;
    malformed: readonly { rowNo: number; message: string }[];
    params: ParamBag; // run_id, batch, file
  },
): Promise<Record<string, number>> {
  const columns = (await conn.runAndReadAll('SELECT column_name FROM duckdb_columns() WHERE database_name = current_database() AND table_name = $t', { t: options.checkedTable }))
    .getRowObjectsJS()
    .map((r) => String(r.column_name));
  const codeColumn = ['village_code', 'township_code'].find((c) => columns.includes(c));
  const fromCode = codeColumn ? `substr(CAST(${sqlIdent(codeColumn)} AS VARCHAR), 1, 6)` : 'CAST(NULL AS VARCHAR)';
  const byPoint = columns.includes('point_code') && !columns.includes('township_code');
  const sql = `INSERT INTO wh.quarantine
    SELECT $run_id, $batch, $file, s.row_no, ck.column_key, s.raw_value, ck.reason, ck.message, coalesce(c.code, ${byPoint ? 'p.county_code' : 'NULL'})
    FROM (SELECT row_no, failed, raw_value, ${fromCode} AS county${byPoint ? ', point_code' : ''} FROM ${sqlIdent(options.checkedTable)} WHERE failed IS NOT NULL) s
    JOIN ${sqlIdent(options.checksTable)} ck ON ck.idx = s.failed
    LEFT JOIN (SELECT code FROM wh.regions WHERE level = 'county') c ON c.code = s.county
    ${byPoint ? 'LEFT JOIN (SELECT point_code, any_value(county_code) AS county_code FROM wh.points GROUP BY point_code) p ON p.point_code = s.point_code' : ''}
    ORDER BY s.row_no`;
  await conn.run(sql, paramsFor(sql, options.params));
  if (options.malformed.length > 0) {
    const appender = await conn.createAppender('quarantine', 'main', 'wh');
    for (const m of options.malformed) {
      appender.appendVarchar(String(options.params.run_id));
      appender.appendVarchar(String(options.params.batch));
      appender.appendVarchar(String(options.params.file));
      appender.appendBigInt(BigInt(m.rowNo));
      appender.appendNull();
      appender.appendNull();
      appender.appendVarchar('malformed_row');
      appender.appendVarchar(`${REJECT_REASONS.malformed_row.zh}：${m.message}`);
      appender.appendNull(); // county: the row could not be read
      appender.endRow();
    }
    appender.closeSync();
  }
  const countSql = `SELECT reason, count(*)::INTEGER AS n FROM wh.quarantine WHERE run_id = $run_id AND batch = $batch AND file = $file GROUP BY reason ORDER BY reason`;
  const rows = (await conn.runAndReadAll(countSql, paramsFor(countSql, options.params))).getRowObjectsJS();
  return Object.fromEntries(rows.map((r) => [String(r.reason), Number(r.n)]));
}
