/**
 * Named SQL parameters: DuckDB rejects values for parameters a statement does not use,
 * so each statement gets exactly the `$name` parameters it mentions from a shared bag.
 */
import { dateValue, type DuckDBValue } from '@duckdb/node-api';

export type ParamBag = Record<string, DuckDBValue>;

export function paramsFor(sql: string, bag: ParamBag): ParamBag {
  const out: ParamBag = {};
  for (const m of sql.matchAll(/\$([a-z_][a-z0-9_]*)/g)) {
    const name = m[1];
    if (!(name in bag)) throw new Error(`SQL parameter $${name} has no value`);
    out[name] = bag[name];
  }
  return out;
}

/** A YYYY-MM-DD date as a DuckDB DATE parameter. */
export function isoDate(iso: string): DuckDBValue {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) throw new Error(`not an ISO date: ${iso}`);
  return dateValue({ year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) });
}
