/**
 * Reads a large query result in batches on a connection that is also writing (e.g. with
 * an Appender). Streaming the result instead is unsafe there: the appender flushes on
 * the same connection every 204,800 rows, and a flush ends any result still being
 * streamed on it, silently dropping the remaining rows. The result is materialised once
 * into a temporary table, numbered in `orderBy` order (a column list of the query; an
 * ORDER BY inside the query is not kept by the numbering), and read back by ranges.
 */
import type { DuckDBConnection, DuckDBResultReader, DuckDBValue } from '@duckdb/node-api';

let counter = 0;

export async function readInBatches(
  conn: DuckDBConnection,
  sql: string,
  params: DuckDBValue[] | Record<string, DuckDBValue> | undefined,
  onBatch: (reader: DuckDBResultReader) => void | Promise<void>,
  options: { batchRows?: number; orderBy?: string } = {},
): Promise<void> {
  const batchRows = options.batchRows ?? 100_000;
  const table = `rlm_batched_${process.pid}_${++counter}`;
  await conn.run(`CREATE TEMP TABLE ${table} AS SELECT row_number() OVER (${options.orderBy ? `ORDER BY ${options.orderBy}` : ''}) AS rlm_rn, * FROM (${sql})`, params);
  try {
    const columns = (await conn.runAndReadAll(`SELECT * EXCLUDE (rlm_rn) FROM ${table} LIMIT 0`)).columnNames();
    const list = columns.map((c) => `"${c.replaceAll('"', '""')}"`).join(', ');
    for (let lo = 1; ; lo += batchRows) {
      const reader = await conn.runAndReadAll(`SELECT ${list} FROM ${table} WHERE rlm_rn >= $lo AND rlm_rn < $hi ORDER BY rlm_rn`, {
        lo: BigInt(lo),
        hi: BigInt(lo + batchRows),
      });
      if (reader.currentRowCount === 0) break;
      await onBatch(reader);
    }
  } finally {
    await conn.run(`DROP TABLE IF EXISTS ${table}`);
  }
}
