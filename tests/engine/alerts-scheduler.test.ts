/**
 * The server's alert wiring: an evaluation after a refresh on the warehouse CURRENT
 * names, and the cron's run of the time-based rules only.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../engine/app.ts';
import { AlertScheduler } from '../../engine/services/alert-scheduler.ts';
import { buildTinyWarehouse } from '../alerts/fixtures/tiny-warehouse.ts';

let dataDir: string;
let app: FastifyInstance;
const lines: string[] = [];

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'rlm-alert-sched-'));
  mkdirSync(join(dataDir, 'warehouse', 'builds'), { recursive: true });
  await buildTinyWarehouse(join(dataDir, 'warehouse', 'builds', 'tiny-1.duckdb'));
  writeFileSync(join(dataDir, 'warehouse', 'CURRENT'), JSON.stringify({ version: 'tiny-1', file: 'tiny-1.duckdb', publishedAt: '2026-01-06T00:00:00Z', dataAsOf: '2025-12-31' }));
  app = await buildApp({ dataDir, webDir: join(dataDir, 'no-web-build'), watchIntervalMs: 0, now: () => Date.parse('2026-01-06T01:00:00Z') });
});

afterAll(async () => {
  await app?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

test('after a refresh: every rule evaluated on the published warehouse; the cron: the time-based rules only', async () => {
  const s = new AlertScheduler(app, (m) => lines.push(m));
  await s.afterRefresh();
  expect(lines.at(-1)).toMatch(/^alerts \(after refresh\): \d+ evaluations, \d+ transitions \(7 alerts opened/);
  expect(app.alerts.store.list({ scopePrefix: '51' }).total).toBe(7);
  const [afterRefresh] = app.alerts.store.runs(1);
  expect(afterRefresh).toMatchObject({ trigger: 'refresh', version: 'tiny-1', result: 'ok' });
  await s.timeBased();
  const [cronRun] = app.alerts.store.runs(1);
  expect(cronRun.trigger).toBe('cron');
  const rules = new Set((cronRun.detail.evaluations as { rule: string }[]).map((e) => e.rule));
  expect([...rules].sort()).toEqual(['county_update_rate_low', 'point_not_reporting', 'quality_score_low']);
  await s.stop();
});

test('at start, a published warehouse not yet evaluated is evaluated once; an evaluated one is not', async () => {
  const fresh = mkdtempSync(join(tmpdir(), 'rlm-alert-catchup-'));
  mkdirSync(join(fresh, 'warehouse', 'builds'), { recursive: true });
  await buildTinyWarehouse(join(fresh, 'warehouse', 'builds', 'tiny-9.duckdb'), { version: 'tiny-9' });
  writeFileSync(join(fresh, 'warehouse', 'CURRENT'), JSON.stringify({ version: 'tiny-9', file: 'tiny-9.duckdb', publishedAt: '2026-01-06T00:00:00Z', dataAsOf: '2025-12-31' }));
  const a = await buildApp({ dataDir: fresh, webDir: join(fresh, 'no-web'), watchIntervalMs: 0 });
  try {
    const s = new AlertScheduler(a);
    await s.catchUp();
    expect(a.alerts.store.runs(10).map((r) => r.version)).toEqual(['tiny-9']);
    await s.catchUp();
    expect(a.alerts.store.runs(10)).toHaveLength(1);
  } finally {
    await a.close();
    rmSync(fresh, { recursive: true, force: true });
  }
});

test('a bad schedule is refused', () => {
  expect(() => new AlertScheduler(app).schedule('every day')).toThrow(/invalid alert schedule/);
});
