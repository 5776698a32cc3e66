/** Test helper: runs read queries against the published warehouse of a data folder. */
import { DuckDBInstance } from '@duckdb/node-api';
import { readCurrentWarehouse } from '../../warehouse/publish/current-warehouse.ts';

export type PlainRow = Record<string, string | number | boolean | null | (string | number)[]>;

function plain(v: unknown): PlainRow[string] {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (Array.isArray(v)) return v.map((x) => plain(x)) as (string | number)[];
  if (v instanceof Uint8Array) return Buffer.from(v).toString('hex');
  return v as string | number | boolean;
}

export async function queryWarehouse(dataDir: string, sql: string, params: Record<string, string> = {}): Promise<PlainRow[]> {
  const current = readCurrentWarehouse(dataDir);
  if (!current) throw new Error(`no published warehouse in ${dataDir}`);
  return queryDuckDbFile(current.file, sql, params);
}

export async function queryDuckDbFile(file: string, sql: string, params: Record<string, string> = {}): Promise<PlainRow[]> {
  const instance = await DuckDBInstance.create(file, { access_mode: 'READ_ONLY' });
  try {
    const conn = await instance.connect();
    await conn.run("SET TimeZone = 'Asia/Shanghai'");
    const rows = (await conn.runAndReadAll(sql, params)).getRowObjectsJS();
    conn.closeSync();
    return rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, plain(v)])));
  } finally {
    instance.closeSync();
  }
}
