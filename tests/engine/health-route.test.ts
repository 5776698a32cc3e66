/**
 * GET /api/health (no login): the warehouse served, its data date and the months it
 * covers (the web app's period pickers read them from here), and nulls before the first
 * refresh.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildApp } from '../../engine/app.ts';
import { startMiniApp, type MiniApp } from './mini-app.ts';

let m: MiniApp;
beforeAll(async () => {
  m = await startMiniApp();
});
afterAll(async () => m?.close());

describe('GET /api/health', () => {
  test('names the version, data date and first and last month of the build served, without a session', async () => {
    const res = await m.app.inject({ url: '/api/health' });
    expect(res.statusCode).toBe(200);
    const { firstMonth, lastMonth, dataAsOf, version } = m.data.coverage;
    expect(res.json()).toEqual({ status: 'ok', warehouse: { version, dataAsOf, publishedAt: '2026-03-21T02:10:00Z', firstMonth, lastMonth } });
    expect(firstMonth < lastMonth).toBe(true);
  });

  test('answers with nulls before the first refresh', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'rlm-health-empty-'));
    const app = await buildApp({ dataDir, watchIntervalMs: 0, webDir: join(dataDir, 'no-web-build') });
    try {
      const res = await app.inject({ url: '/api/health' });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ status: 'ok', warehouse: { version: null, dataAsOf: null, publishedAt: null, firstMonth: null, lastMonth: null } });
    } finally {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
