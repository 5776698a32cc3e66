/**
 * Stages a Parquet export with read_parquet: columns mapped by name (Chinese header or
 * English alias) like CSV headers, every value turned into text (dates as YYYY-MM-DD,
 * timestamps at midnight as dates, whole floating-point numbers without ".0"), and
 * row_no = the row's 0-based position in the file + 2, so that the same data gives the
 * same row numbers as a CSV with a header line. Columns are referenced by position, so
 * no name read from the file ever becomes SQL text.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { quoteIdentifier, stagedValueSql } from './staging-table.ts';

export interface ParquetColumn {
  readonly name: string;
  readonly type: string;
}

export async function describeParquet(conn: DuckDBConnection, path: string): Promise<ParquetColumn[]> {
  const reader = await conn.runAndReadAll('DESCRIBE SELECT * FROM read_parquet($path)', { path });
  return reader.getRowObjectsJS().map((r) => ({ name: String(r.column_name), type: String(r.column_type) }));
}

/** Text of the value in column #position (1-based) of a given DuckDB type. */
function textSql(position: number, type: string): string {
  const ref = `#${position}`;
  if (type === 'VARCHAR') return ref;
  if (type === 'DATE') return `strftime(${ref}, '%Y-%m-%d')`;
  if (type.startsWith('TIMESTAMP')) {
    return `CASE WHEN CAST(${ref} AS TIME) = TIME '00:00:00' THEN strftime(${ref}, '%Y-%m-%d') ELSE strftime(${ref}, '%Y-%m-%d %H:%M:%S') END`;
  }
  if (type === 'DOUBLE' || type === 'FLOAT') {
    return `CASE WHEN isfinite(${ref}) AND ${ref} = trunc(${ref}) AND abs(${ref}) < 1e15 THEN CAST(CAST(${ref} AS BIGINT) AS VARCHAR) ELSE CAST(${ref} AS VARCHAR) END`;
  }
  return `CAST(${ref} AS VARCHAR)`;
}

export async function loadParquetIntoStagingTable(
  conn: DuckDBConnection,
  table: string,
  path: string,
  schema: readonly ParquetColumn[],
  columns: readonly { readonly key: string; readonly index: number }[],
): Promise<number> {
  const targets = ['row_no', ...columns.map((c) => quoteIdentifier(c.key))];
  // read_parquet(file_row_number = true) appends file_row_number after the file's columns.
  const texts = [`#${schema.length + 1} + 2 AS row_no`, ...columns.map((c, i) => `${textSql(c.index + 1, schema[c.index].type)} AS v${i}`)];
  const result = await conn.run(
    `INSERT INTO ${quoteIdentifier(table)} (${targets.join(', ')})
     SELECT row_no, ${columns.map((_, i) => stagedValueSql(`v${i}`)).join(', ')}
     FROM (SELECT ${texts.join(', ')} FROM read_parquet($path, file_row_number = true))`,
    { path },
  );
  return Number(result.rowsChanged);
}
