/**
 * The staging table every reader fills: `row_no BIGINT` then one VARCHAR column per
 * contract key present in the file, named by the key. Values are the cell text with
 * surrounding white space (ASCII blanks, CR/LF, no-break and ideographic spaces)
 * trimmed; empty cells are NULL.
 */
import type { DuckDBConnection } from '@duckdb/node-api';

const TABLE_NAME = /^[a-z_][a-z0-9_]*$/;

/** White space trimmed around every value. Constants, so they are written into the SQL. */
const TRIMMED = ' \t\r\n\u00a0\u3000';
const EDGE_BLANK = '^[ \\t\\r\\n\\x{00a0}\\x{3000}]|[ \\t\\r\\n\\x{00a0}\\x{3000}]$';

export function assertStagingTableName(table: string): void {
  if (!TABLE_NAME.test(table)) throw new Error(`staging table name must match ${TABLE_NAME}: ${JSON.stringify(table)}`);
}

/** Quotes an identifier that has already been checked against a whitelist or TABLE_NAME. */
export function quoteIdentifier(name: string): string {
  if (!TABLE_NAME.test(name)) throw new Error(`not a safe identifier: ${JSON.stringify(name)}`);
  return `"${name}"`;
}

/**
 * SQL for one staged value from a VARCHAR column reference. trim() with a character set
 * is slow in DuckDB (it doubled the CPU time of a CSV load); a regular-expression test
 * of the two ends first sends only the few values that need it through trim.
 */
export function stagedValueSql(column: string): string {
  return `CASE WHEN regexp_matches(${column}, '${EDGE_BLANK}') THEN NULLIF(trim(${column}, '${TRIMMED}'), '') ELSE NULLIF(${column}, '') END`;
}

export async function createStagingTable(conn: DuckDBConnection, table: string, keys: readonly string[]): Promise<void> {
  const columns = ['row_no BIGINT', ...keys.map((k) => `${quoteIdentifier(k)} VARCHAR`)];
  await conn.run(`CREATE TABLE ${quoteIdentifier(table)} (${columns.join(', ')})`);
}

export async function countRows(conn: DuckDBConnection, table: string): Promise<number> {
  const reader = await conn.runAndReadAll(`SELECT count(*)::BIGINT AS n FROM ${quoteIdentifier(table)}`);
  return Number(reader.getRowObjectsJS()[0].n);
}
