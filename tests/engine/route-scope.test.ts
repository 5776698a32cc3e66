/**
 * Region scope through every route of the route table, on the generated province: each
 * route must be classified below (a new route that is not fails the first test), and each
 * class is checked for what it promises:
 * - public: answers without a session;
 * - self: acts on the caller's own session only;
 * - admin: a county user gets 403;
 * - reference: no region's data; two users of different counties get identical answers;
 * - scoped-list: lists filtered to the caller's region; nothing of another county appears;
 * - region: called by county A's user with county B's code → 404 exactly like an unknown
 *   code; with A's own code → not 404;
 * - object: county A's user with county B's object id → 404 exactly like an unknown id;
 *   B's own user → not 404.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../engine/app.ts';
import { readCurrentWarehouse } from '../../warehouse/publish/current-warehouse.ts';
import { RECORD_CHECK_IDS } from '../../warehouse/quality/record-checks.ts';
import { provinceFixture } from './fixture.ts';
import { signIn, type ApiSession } from './api-session.ts';
import { apiRoutes, type RouteEntry } from './route-table.ts';

type Method = RouteEntry['method'];

interface RegionCall {
  /** URL with {r} for the region code. */
  readonly url: string;
  /** JSON body with {r} in string values. */
  readonly body?: Record<string, unknown>;
  /** Region level of the two users (default county). */
  readonly level?: 'county' | 'city';
}

interface ObjectCall {
  /** URL with {id} for the object id. */
  readonly url: string;
  readonly body?: Record<string, unknown>;
  /** Which of B's objects. */
  readonly object: 'alert' | 'person' | 'export' | 'draw' | 'silence' | 'briefing';
  /** Leave out the owner's own call (slow: prints a PDF with Chromium). */
  readonly skipOwner?: boolean;
  /** An id of the same form that exists nowhere. */
  readonly unknown: string;
}

type Classification =
  | { kind: 'public' }
  | { kind: 'self' }
  | { kind: 'admin'; url?: string; body?: Record<string, unknown> }
  | { kind: 'reference'; url?: string }
  | { kind: 'scoped-list'; url: string; codes: (body: any) => string[] }
  | { kind: 'region'; call: RegionCall }
  | { kind: 'object'; call: ObjectCall };

const M = '2026-03';
const ENDS_AT = new Date(Date.now() + 30 * 86_400_000).toISOString();
const UNKNOWN_UUID = '00000000-0000-4000-8000-000000000000';

