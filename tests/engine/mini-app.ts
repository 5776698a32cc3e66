/**
 * The real app on a data folder whose published warehouse is the small hand-made build
 * of tests/warehouse/metrics/mini-warehouse.ts (documented table shapes, seeded figures):
 * for route behaviour and edge cases that a generated province does not reach quickly.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../engine/app.ts';
import { buildMiniWarehouse, type MiniWarehouse } from '../warehouse/metrics/mini-warehouse.ts';
import { signIn, type ApiSession } from './api-session.ts';

export interface MiniApp {
  readonly app: FastifyInstance;
  readonly api: ApiSession;
  readonly data: Omit<MiniWarehouse, 'run' | 'conn' | 'close'>;
  readonly dataDir: string;
  close(): Promise<void>;
}

/** `webDir`: a folder served as the built web app (default: none); `compress` as in AppOptions. */
export async function startMiniApp(options: { webDir?: string; compress?: boolean } = {}): Promise<MiniApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'rlm-engine-mini-'));
  const builds = join(dataDir, 'warehouse', 'builds');
  mkdirSync(builds, { recursive: true });
  const data = await buildMiniWarehouse(7, join(builds, 'mini-1.duckdb'));
  data.close();
  writeFileSync(
    join(dataDir, 'warehouse', 'CURRENT'),
    JSON.stringify({ version: 'mini-1', file: 'mini-1.duckdb', publishedAt: '2026-03-21T02:10:00Z', dataAsOf: data.coverage.dataAsOf }),
  );
  // No web build: app.ts sets a second not-found handler when web/build exists (reported to the lead).
  const app = await buildApp({ dataDir, watchIntervalMs: 0, webDir: options.webDir ?? join(dataDir, 'no-web-build'), compress: options.compress });
  const api = await signIn(app);
  return {
    app,
    api,
    data,
    dataDir,
    close: async () => {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
