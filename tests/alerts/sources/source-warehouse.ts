/**
 * A small hand-made warehouse file for the source tests: a meta table with the given
 * rows, the tables `fill` creates, opened with the alerts' warehouse reader.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { openWarehouseFile, type WarehouseReader } from '../../../alerts/warehouse-reader.ts';

export interface SourceWarehouse {
  readonly wh: WarehouseReader;
  close(): void;
}

export async function sourceWarehouse(meta: Record<string, string>, fill: (c: DuckDBConnection) => Promise<void>): Promise<SourceWarehouse> {
  const dir = mkdtempSync(join(tmpdir(), 'rlm-source-'));
  const file = join(dir, 'w.duckdb');
  const inst = await DuckDBInstance.create(file);
  const c = await inst.connect();
  try {
    await c.run('CREATE TABLE meta (key VARCHAR, value VARCHAR)');
    for (const [key, value] of Object.entries(meta)) await c.run('INSERT INTO meta VALUES ($key, $value)', { key, value });
    await fill(c);
  } finally {
    c.closeSync();
    inst.closeSync();
  }
  const wh = await openWarehouseFile(file);
  return {
    wh,
    close: () => {
      wh.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