/** Every API route, classified. Adding a route without classifying it here fails the test. */
const ROUTES: Record<string, Classification> = {
  'GET /api/health': { kind: 'public' },
  'POST /api/auth/login': { kind: 'public' },
  'GET /api/auth/me': { kind: 'self' },
  'POST /api/auth/logout': { kind: 'self' },
  'POST /api/auth/logout-all': { kind: 'self' },

  'GET /api/users': { kind: 'admin' },
  'POST /api/users': { kind: 'admin', body: { username: 'intruder', password: 'Intruder-Password-1', role: 'admin', region: '510000' } },
  'POST /api/users/:username/status': { kind: 'admin', url: '/api/users/root/status', body: { disabled: true } },
  'POST /api/users/:username/password': { kind: 'admin', url: '/api/users/root/password', body: { password: 'Intruder-Password-1' } },
  'POST /api/users/:username/role': { kind: 'admin', url: '/api/users/county_b/role', body: { role: 'province_analyst', region: '510000' } },
  'GET /api/audit': { kind: 'admin' },
  'GET /api/audit/verify': { kind: 'admin' },
  'GET /api/audit/export': { kind: 'admin' },
  'GET /api/alerts/settings': { kind: 'admin' },
  'PUT /api/alerts/settings': { kind: 'admin', body: { deadlineDay: 6 } },
  'GET /api/alerts/channels': { kind: 'admin' },
  'POST /api/alerts/channels': { kind: 'admin', body: { name: 'x', kind: 'webhook', region: '510000', target: 'http://127.0.0.1:9/x', secret: 'abcdefghijklmnopqrstuvwxyz' } },
  'POST /api/alerts/channels/:id/status': { kind: 'admin', url: '/api/alerts/channels/1/status', body: { enabled: false } },
  'GET /api/alerts/notifications': { kind: 'admin' },
  'POST /api/alerts/notifications/retry': { kind: 'admin' },
  'POST /api/alerts/evaluate': { kind: 'admin', body: {} },
  'POST /api/alerts/escalate': { kind: 'admin' },
  'PUT /api/alerts/rules/:id/thresholds': { kind: 'admin', url: '/api/alerts/rules/unemployment_rate_high/thresholds', body: { thresholds: { red: 9 } } },
  'DELETE /api/alerts/rules/:id/thresholds': { kind: 'admin', url: '/api/alerts/rules/unemployment_rate_high/thresholds' },

  'GET /api/metrics': { kind: 'reference' },
  'GET /api/refresh/freshness': { kind: 'reference' },
  'GET /api/refresh/runs': { kind: 'reference' },
  'GET /api/refresh/runs/:runId': { kind: 'reference', url: '/api/refresh/runs/{runId}' },
  'GET /api/persons/worklists': { kind: 'reference' },
  'GET /api/alerts/rules': { kind: 'reference' },
  'GET /api/alerts/runs': { kind: 'reference' },

  'GET /api/regions': { kind: 'scoped-list', url: '/api/regions?q=51&limit=50', codes: (b) => b.regions.map((r: { code: string }) => r.code) },
  'GET /api/person-exports': { kind: 'scoped-list', url: '/api/person-exports', codes: (b) => b.exports.map((e: { region: string }) => e.region) },
  'GET /api/sampling/draws': { kind: 'scoped-list', url: '/api/sampling/draws', codes: (b) => b.draws.map((d: { region: string }) => d.region) },
  'GET /api/alerts/silences': { kind: 'scoped-list', url: '/api/alerts/silences', codes: (b) => b.silences.map((s: { region: string }) => s.region) },

  'GET /api/regions/:code': { kind: 'region', call: { url: '/api/regions/{r}' } },
  'GET /api/regions/:code/children': { kind: 'region', call: { url: '/api/regions/{r}/children' } },
  'GET /api/metrics/values': { kind: 'region', call: { url: `/api/metrics/values?region={r}&period=${M}&metrics=labour_force,unemployment_rate` } },
  'GET /api/metrics/series': { kind: 'region', call: { url: '/api/metrics/series?region={r}&metrics=labour_force&from=2026-01&to=2026-03' } },
  'GET /api/metrics/compare': { kind: 'region', call: { url: `/api/metrics/compare?region={r}&period=${M}&metrics=labour_force` } },
  'GET /api/metrics/ranking': { kind: 'region', call: { url: `/api/metrics/ranking?region={r}&period=${M}&metric=labour_force` } },
  'POST /api/explore': { kind: 'region', call: { url: '/api/explore', body: { level: 'township', region: '{r}', periods: [M], measures: ['labour_force'] } } },
  'GET /api/festival': { kind: 'region', call: { url: '/api/festival?region={r}&years=2026' } },
  'GET /api/quality/quarantine': { kind: 'region', call: { url: '/api/quality/quarantine?region={r}' } },
  'GET /api/quality/reconciliation': { kind: 'region', call: { url: '/api/quality/reconciliation?region={r}' } },
  'GET /api/geo/counties': { kind: 'region', call: { url: '/api/geo/counties?city={r}', level: 'city' } },
  'GET /api/alerts': { kind: 'region', call: { url: '/api/alerts?region={r}' } },
  'GET /api/alerts/summary': { kind: 'region', call: { url: '/api/alerts/summary?region={r}' } },
  'POST /api/alerts/silences': { kind: 'region', call: { url: '/api/alerts/silences', body: { region: '{r}', endsAt: ENDS_AT, reason: '范围测试静默' } } },
  'GET /api/data-quality/coverage': { kind: 'region', call: { url: '/api/data-quality/coverage?region={r}' } },
  'GET /api/data-quality/timeliness': { kind: 'region', call: { url: '/api/data-quality/timeliness?region={r}' } },
  'GET /api/data-quality/backlog': { kind: 'region', call: { url: '/api/data-quality/backlog?region={r}' } },
  'GET /api/data-quality/plausibility': { kind: 'region', call: { url: '/api/data-quality/plausibility?region={r}' } },
  'GET /api/data-quality/plausibility/persons': { kind: 'region', call: { url: `/api/data-quality/plausibility/persons?region={r}&check=${RECORD_CHECK_IDS[0]}` } },
  'GET /api/data-quality/cross-department': { kind: 'region', call: { url: '/api/data-quality/cross-department?region={r}' } },
  'GET /api/data-quality/cross-department/persons': { kind: 'region', call: { url: '/api/data-quality/cross-department/persons?region={r}' } },
  'GET /api/data-quality/score': { kind: 'region', call: { url: '/api/data-quality/score?region={r}' } },
  'GET /api/persons/worklists/:id': { kind: 'region', call: { url: '/api/persons/worklists/festival_not_departed?region={r}' } },
  'POST /api/person-exports': { kind: 'region', call: { url: '/api/person-exports', body: { worklist: 'festival_not_departed', region: '{r}', reason: '范围测试导出申请' } } },
  'POST /api/sampling/draws': { kind: 'region', call: { url: '/api/sampling/draws', body: { region: '{r}', seed: 'scope' } } },

  'GET /api/alerts/:id': { kind: 'object', call: { url: '/api/alerts/{id}', object: 'alert', unknown: '2000000000' } },
  'GET /api/alerts/:id/persons': { kind: 'object', call: { url: '/api/alerts/{id}/persons', object: 'alert', unknown: '2000000000' } },
  'POST /api/alerts/:id/assign': { kind: 'object', call: { url: '/api/alerts/{id}/assign', body: { assignee: null }, object: 'alert', unknown: '2000000000' } },
  'POST /api/alerts/:id/acknowledge': { kind: 'object', call: { url: '/api/alerts/{id}/acknowledge', body: { note: '签收' }, object: 'alert', unknown: '2000000000' } },
  'POST /api/alerts/:id/comments': { kind: 'object', call: { url: '/api/alerts/{id}/comments', body: { text: '评论' }, object: 'alert', unknown: '2000000000' } },
  'POST /api/alerts/:id/resolve': { kind: 'object', call: { url: '/api/alerts/{id}/resolve', body: { outcome: 'handled' }, object: 'alert', unknown: '2000000000' } },
  'POST /api/persons/:pid/reveal': { kind: 'object', call: { url: '/api/persons/{id}/reveal', body: { reason: '范围测试查看' }, object: 'person', unknown: '0'.repeat(32) } },
  'POST /api/person-exports/:id/decision': { kind: 'object', call: { url: '/api/person-exports/{id}/decision', body: { approve: false }, object: 'export', unknown: UNKNOWN_UUID } },
  'GET /api/person-exports/:id/download': { kind: 'object', call: { url: '/api/person-exports/{id}/download', object: 'export', unknown: UNKNOWN_UUID } },
  'GET /api/sampling/draws/:drawId': { kind: 'object', call: { url: '/api/sampling/draws/{id}', object: 'draw', unknown: '2000000000' } },
  'GET /api/sampling/draws/:drawId/export': { kind: 'object', call: { url: '/api/sampling/draws/{id}/export', object: 'draw', unknown: '2000000000' } },
  'GET /api/sampling/draws/:drawId/estimates': { kind: 'object', call: { url: '/api/sampling/draws/{id}/estimates', object: 'draw', unknown: '2000000000' } },
  'POST /api/sampling/draws/:drawId/results': { kind: 'object', call: { url: '/api/sampling/draws/{id}/results', body: { results: [] }, object: 'draw', unknown: '2000000000' } },
  'DELETE /api/alerts/silences/:id': { kind: 'object', call: { url: '/api/alerts/silences/{id}', object: 'silence', unknown: '2000000000' } },
  'GET /api/briefings': { kind: 'scoped-list', url: '/api/briefings', codes: (b) => b.briefings.map((x: { region: string }) => x.region) },
  'POST /api/briefings': { kind: 'region', call: { url: '/api/briefings', body: { kind: 'monthly', region: '{r}', period: M } } },
  'GET /api/briefings/:id': { kind: 'object', call: { url: '/api/briefings/{id}', object: 'briefing', unknown: '2000000000' } },
  'GET /api/briefings/:id/xlsx': { kind: 'object', call: { url: '/api/briefings/{id}/xlsx', object: 'briefing', unknown: '2000000000' } },
  'GET /api/briefings/:id/pdf': { kind: 'object', call: { url: '/api/briefings/{id}/pdf', object: 'briefing', unknown: '2000000000', skipOwner: true } },
  'POST /api/briefings/:id/publish': { kind: 'object', call: { url: '/api/briefings/{id}/publish', object: 'briefing', unknown: '2000000000' } },
};


