/**
 * Loads a UTF-8 CSV file into a staging table with DuckDB's CSV reader: every column
 * read as VARCHAR, the header skipped, RFC 4180 quoting, strict parsing, and rows with a
 * wrong number of fields (or broken quoting) kept out of the table and collected from
 * the rejects table instead of failing the file. Insertion order is the file order
 * (DuckDB's preserve_insertion_order, on by default, is asserted), so a staged row's
 * rowid is its ordinal among the staged rows; row numbers are then set from a plan.
 *
 * What DuckDB 1.5.6's reader was found to do (tests/warehouse/readers cover it):
 * - strict_mode is on by default; with strict_mode = false a row with too many fields is
 *   silently cut to the expected fields and staged, so it is set explicitly.
 * - null_padding = false: a row with too few fields is an error, not padded with NULLs.
 * - ignore_errors would skip bad rows without saying which; store_rejects keeps them in a
 *   temporary table instead: one entry per error (a row missing k fields gives k entries,
 *   "Found: n" in the message), `line` = the record number counting the header and blank
 *   lines but not line breaks inside quoted fields; exact with parallel reading (checked on
 *   2 M rows with planted errors, blank lines and quoted line breaks).
 * - blank lines are skipped silently (no reject) but counted in `line`.
 * - a quote inside an unquoted field is a literal character; a doubled quote inside a
 *   quoted field is a quote; a quoted field left open at the end of the file becomes an
 *   UNQUOTED VALUE reject (the record scanner refuses such a file before that).
 */
import { BIGINT, LIST, listValue, type DuckDBConnection } from '@duckdb/node-api';
import { quoteIdentifier, stagedValueSql } from './staging-table.ts';

export interface CsvLoadSpec {
  readonly csvPath: string;
  readonly delimiter: ',' | '\t';
  /** Fields per record, from the header. */
  readonly fieldCount: number;
  /** Contract columns to stage, with their 0-based field index. */
  readonly columns: readonly { readonly key: string; readonly index: number }[];
  /** 0-based field that holds row_no (the readers' own temp CSVs); otherwise row_no is set later. */
  readonly rowNoField?: number;
}

export interface CsvReject {
  /** Record number as DuckDB counts it (header = 1, blank lines counted). */
  readonly record: number;
  readonly message: string;
}

export interface CsvLoadResult {
  readonly staged: number;
  /** One entry per rejected record, ordered by record. */
  readonly rejects: readonly CsvReject[];
}

export async function loadCsvIntoStagingTable(conn: DuckDBConnection, table: string, spec: CsvLoadSpec): Promise<CsvLoadResult> {
  const rejectsTable = `${table}__rejects`;
  const rejectsScan = `${table}__reject_scans`;
  await dropTempTables(conn, rejectsTable, rejectsScan);
  try {
    const fields = Array.from({ length: spec.fieldCount }, (_, i) => `'c${i}': 'VARCHAR'`).join(', ');
    const targets = [...(spec.rowNoField !== undefined ? ['row_no'] : []), ...spec.columns.map((c) => quoteIdentifier(c.key))];
    const values = [
      ...(spec.rowNoField !== undefined ? [`CAST(c${spec.rowNoField} AS BIGINT)`] : []),
      ...spec.columns.map((c) => stagedValueSql(`c${c.index}`)),
    ];
    const order = await conn.runAndReadAll(`SELECT current_setting('preserve_insertion_order') AS v`);
    if (order.getRowObjectsJS()[0].v !== true) throw new Error('DuckDB preserve_insertion_order is off: staged rows would lose file order');
    const inserted = await conn.run(
      `INSERT INTO ${quoteIdentifier(table)} (${targets.join(', ')})
       SELECT ${values.join(', ')}
       FROM read_csv($path, columns = {${fields}}, header = true, delim = $delim, quote = '"', escape = '"',
                     auto_detect = false, strict_mode = true, null_padding = false, parallel = true,
                     store_rejects = true, rejects_table = '${rejectsTable}', rejects_scan = '${rejectsScan}')`,
      { path: spec.csvPath, delim: spec.delimiter },
    );
    const reader = await conn.runAndReadAll(
      `SELECT line::BIGINT AS record, list(DISTINCT error_type ORDER BY error_type) AS types,
              min(TRY_CAST(regexp_extract(error_message, 'Found: (\\d+)', 1) AS BIGINT)) AS min_found,
              max(TRY_CAST(regexp_extract(error_message, 'Found: (\\d+)', 1) AS BIGINT)) AS max_found,
              min(error_message) AS message
       FROM ${quoteIdentifier(rejectsTable)} GROUP BY line ORDER BY line`,
    );
    const rejects = reader.getRowObjectsJS().map((r) => ({
      record: Number(r.record),
      message: rejectMessage(r.types as string[], spec.fieldCount, r.min_found as bigint | null, r.max_found as bigint | null, String(r.message)),
    }));
    return { staged: Number(inserted.rowsChanged), rejects };
  } finally {
    await dropTempTables(conn, rejectsTable, rejectsScan);
  }
}

