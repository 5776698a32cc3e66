/**
 * Read access to one published warehouse build for an evaluation run: a read-only
 * DuckDB instance on the build file, queries with bound parameters only, and the
 * build's meta table (version, data_as_of, first_month, last_month).
 */
import { DuckDBInstance, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';
import type { SqlRunner } from '../warehouse/metrics/sql-runner.ts';

export type SqlRow = Record<string, unknown>;

export interface WarehouseReader {
  readonly file: string;
  readonly meta: Readonly<Record<string, string>>;
  /** Runs one statement; values are bound ($name parameters), never interpolated. */
  query<T extends SqlRow = SqlRow>(sql: string, params?: Record<string, DuckDBValue>): Promise<T[]>;
  /** The same connection as the metric catalogue's runner (positional `?` parameters). */
  readonly run: SqlRunner;
  /** Whether a table exists in the build (older builds may lack newer tables). */
  hasTable(name: string): Promise<boolean>;
  close(): void;
}

function plain(v: unknown): unknown {
  if (typeof v === 'bigint') return Number(v);
  if (Array.isArray(v)) return v.map(plain);
  return v;
}

/** Opens a warehouse build file read-only. */
export async function openWarehouseFile(file: string, options: { threads?: number } = {}): Promise<WarehouseReader> {
  const instance = await DuckDBInstance.create(file, { access_mode: 'READ_ONLY', threads: String(options.threads ?? 2) });
  let connection: DuckDBConnection;
  try {
    connection = await instance.connect();
    await connection.run("SET TimeZone = 'Asia/Shanghai'");
  } catch (err) {
    instance.closeSync();
    throw err;
  }
  const query = async <T extends SqlRow>(sql: string, params?: Record<string, DuckDBValue> | DuckDBValue[]): Promise<T[]> => {
    const reader = await connection.runAndReadAll(sql, params as DuckDBValue[]);
    // The same objects as getRowObjectsJS() (same names, converter and key order), built
    // from the converted columns: converting row by row is several times slower.
    const names = reader.deduplicatedColumnNames();
    const columns = reader.getColumnsJS();
    const rows: T[] = new Array(reader.currentRowCount);
    for (let i = 0; i < rows.length; i++) {
      const o: SqlRow = {};
      for (let c = 0; c < names.length; c++) o[names[c]] = plain(columns[c][i]);
      rows[i] = o as T;
    }
    return rows;
  };
  const tables = new Set(
    (await query<{ name: string }>("SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'main'")).map((r) => r.name),
  );
  const meta: Record<string, string> = {};
  if (tables.has('meta')) for (const r of await query<{ key: string; value: string }>('SELECT key, value FROM meta')) meta[r.key] = String(r.value);
  return {
    file,
    meta,
    query,
    run: (sql, params) => query(sql, [...params]),
    hasTable: async (name) => tables.has(name),
    close: () => {
      connection.closeSync();
      instance.closeSync();
    },
  };
}
