/**
 * Nothing from a request reaches SQL text: every query the routes send to the warehouse
 * is recorded; the values a client chose (regions, periods, filter codes, years, limits)
 * appear only among the bound parameters, and malformed input is refused before any
 * query runs.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startMiniApp, type MiniApp } from './mini-app.ts';

let m: MiniApp;
const seen: { sql: string; params: unknown[] }[] = [];
beforeAll(async () => {
  m = await startMiniApp();
  const pool = m.app.warehouse;
  const original = pool.query.bind(pool);
  pool.query = ((sql: string, params: never[] = [], options?: { cache?: boolean }) => {
    seen.push({ sql, params });
    return original(sql, params, options);
  }) as typeof pool.query;
});
afterAll(async () => m?.close());

const withQueries = async (f: () => Promise<unknown>) => {
  seen.length = 0;
  await f();
  return [...seen];
};

describe('client values are bound, never interpolated', () => {
  const village = () => m.data.villages[0];
  const cases: [string, () => Promise<{ statusCode: number }>, string[] | (() => string[])][] = [
    ['values', () => m.api.get('/api/metrics/values?region=511703001&period=2025-07&metrics=labour_force,unemployment_rate,festival_returned,point_coverage,quality_score'), ['511703001', '2025-07', '2025-07-31', '2025']],
    // a village: regions above village level are answered from the in-memory region-month table (no SQL at all)
    ['series', () => m.api.get(`/api/metrics/series?region=${village()}&metrics=labour_force,increases&from=2025-Q2&to=2025-Q3`), () => [village(), '2025-04', '2025-09']],
    ['ranking', () => m.api.get('/api/metrics/ranking?region=511703&period=2025-07&metric=point_update_rate&limit=7'), ['511703001', '2025-07']],
    ['explorer', () => m.api.post('/api/explore', { level: 'township', region: '511703', periods: ['2025-07'], dimensions: ['sex'], measures: ['labour_force'], filters: { sex: ['女'], education: ['40'] }, limit: 4321 }), ['5117', '511703', '女', '2025-07', '4322']],
    ['explorer flows', () => m.api.post('/api/explore', { level: 'county', region: '511700', periods: ['2025-08'], dimensions: ['reason'], measures: ['increases'], filters: { reason: ['外地迁入'] } }), ['5117', '外地迁入', '2025-08']],
    ['festival', () => m.api.get('/api/festival?region=511703&years=2026&dimension=dest_province&dest_province=441900&sex=女'), ['511703', '2026', '441900', '女']],
    ['quarantine', () => m.api.get('/api/quality/quarantine?region=511703'), ['511703']],
    ['reconciliation', () => m.api.get('/api/quality/reconciliation?region=511703'), ['511703']],
  ];
  for (const [name, request, valueList] of cases) {
    test(name, async () => {
      const values = typeof valueList === 'function' ? valueList() : valueList;
      let status = 0;
      const queries = await withQueries(async () => {
        status = (await request()).statusCode;
      });
      expect(status).toBe(200);
      expect(queries.length).toBeGreaterThan(0);
      const params = queries.flatMap((q) => q.params.map(String));
      for (const v of values) {
        for (const q of queries) expect(q.sql, `${name}: '${v}' in SQL text`).not.toContain(v);
        expect(params.some((p) => p === v || p.startsWith(v)), `${name}: '${v}' among the bound parameters`).toBe(true);
      }
    });
  }
});

describe('malformed input never reaches the warehouse', () => {
  const bad: [string, () => Promise<{ statusCode: number }>][] = [
    ['SQL in a region', () => m.api.get("/api/metrics/values?region=510000'--&period=2025-06&metrics=labour_force")],
    ['SQL in metrics', () => m.api.get('/api/metrics/values?region=510000&period=2025-06&metrics=labour_force)%20UNION%20SELECT%201--')],
    ['unknown metric', () => m.api.get('/api/metrics/values?region=510000&period=2025-06&metrics=labour_force,x')],
    ['repeated region', () => m.api.get('/api/metrics/series?region=510000&region=511700&metrics=labour_force&from=2025-01&to=2025-02')],
    ['SQL as a dimension', () => m.api.post('/api/explore', { level: 'county', periods: ['2025-06'], dimensions: ['sex, (SELECT 1)'], measures: ['labour_force'] })],
    ['SQL as a filter value', () => m.api.post('/api/explore', { level: 'county', periods: ['2025-06'], measures: ['labour_force'], filters: { sex: ["男' OR 1=1 --"] } })],
    ['huge limit', () => m.api.post('/api/explore', { level: 'county', periods: ['2025-06'], measures: ['labour_force'], limit: 1e9 })],
    ['festival SQL', () => m.api.get("/api/festival?region=510000&years=2025&dest_province=440300')--")],
  ];
  for (const [name, request] of bad) {
    test(name, async () => {
      let status = 0;
      const queries = await withQueries(async () => {
        status = (await request()).statusCode;
      });
      expect([400, 404]).toContain(status);
      expect(queries).toEqual([]);
    });
  }
});
