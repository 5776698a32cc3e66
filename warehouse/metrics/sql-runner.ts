/**
 * The one thing metric queries need from a database: run a statement with bound
 * positional parameters (`?`) and return plain rows (numbers, strings, booleans, null).
 * The engine passes its warehouse pool (cached, capped, timed out); tests and the
 * alerts pass a connection of their own.
 */
export type SqlValue = string | number | boolean | null;

export type SqlRow = Record<string, unknown>;

export type SqlRunner = (sql: string, params: readonly SqlValue[]) => Promise<SqlRow[]>;

/** `(?, ?), (?, ?)`-style VALUES rows with casts, and their flattened parameters. */
export function valuesList(rows: readonly (readonly SqlValue[])[], types: readonly string[]): { sql: string; params: SqlValue[] } {
  if (rows.length === 0) throw new Error('valuesList needs at least one row');
  const tuple = `(${types.map((t) => `?::${t}`).join(', ')})`;
  const params: SqlValue[] = [];
  for (const r of rows) {
    if (r.length !== types.length) throw new Error(`valuesList row has ${r.length} values, expected ${types.length}`);
    params.push(...r);
  }
  return { sql: rows.map(() => tuple).join(', '), params };
}

/** A numeric column of a result row as a number (DuckDB may return bigint), or null. */
export function num(v: unknown): number | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'number') return v;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}