let app: FastifyInstance;
let dataDir: string;
let routes: RouteEntry[];
let A: ApiSession; // county A (another city than B)
let B: ApiSession; // county B, where an alert fires
let cityA: ApiSession;
let cityB: ApiSession;
let countyA: string;
let countyB: string;
const objects: Partial<Record<ObjectCall['object'], string>> = {};
let runId: string;

/** A well-formed county code that is no region. */
const UNKNOWN_COUNTY = '511799';
const UNKNOWN_CITY = '519900';

function send(s: ApiSession, method: Method, url: string, body?: unknown): Promise<LightMyRequestResponse> {
  return app.inject({ method, url, headers: { cookie: s.cookie, ...(method === 'GET' ? {} : { 'x-csrf-token': s.csrf }) }, ...(body !== undefined ? { payload: body as object } : {}) });
}

const fill = (v: unknown, r: string): unknown =>
  typeof v === 'string' ? v.replaceAll('{r}', r) : Array.isArray(v) ? v.map((x) => fill(x, r)) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fill(x, r)])) : v;

/** The error of a 404 with the requested value replaced, for comparing "outside scope" with "unknown". */
function errorShape(res: LightMyRequestResponse, value: string) {
  const body = res.json() as { error: { code: string; message: string } };
  return { status: res.statusCode, keys: Object.keys(body).sort(), errorKeys: Object.keys(body.error).sort(), code: body.error.code, message: body.error.message.replaceAll(value, '<value>') };
}

