/**
 * Freshness and refresh runs (state database), quarantine and reconciliation summaries,
 * county boundaries and the OpenAPI document, through app.inject() on the mini warehouse.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startMiniApp, type MiniApp } from './mini-app.ts';
import { loadRegions } from '../../warehouse/reference/regions.ts';

let m: MiniApp;
beforeAll(async () => {
  m = await startMiniApp();
});
afterAll(async () => m?.close());

describe('refresh runs and freshness', () => {
  test('before any refresh has run: no runs, the served warehouse still reported', async () => {
    expect((await m.api.get('/api/refresh/runs')).json()).toEqual({ runs: [] });
    const f = (await m.api.get('/api/refresh/freshness')).json();
    expect(f.warehouse).toEqual({ version: 'mini-1', dataAsOf: '2026-03-20', publishedAt: '2026-03-21T02:10:00Z' });
    expect(f.lastRun).toBeNull();
    expect(f.lastPublished).toBeNull();
    expect(f.dataAgeDays).toBe(Math.round((Date.parse(new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10)) - Date.parse('2026-03-20')) / 86_400_000));
  });

  test('runs newest first, filtered by result, one run with its files and steps', async () => {
    const db = m.app.stateDb;
    db.exec(`CREATE TABLE IF NOT EXISTS refresh_runs (run_id TEXT PRIMARY KEY, trigger TEXT, started_at TEXT, finished_at TEXT, result TEXT, message TEXT, version TEXT, data_as_of TEXT);
      CREATE TABLE IF NOT EXISTS refresh_files (run_id TEXT, batch TEXT, rel_path TEXT, sha256 TEXT, format TEXT, encoding TEXT, rows_read INTEGER, rows_loaded INTEGER, rows_quarantined INTEGER, by_reason TEXT, status TEXT);
      CREATE TABLE IF NOT EXISTS refresh_steps (run_id TEXT, step TEXT, ms REAL);`);
    const run = db.prepare('INSERT INTO refresh_runs (run_id, trigger, started_at, finished_at, result, message, version, data_as_of) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    run.run('t-run-1', 'cli', '2099-03-20T18:00:00Z', '2099-03-20T18:05:00Z', 'published', 'ok', 'v-1', '2026-03-19');
    run.run('t-run-2', 'cron', '2099-03-21T18:00:00Z', '2099-03-21T18:00:09Z', 'failed', 'changes_20260320.csv: bad header', null, null);
    db.prepare('INSERT INTO refresh_files (run_id, batch, rel_path, sha256, format, encoding, rows_read, rows_loaded, rows_quarantined, by_reason, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').run(
      't-run-1', '2026-03-20', '2026-03-20/changes_20260319.csv', 'ab'.repeat(32), 'csv', 'utf-8', 1000, 990, 10, '{"bad_check_character":7,"unknown_village":3}', 'loaded',
    );
    db.prepare('INSERT INTO refresh_steps (run_id, step, ms) VALUES (?, ?, ?)').run('t-run-1', 'stage', 1234.5);

    const runs = (await m.api.get('/api/refresh/runs?limit=2')).json().runs;
    expect(runs.map((r: { runId: string }) => r.runId)).toEqual(['t-run-2', 't-run-1']);
    expect((await m.api.get('/api/refresh/runs?result=published&limit=1')).json().runs[0]).toMatchObject({ runId: 't-run-1', version: 'v-1', dataAsOf: '2026-03-19' });
    const one = (await m.api.get('/api/refresh/runs/t-run-1')).json();
    expect(one.files).toEqual([
      { batch: '2026-03-20', relPath: '2026-03-20/changes_20260319.csv', sha256: 'ab'.repeat(32), format: 'csv', encoding: 'utf-8', rowsRead: 1000, rowsLoaded: 990, rowsQuarantined: 10, byReason: { bad_check_character: 7, unknown_village: 3 }, status: 'loaded' },
    ]);
    expect(one.steps).toEqual([{ step: 'stage', ms: 1234.5 }]);
    const fresh = (await m.api.get('/api/refresh/freshness')).json();
    expect(fresh.lastRun.runId).toBe('t-run-2');
    expect(fresh.lastPublished.runId).toBe('t-run-1');
    expect((await m.api.get('/api/refresh/runs/nope')).statusCode).toBe(404);
    expect((await m.api.get("/api/refresh/runs/x'%20OR%201=1")).statusCode).toBe(400);
    expect((await m.api.get('/api/refresh/runs?limit=100000')).statusCode).toBe(400);
    expect((await m.api.get('/api/refresh/runs?result=published;DROP')).statusCode).toBe(400);
  });
});

describe('quarantine and reconciliation summaries', () => {
  test('quarantine by reason, file and county, for the province and a county', async () => {
    const all = (await m.api.get('/api/quality/quarantine?region=510000')).json();
    expect(all.total).toBe(10);
    expect(all.byReason).toEqual([{ reason: 'bad_check_character', zh: '身份证校验码错误', en: 'Wrong ID check character', count: 10 }]);
    expect(all.byFile).toEqual([{ batch: '2026-03-21', file: 'changes.csv', count: 10 }]);
    expect(all.byCounty).toEqual([{ code: '511702', name: '通川区', count: 7 }, { code: '511703', name: '达川区', count: 3 }]);
    expect((await m.api.get('/api/quality/quarantine?region=511703')).json().total).toBe(3);
  });

  test('reconciliation by snapshot and county', async () => {
    const body = (await m.api.get('/api/quality/reconciliation?region=511700')).json();
    expect(body.total).toBe(8);
    expect(body.bySnapshot).toEqual([{ snapshotDate: '2025-03-31', missing: 2, extra: 0, different: 5 }, { snapshotDate: '2026-02-28', missing: 0, extra: 1, different: 0 }]);
    expect(body.byCounty).toEqual([{ code: '511702', name: '通川区', missing: 2, extra: 1, different: 0 }, { code: '511703', name: '达川区', missing: 0, extra: 0, different: 5 }]);
    expect((await m.api.get('/api/quality/reconciliation?region=511703')).json().total).toBe(5);
    expect((await m.api.get('/api/quality/reconciliation?region=999999')).statusCode).toBe(404);
    expect((await m.api.get('/api/quality/reconciliation?region=511703&region=511702')).statusCode).toBe(400);
  });
});

describe('county boundaries', () => {
  test('all 183 counties, or those of one city, keyed by county code', async () => {
    const all = await m.api.get('/api/geo/counties');
    expect(all.statusCode).toBe(200);
    const body = all.json();
    expect(body.type).toBe('FeatureCollection');
    expect(body.features).toHaveLength(183);
    const codes = new Set(loadRegions().counties.map((c) => c.code));
    for (const f of body.features) expect(codes.has(f.properties.code)).toBe(true);
    const dazhou = (await m.api.get('/api/geo/counties?city=511700')).json();
    expect(dazhou.features.map((f: { properties: { code: string } }) => f.properties.code).sort()).toEqual(loadRegions().children('511700').map((c) => c.code).sort());
    expect(dazhou.features[0].geometry.type).toMatch(/Polygon/);
    expect((await m.api.get('/api/geo/counties?city=519900')).statusCode).toBe(404);
    expect((await m.api.get('/api/geo/counties?city=511702')).statusCode).toBe(400);
    expect((await m.api.get('/api/geo/counties?city=5117')).statusCode).toBe(400);
  });
});

describe('OpenAPI', () => {
  test('/api/docs/json documents every route of this module with its parameters', async () => {
    const doc = (await m.app.inject({ url: '/api/docs/json' })).json();
    for (const path of ['/api/metrics', '/api/metrics/values', '/api/metrics/series', '/api/metrics/compare', '/api/metrics/ranking', '/api/explore', '/api/festival', '/api/refresh/runs', '/api/refresh/runs/{runId}', '/api/refresh/freshness', '/api/quality/quarantine', '/api/quality/reconciliation', '/api/geo/counties']) {
      expect(doc.paths[path], path).toBeDefined();
    }
    const values = doc.paths['/api/metrics/values'].get;
    expect(values.parameters.map((p: { name: string }) => p.name).sort()).toEqual(['metrics', 'period', 'region']);
    expect(values.responses['200']).toBeDefined();
    expect(values.responses['404']).toBeDefined();
    expect(doc.paths['/api/explore'].post.requestBody.content['application/json'].schema.properties.dimensions.items.enum).toContain('employment_status');
  });
});
