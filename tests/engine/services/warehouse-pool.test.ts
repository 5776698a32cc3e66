/**
 * Per-version derived values of the warehouse pool: loaded once per build, shared by
 * concurrent callers, loaded from a newly published build before it is served, dropped
 * with the old build. Real DuckDB files on disk.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DuckDBInstance } from '@duckdb/node-api';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WarehousePool, type DerivedLoader } from '../../../engine/services/warehouse-pool.ts';

let dataDir: string;

async function publish(version: string, n: number): Promise<void> {
  const builds = join(dataDir, 'warehouse', 'builds');
  mkdirSync(builds, { recursive: true });
  const file = join(builds, `${version}.duckdb`);
  const instance = await DuckDBInstance.create(file);
  const conn = await instance.connect();
  await conn.run(`CREATE TABLE t AS SELECT range AS i FROM range(${n})`);
  conn.closeSync();
  instance.closeSync();
  writeFileSync(join(dataDir, 'warehouse', 'CURRENT'), JSON.stringify({ version, file: `${version}.duckdb`, publishedAt: new Date().toISOString(), dataAsOf: '2026-03-31' }));
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'rlm-pool-'));
  await publish('v1', 3);
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('WarehousePool per-version values', () => {
  test('loaded once per build, before a new build is served, and dropped with the old one', async () => {
    const pool = new WarehousePool(dataDir, { watchIntervalMs: 0 });
    try {
      const loads: string[] = [];
      const count: DerivedLoader<number> = async (run) => {
        const rows = await run('SELECT count(*) AS n FROM t');
        loads.push(`${pool.info()?.version ?? 'none'}:${rows[0].n}`);
        return Number(rows[0].n);
      };
      const [a, b] = await Promise.all([pool.perVersion('count', count), pool.perVersion('count', count)]);
      expect([a, b]).toEqual([3, 3]);
      expect(loads).toEqual(['v1:3']); // concurrent callers shared one load

      pool.preload('count', count);
      expect(await pool.perVersion('count', count)).toBe(3);
      expect(loads).toHaveLength(1); // already there for v1

      await publish('v2', 5);
      await pool.checkForNewVersion();
      // Loaded from v2 while v1 was still the build served, i.e. before the swap.
      expect(loads).toEqual(['v1:3', 'v1:5']);
      expect(pool.info()?.version).toBe('v2');
      expect(await pool.perVersion('count', count)).toBe(5);
      expect(loads).toHaveLength(2);
    } finally {
      pool.close();
    }
  });

  test('a failed load is not kept: the next caller loads again', async () => {
    const pool = new WarehousePool(dataDir, { watchIntervalMs: 0 });
    try {
      let calls = 0;
      const flaky: DerivedLoader<number> = async (run) => {
        calls++;
        if (calls === 1) await run('SELECT * FROM no_such_table');
        return calls;
      };
      await expect(pool.perVersion('flaky', flaky)).rejects.toThrow(/no_such_table/);
      expect(await pool.perVersion('flaky', flaky)).toBe(2);
      expect(await pool.perVersion('flaky', flaky)).toBe(2);
    } finally {
      pool.close();
    }
  });
});