beforeAll(async () => {
  const fixture = await provinceFixture();
  const current = readCurrentWarehouse(fixture.dataDir)!;
  dataDir = mkdtempSync(join(tmpdir(), 'rlm-route-scope-'));
  mkdirSync(join(dataDir, 'warehouse'), { recursive: true });
  writeFileSync(join(dataDir, 'warehouse', 'CURRENT'), JSON.stringify(current));
  mkdirSync(join(dataDir, 'state'), { recursive: true });
  for (const suffix of ['', '-wal']) {
    const src = join(fixture.dataDir, 'state', `state.sqlite${suffix}`);
    if (existsSync(src)) cpSync(src, join(dataDir, 'state', `state.sqlite${suffix}`));
  }
  cpSync(join(fixture.dataDir, 'keys'), join(dataDir, 'keys'), { recursive: true });
  app = await buildApp({ dataDir, watchIntervalMs: 0, webDir: join(dataDir, 'no-web') });
  await app.ready();
  routes = apiRoutes(app);
  const admin = await signIn(app, 'root', 'admin', '510000');
  expect((await admin.post('/api/alerts/evaluate', { month: current.dataAsOf.slice(0, 7) })).statusCode).toBe(200);
  const province = await signIn(app, 'analyst', 'province_analyst', '510000');
  const firing = (await province.get('/api/alerts?level=county&limit=1000')).json().alerts as { id: number; rule: string; region: string }[];
  const alert = firing.find((a) => a.rule === 'unemployment_rate_high') ?? firing[0];
  expect(alert, 'the evaluation opened a county alert').toBeDefined();
  countyB = alert.region;
  countyA = countyB.startsWith('5117') ? '511321' : '511702';
  A = await signIn(app, 'county_a', 'county_staff', countyA);
  B = await signIn(app, 'county_b', 'county_staff', countyB);
  cityA = await signIn(app, 'city_a', 'city_staff', `${countyA.slice(0, 4)}00`);
  cityB = await signIn(app, 'city_b', 'city_staff', `${countyB.slice(0, 4)}00`);
  // County B's objects, made by B's user.
  objects.alert = String(alert.id);
  const persons = await B.get(`/api/alerts/${alert.id}/persons?limit=1`);
  expect(persons.statusCode, persons.body).toBe(200);
  objects.person = persons.json().persons[0].pid;
  const exp = await B.post('/api/person-exports', { worklist: 'festival_not_departed', region: countyB, reason: '范围测试导出申请' });
  expect(exp.statusCode, exp.body).toBe(201);
  objects.export = exp.json().id;
  const draw = await B.post('/api/sampling/draws', { region: countyB, seed: 'scope-b' });
  expect(draw.statusCode, draw.body).toBe(201);
  objects.draw = String(draw.json().drawId);
  const silence = await B.post('/api/alerts/silences', { region: countyB, endsAt: ENDS_AT, reason: '县B的静默' });
  expect(silence.statusCode, silence.body).toBe(201);
  objects.silence = String(silence.json().id);
  runId = (await B.get('/api/refresh/runs')).json().runs[0].runId;
  if (routes.some((r) => r.key === 'POST /api/briefings')) {
    const briefing = await B.post('/api/briefings', { kind: 'monthly', region: countyB, period: M });
    expect(briefing.statusCode, briefing.body).toBeLessThan(300);
    objects.briefing = String(briefing.json().id);
  }
}, 600_000);

