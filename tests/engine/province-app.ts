/**
 * The real app serving the shared generated province (tests/engine/fixture.ts), with its
 * own data folder (state database with a copy of the fixture's refresh run log) whose
 * CURRENT points at the fixture's published build, so test files never share sessions.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../engine/app.ts';
import { readCurrentWarehouse } from '../../warehouse/publish/current-warehouse.ts';
import { provinceFixture, type ProvinceFixture } from './fixture.ts';
import { signIn, type ApiSession } from './api-session.ts';

export interface ProvinceApp {
  readonly app: FastifyInstance;
  readonly api: ApiSession;
  readonly fixture: ProvinceFixture;
  readonly truth: Truth;
  readonly dataDir: string;
  close(): Promise<void>;
}

export interface Truth {
  monthEnd: Record<string, Record<string, Record<string, number>>>;
  flows: Record<string, Record<string, { increases: Record<string, number>; decreases: Record<string, number> }>>;
  festival: Record<string, Record<string, { returned: number[]; departed: number[] }>>;
}

export async function startProvinceApp(): Promise<ProvinceApp> {
  const fixture = await provinceFixture();
  const current = readCurrentWarehouse(fixture.dataDir);
  if (!current) throw new Error(`fixture ${fixture.root} has no published warehouse`);
  const dataDir = mkdtempSync(join(tmpdir(), 'rlm-engine-province-'));
  mkdirSync(join(dataDir, 'warehouse'), { recursive: true });
  writeFileSync(join(dataDir, 'warehouse', 'CURRENT'), JSON.stringify({ version: current.version, file: current.file, publishedAt: current.publishedAt, dataAsOf: current.dataAsOf }));
  mkdirSync(join(dataDir, 'state'), { recursive: true });
  for (const suffix of ['', '-wal']) {
    const src = join(fixture.dataDir, 'state', `state.sqlite${suffix}`);
    if (existsSync(src)) copyFileSync(src, join(dataDir, 'state', `state.sqlite${suffix}`));
  }
  // No web build: app.ts sets a second not-found handler when web/build exists (reported to the lead).
  const app = await buildApp({ dataDir, watchIntervalMs: 0, webDir: join(dataDir, 'no-web-build') });
  const api = await signIn(app);
  const truth = JSON.parse(readFileSync(join(fixture.inbox, 'truth.json'), 'utf8')) as Truth;
  return {
    app,
    api,
    fixture,
    truth,
    dataDir,
    close: async () => {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
