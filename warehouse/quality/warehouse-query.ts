/**
 * The read access the quality functions need from a published warehouse: one SQL
 * statement with bound parameters, rows as plain objects. The engine's WarehousePool
 * `query` and a DuckDB connection (through `connectionQuery`) both fit.
 */
import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';

export type QualityRow = Record<string, unknown>;
export type WarehouseQuery = (sql: string, params?: DuckDBValue[]) => Promise<QualityRow[]>;

/** Adapts a DuckDB connection to WarehouseQuery (BIGINTs become numbers, dates ISO strings). */
export function connectionQuery(conn: DuckDBConnection): WarehouseQuery {
  return async (sql, params = []) => {
    const reader = await conn.runAndReadAll(sql, params);
    return reader.getRowObjectsJS().map((r) => {
      const out: QualityRow = {};
      for (const k in r) {
        const v = r[k];
        out[k] = typeof v === 'bigint' ? Number(v) : v instanceof Date ? v.toISOString().slice(0, 10) : v;
      }
      return out;
    });
  };
}