afterAll(async () => {
  await app?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

const classification = (key: string) => ROUTES[key];

describe('the route table', () => {
  test('every API route is classified, and every classified route exists', () => {
    const keys = routes.map((r) => r.key);
    expect(keys.length).toBeGreaterThan(70);
    expect(keys.filter((k) => !classification(k)), 'unclassified routes: add them to ROUTES with their scope').toEqual([]);
    expect(Object.keys(ROUTES).filter((k) => !keys.includes(k)), 'classified routes that no longer exist').toEqual([]);
    for (const k of keys) expect(['public', 'self', 'admin', 'reference', 'scoped-list', 'region', 'object']).toContain(classification(k).kind);
  });

  test('only public routes answer without a session', async () => {
    for (const r of routes) {
      const c = classification(r.key);
      const res = await app.inject({ method: r.method, url: r.path.replace(/:[A-Za-z]+/g, '1'), payload: r.method === 'GET' || r.method === 'DELETE' ? undefined : {} });
      if (c.kind === 'public') expect(res.statusCode, r.key).not.toBe(401);
      else expect(res.statusCode, r.key).toBe(401);
    }
  });
});

describe('scope per class', () => {
  test('admin routes refuse a county user (403) and change nothing', async () => {
    const users = app.users.list().length;
    for (const r of routes) {
      const c = classification(r.key);
      if (c.kind !== 'admin') continue;
      const res = await send(A, r.method, c.url ?? r.path, c.body ?? (r.method === 'GET' || r.method === 'DELETE' ? undefined : {}));
      expect(res.statusCode, `${r.key}: ${res.body}`).toBe(403);
    }
    expect(app.users.list().length).toBe(users);
    expect(app.users.get('intruder')).toBeUndefined();
  });

  test('self routes act on the caller only', async () => {
    expect((await A.get('/api/auth/me')).json().user).toMatchObject({ username: 'county_a', region: countyA });
    // Another user's logout-all does not end A's session.
    const other = await signIn(app, 'county_a2', 'county_staff', countyA);
    expect((await other.post('/api/auth/logout-all', {})).statusCode).toBeLessThan(300);
    expect((await A.get('/api/auth/me')).statusCode).toBe(200);
  });

  test('reference routes answer two counties identically', async () => {
    for (const r of routes) {
      const c = classification(r.key);
      if (c.kind !== 'reference') continue;
      const url = (c.url ?? r.path).replace('{runId}', runId);
      const [a, b] = [await A.get(url), await B.get(url)];
      expect(a.statusCode, `${r.key}: ${a.body}`).toBe(200);
      expect(a.body, r.key).toBe(b.body);
    }
    // The run log's row counts are province-wide figures: a county sees the files, not their counts.
    const run = (await A.get(`/api/refresh/runs/${runId}`)).json();
    expect(run.files.length).toBeGreaterThan(0);
    for (const f of run.files) expect([f.rowsRead, f.rowsLoaded, f.rowsQuarantined, Object.keys(f.byReason).length]).toEqual([null, null, null, 0]);
    const province = await signIn(app, 'analyst', 'province_analyst', '510000');
    expect((await province.get(`/api/refresh/runs/${runId}`)).json().files.some((f: { rowsLoaded: number | null }) => (f.rowsLoaded ?? 0) > 0)).toBe(true);
  });

  test('scoped lists hold nothing outside the caller’s region', async () => {
    for (const r of routes) {
      const c = classification(r.key);
      if (c.kind !== 'scoped-list') continue;
      const [a, b] = [await A.get(c.url), await B.get(c.url)];
      expect(a.statusCode, `${r.key}: ${a.body}`).toBe(200);
      expect(b.statusCode, `${r.key}: ${b.body}`).toBe(200);
      const codesA = c.codes(a.json());
      for (const code of codesA) expect(code.startsWith(countyA), `${r.key} gave ${code} to county ${countyA}`).toBe(true);
      expect(codesA.some((code) => code.startsWith(countyB)), r.key).toBe(false);
    }
    // The alert inbox without a region filter: only A's alerts for A, B's alert for B.
    const inboxA = (await A.get('/api/alerts?limit=1000')).json().alerts as { id: number; region: string }[];
    for (const a of inboxA) expect(a.region.startsWith(countyA), `alert ${a.id} of ${a.region} shown to ${countyA}`).toBe(true);
    expect(((await B.get('/api/alerts?limit=1000')).json().alerts as { id: number }[]).map((a) => String(a.id))).toContain(objects.alert);
    // B's own objects are listed for B (the lists are not simply empty).
    expect((await B.get('/api/person-exports')).json().exports.length).toBeGreaterThan(0);
    expect((await B.get('/api/sampling/draws')).json().draws.length).toBeGreaterThan(0);
    expect((await B.get('/api/alerts/silences')).json().silences.length).toBeGreaterThan(0);
  });

  test('region routes: another region answers exactly like an unknown one; the own region answers', async () => {
    for (const r of routes) {
      const c = classification(r.key);
      if (c.kind !== 'region') continue;
      const city = c.call.level === 'city';
      const [me, own, theirs, unknown] = city ? [cityA, `${countyA.slice(0, 4)}00`, `${countyB.slice(0, 4)}00`, UNKNOWN_CITY] : [A, countyA, countyB, UNKNOWN_COUNTY];
      const call = (code: string) => send(me, r.method, String(fill(c.call.url, code)), c.call.body ? fill(c.call.body, code) : undefined);
      const ownRes = await call(own);
      // 404 no_data is an answer about the data (e.g. a build without county codes in quarantine), not a refusal.
      expect(ownRes.statusCode < 300 || ownRes.json().error?.code === 'no_data', `${r.key} own region: ${ownRes.statusCode} ${ownRes.body}`).toBe(true);
      const theirRes = await call(theirs);
      const unknownRes = await call(unknown);
      expect(theirRes.statusCode, `${r.key} other region: ${theirRes.body}`).toBe(404);
      const [t, u] = [errorShape(theirRes, theirs), errorShape(unknownRes, unknown)];
      expect.soft(t, r.key).toEqual(u);
    }
  });

  test('object routes: another county’s object answers exactly like an unknown id; its own user is not refused', async () => {
    for (const r of routes) {
      const c = classification(r.key);
      if (c.kind !== 'object') continue;
      const id = objects[c.call.object]!;
      const url = (v: string) => c.call.url.replace('{id}', v);
      const theirRes = await send(A, r.method, url(id), c.call.body);
      const unknownRes = await send(A, r.method, url(c.call.unknown), c.call.body);
      expect(theirRes.statusCode, `${r.key}: ${theirRes.body}`).toBe(404);
      expect(errorShape(theirRes, id), r.key).toEqual(errorShape(unknownRes, c.call.unknown));
      // The city of A is refused too; the city of B is not.
      expect((await send(cityA, r.method, url(id), c.call.body)).statusCode, r.key).toBe(404);
      if (c.call.skipOwner) continue;
      const ownRes = await send(B, r.method, url(id), c.call.body);
      expect(ownRes.statusCode, `${r.key} own object: ${ownRes.body}`).not.toBe(404);
      expect(ownRes.statusCode, `${r.key} own object: ${ownRes.body}`).toBeLessThan(500);
    }
    expect((await cityB.get(`/api/alerts/${objects.alert}`)).statusCode).toBe(200);
  });
});
