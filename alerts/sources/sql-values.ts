/**
 * Bound-parameter helpers for the sources' SQL: lists are bound as DuckDB LIST values
 * (never spliced into the text), and numbers come back as JS numbers or null.
 */
import { listValue, type DuckDBValue } from '@duckdb/node-api';

export const stringList = (items: readonly string[]): DuckDBValue => listValue([...items]);
export const intList = (items: readonly number[]): DuckDBValue => listValue(items.map((n) => Math.trunc(n)));

export function num(v: unknown): number | null {
  if (v === null || v === undefined) return null;
  const n = typeof v === 'number' ? v : Number(v);
  return Number.isFinite(n) ? n : null;
}

/** Converts the named columns of a SQL row to numbers-or-null. */
export function quantitiesOf(row: Record<string, unknown>, names: readonly string[]): Record<string, number | null> {
  const q: Record<string, number | null> = {};
  for (const n of names) q[n] = num(row[n]);
  return q;
}
