/**
 * Binds named parameters: DuckDB refuses values for parameters a statement does not
 * mention, so a statement gets exactly the `$name` parameters it uses from a bag (and a
 * missing one is an error naming it).
 */
import type { DuckDBValue } from '@duckdb/node-api';

export type NamedParams = Record<string, DuckDBValue>;

export function bindNamed(sql: string, bag: NamedParams): NamedParams {
  const out: NamedParams = {};
  for (const m of sql.matchAll(/\$([a-z_][a-z0-9_]*)/g)) {
    if (!(m[1] in bag)) throw new Error(`SQL parameter $${m[1]} has no value`);
    out[m[1]] = bag[m[1]];
  }
  return out;
}