function rejectMessage(types: string[], expected: number, minFound: bigint | null, maxFound: bigint | null, duckdbMessage: string): string {
  if (types.includes('UNQUOTED VALUE')) return 'broken quoting: a quoted field is not closed before the next delimiter';
  if (types.includes('MISSING COLUMNS') && minFound !== null) return `wrong number of fields: expected ${expected}, found ${minFound}`;
  if (types.includes('TOO MANY COLUMNS') && maxFound !== null) return `wrong number of fields: expected ${expected}, found ${maxFound}`;
  if (types.includes('LINE SIZE OVER MAXIMUM')) return 'row longer than the maximum line size';
  return `${types.join(', ').toLowerCase()}: ${duckdbMessage}`;
}

async function dropTempTables(conn: DuckDBConnection, ...names: string[]): Promise<void> {
  for (const name of names) await conn.run(`DROP TABLE IF EXISTS temp.main.${quoteIdentifier(name)}`);
}

/**
 * Sets row_no = rowid + 2 + offset, the offset a step function of the rowid (the staged
 * row's ordinal); checks that rowids are exactly 0..n-1 first.
 */
export async function applyRowNumbers(
  conn: DuckDBConnection,
  table: string,
  steps: readonly { readonly from: number; readonly offset: number }[],
  staged: number,
): Promise<void> {
  const t = quoteIdentifier(table);
  const ids = (await conn.runAndReadAll(`SELECT count(*)::BIGINT AS n, coalesce(min(rowid), 0)::BIGINT AS lo, coalesce(max(rowid), -1)::BIGINT AS hi FROM ${t}`)).getRowObjectsJS()[0];
  if (Number(ids.n) !== staged || Number(ids.lo) !== 0 || Number(ids.hi) !== staged - 1) {
    throw new Error(`staging table ${table}: rowids are not 0..${staged - 1} (count ${ids.n}, ${ids.lo}..${ids.hi})`);
  }
  if (staged === 0) return;
  if (steps.length === 1) {
    await conn.run(`UPDATE ${t} SET row_no = rowid + $add`, { add: BigInt(2 + steps[0].offset) }, { add: BIGINT });
    return;
  }
  const from = steps.map((s) => BigInt(s.from));
  const to = steps.map((s, i) => BigInt(i + 1 < steps.length ? steps[i + 1].from : staged));
  const add = steps.map((s) => BigInt(2 + s.offset));
  await conn.run(
    `UPDATE ${t} SET row_no = ${t}.rowid + s.a
     FROM (SELECT unnest($from) AS f, unnest($to) AS u, unnest($add) AS a) AS s
     WHERE ${t}.rowid >= s.f AND ${t}.rowid < s.u`,
    { from: listValue(from), to: listValue(to), add: listValue(add) },
    { from: LIST(BIGINT), to: LIST(BIGINT), add: LIST(BIGINT) },
  );
}
