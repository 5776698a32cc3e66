/**
 * Hostile input through every route of the route table, on the generated province:
 * SQL injection, path traversal, markup, very long and odd unicode strings in every query
 * and body parameter and every path parameter answer 4xx, never 5xx, never another
 * county's data; the warehouse file is byte-identical afterwards and the audit chain
 * verifies. Every state-changing route without (or with a wrong) CSRF token answers 403;
 * an idle-expired or logged-out session answers 401 everywhere but the public routes.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../engine/app.ts';
import { readCurrentWarehouse } from '../../warehouse/publish/current-warehouse.ts';
import { RECORD_CHECK_IDS } from '../../warehouse/quality/record-checks.ts';
import { provinceFixture } from './fixture.ts';
import { signIn, type ApiSession } from './api-session.ts';
import { apiRoutes, type RouteEntry } from './route-table.ts';

const INJECTIONS = [
  "' OR 1=1 --",
  "510000'; DROP TABLE x; --",
  "511702' UNION SELECT pid, ciphertext FROM pii_vault --",
  '../../etc/passwd',
  '<script>alert(1)</script>',
  'A'.repeat(10_000),
  '中文\u0000\u202e😀\uFFFF',
  '%27%20OR%201%3D1',
];

const COUNTY_A = '511702';
const COUNTY_B = '511321';
const M = '2026-03';

/** A valid request per route (path values, query string, body) into which one value at a time is injected. */
const BASE: Record<string, { path?: Record<string, string>; query?: Record<string, string>; body?: Record<string, unknown> }> = {
  'GET /api/persons/worklists/:id': { path: { id: 'festival_not_departed' }, query: { region: COUNTY_A } },
  'GET /api/regions': { query: { q: '5117' } },
  'GET /api/regions/:code': { path: { code: COUNTY_A } },
  'GET /api/regions/:code/children': { path: { code: COUNTY_A } },
  'GET /api/metrics/values': { query: { region: COUNTY_A, period: M, metrics: 'labour_force' } },
  'GET /api/metrics/series': { query: { region: COUNTY_A, metrics: 'labour_force', from: '2026-01', to: M } },
  'GET /api/metrics/compare': { query: { region: COUNTY_A, period: M, metrics: 'labour_force' } },
  'GET /api/metrics/ranking': { query: { region: COUNTY_A, period: M, metric: 'labour_force' } },
  'GET /api/festival': { query: { region: COUNTY_A, years: '2026' } },
  'GET /api/quality/quarantine': { query: { region: COUNTY_A } },
  'GET /api/quality/reconciliation': { query: { region: COUNTY_A } },
  'GET /api/data-quality/plausibility/persons': { query: { region: COUNTY_A, check: RECORD_CHECK_IDS[0] } },
  'GET /api/audit': { query: { limit: '5' } },
  'GET /api/audit/export': { query: { limit: '5' } },
  'POST /api/explore': { body: { level: 'township', region: COUNTY_A, periods: [M], measures: ['labour_force'], dimensions: ['sex'] } },
  'POST /api/person-exports': { body: { worklist: 'festival_not_departed', region: COUNTY_A, reason: '注入测试导出申请' } },
  'POST /api/sampling/draws': { body: { region: COUNTY_A, seed: 'inject' } },
  'POST /api/alerts/silences': { body: { region: COUNTY_A, endsAt: new Date(Date.now() + 86_400_000).toISOString(), reason: '注入测试' } },
  'POST /api/users': { body: { username: 'injected', password: 'Injected-Password-1', role: 'county_staff', region: COUNTY_A } },
  'POST /api/users/:username/status': { path: { username: 'victim' }, body: { disabled: false } },
  'POST /api/users/:username/password': { path: { username: 'victim' }, body: { password: 'Victim-Password-2' } },
  'POST /api/users/:username/role': { path: { username: 'victim' }, body: { role: 'county_staff', region: COUNTY_B } },
  'POST /api/alerts/channels': { body: { name: 'x', kind: 'webhook', region: COUNTY_A, target: 'http://127.0.0.1:9/hook', secret: 'abcdefghijklmnopqrstuvwxyz' } },
  'PUT /api/alerts/rules/:id/thresholds': { path: { id: 'unemployment_rate_high' }, body: { thresholds: { red: 9 } } },
  'DELETE /api/alerts/rules/:id/thresholds': { path: { id: 'unemployment_rate_high' } },
  'POST /api/persons/:pid/reveal': { path: { pid: '0'.repeat(32) }, body: { reason: '注入测试查看' } },
  'POST /api/person-exports/:id/decision': { path: { id: '00000000-0000-4000-8000-000000000000' }, body: { approve: false } },
  'POST /api/alerts/:id/assign': { body: { assignee: null } },
  'POST /api/alerts/:id/comments': { body: { text: '评论' } },
  'POST /api/alerts/:id/resolve': { body: { outcome: 'handled' } },
  'POST /api/briefings': { body: { kind: 'monthly', region: COUNTY_A, period: M } },
};

/** Routes acting on the caller's own session: exercised with throwaway sessions. */
const SESSION_ROUTES = new Set(['POST /api/auth/logout', 'POST /api/auth/logout-all']);
const PUBLIC_ROUTES = new Set(['GET /api/health', 'POST /api/auth/login']);
const ADMIN_PREFIXES = ['/api/users', '/api/audit', '/api/alerts/settings', '/api/alerts/channels', '/api/alerts/notifications', '/api/alerts/evaluate', '/api/alerts/escalate', '/api/alerts/rules/:id'];
const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

let app: FastifyInstance;
let dataDir: string;
let warehouseFile: string;
let warehouseHash: string;
let routes: RouteEntry[];
let county: ApiSession;
let admin: ApiSession;
let clock = Date.now();

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

function urlOf(r: RouteEntry, path: Record<string, string>, query: Record<string, string>): string {
  const p = r.path.replace(/:([A-Za-z]+)/g, (_, name: string) => encodeURIComponent(path[name] ?? '1'));
  const q = new URLSearchParams(query).toString();
  return q ? `${p}?${q}` : p;
}

function send(s: ApiSession, method: string, url: string, body?: unknown): Promise<LightMyRequestResponse> {
  return app.inject({ method: method as 'GET', url, headers: { cookie: s.cookie, ...(method === 'GET' ? {} : { 'x-csrf-token': s.csrf }) }, ...(body !== undefined ? { payload: body as object } : {}) });
}

beforeAll(async () => {
  const fixture = await provinceFixture();
  const current = readCurrentWarehouse(fixture.dataDir)!;
  warehouseFile = current.file.startsWith('/') ? current.file : join(fixture.dataDir, 'warehouse', 'builds', current.file);
  expect(existsSync(warehouseFile), warehouseFile).toBe(true);
  warehouseHash = sha256(warehouseFile);
  dataDir = mkdtempSync(join(tmpdir(), 'rlm-injection-'));
  mkdirSync(join(dataDir, 'warehouse'), { recursive: true });
  writeFileSync(join(dataDir, 'warehouse', 'CURRENT'), JSON.stringify(current));
  cpSync(join(fixture.dataDir, 'keys'), join(dataDir, 'keys'), { recursive: true });
  app = await buildApp({ dataDir, watchIntervalMs: 0, webDir: join(dataDir, 'no-web'), now: () => clock });
  await app.ready();
  routes = apiRoutes(app);
  county = await signIn(app, 'county_a', 'county_staff', COUNTY_A);
  admin = await signIn(app, 'root', 'admin', '510000');
  await app.users.add({ username: 'victim', password: 'Victim-Password-1', role: 'county_staff', region: COUNTY_B });
}, 600_000);

afterAll(async () => {
  await app?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('hostile parameter values', () => {
  test('every query, body and path parameter of every route: 4xx, never 5xx, never another county’s data', async () => {
    const failures: string[] = [];
    let requests = 0;
    // Routes where a hostile value passed validation and reached the handler (free text, search, reasons).
    const accepted = new Set<string>();
    for (const r of routes) {
      if (SESSION_ROUTES.has(r.key) || PUBLIC_ROUTES.has(r.key)) continue;
      const base = BASE[r.key] ?? {};
      const who = ADMIN_PREFIXES.some((p) => r.path.startsWith(p)) ? admin : county;
      const pathNames = [...r.path.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1]);
      const cases: { where: string; url: string; body?: unknown }[] = [];
      const body = base.body ?? (STATE_CHANGING.has(r.method) && r.method !== 'DELETE' ? {} : undefined);
      for (const value of INJECTIONS) {
        for (const q of r.query) cases.push({ where: `query ${q}`, url: urlOf(r, base.path ?? {}, { ...base.query, [q]: value }), body });
        for (const b of r.body) cases.push({ where: `body ${b}`, url: urlOf(r, base.path ?? {}, base.query ?? {}), body: { ...(base.body ?? {}), [b]: value } });
        for (const p of pathNames) cases.push({ where: `path ${p}`, url: urlOf(r, { ...base.path, [p]: value }, base.query ?? {}), body });
      }
      for (const c of cases) {
        const res = await send(who, r.method, c.url, c.body);
        requests++;
        if (res.statusCode < 300) accepted.add(r.key);
        const tag = `${r.key} ${c.where}=${JSON.stringify(c.url.length > 120 ? c.url.slice(0, 120) : c.url)} → ${res.statusCode} ${res.body.slice(0, 160)}`;
        if (res.statusCode >= 500) failures.push(tag);
        else if (who === county && res.statusCode < 300 && res.body.includes(COUNTY_B)) failures.push(`${tag} (holds county ${COUNTY_B})`);
        else if (res.statusCode >= 300 && !/^application\/json/.test(String(res.headers['content-type']))) failures.push(`${tag} (error is not JSON)`);
        else if (res.statusCode >= 300 && res.body.includes(' at ') && /\.ts:\d+/.test(res.body)) failures.push(`${tag} (stack trace)`);
      }
    }
    expect(failures).toEqual([]);
    expect(requests).toBeGreaterThan(500);
    expect([...accepted]).toEqual(expect.arrayContaining(['GET /api/regions', 'POST /api/person-exports', 'POST /api/alerts/silences']));
  }, 240_000);

  test('login with hostile user names and passwords: 400 or 401, never a session', async () => {
    for (const value of INJECTIONS) {
      for (const payload of [{ username: value, password: 'x' }, { username: 'county_a', password: value }]) {
        const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload });
        expect([400, 401, 429], `${JSON.stringify(payload).slice(0, 80)} → ${res.statusCode}`).toContain(res.statusCode);
        expect(res.headers['set-cookie']).toBeUndefined();
      }
    }
  });

  test('the warehouse file is unchanged, no user was added, and the audit chain verifies', async () => {
    expect(sha256(warehouseFile)).toBe(warehouseHash);
    // Only the valid base request of POST /api/users (with a hostile password or display name) may add its user.
    const names = app.users.list().map((u) => u.username);
    expect(names).toEqual(expect.arrayContaining(['county_a', 'root', 'victim']));
    for (const n of names) expect(['county_a', 'root', 'victim', 'injected']).toContain(n);
    expect(app.users.get('injected')?.role ?? 'county_staff').toBe('county_staff');
    expect(app.audit.verify()).toMatchObject({ ok: true });
  });
});

describe('CSRF and sessions', () => {
  test('every state-changing route without or with a wrong x-csrf-token answers 403 and does nothing', async () => {
    const changing = routes.filter((r) => STATE_CHANGING.has(r.method) && !PUBLIC_ROUTES.has(r.key));
    expect(changing.length).toBeGreaterThan(25);
    const auditBefore = app.audit.list({ limit: 100_000 }).length;
    for (const r of changing) {
      const base = BASE[r.key] ?? {};
      const url = urlOf(r, base.path ?? {}, base.query ?? {});
      for (const token of [undefined, 'wrong-token', county.csrf.slice(0, -1)]) {
        const res = await app.inject({ method: r.method, url, headers: { cookie: county.cookie, ...(token ? { 'x-csrf-token': token } : {}) }, payload: (base.body ?? {}) as object });
        expect(res.statusCode, `${r.key} token=${token}`).toBe(403);
        expect(res.json().error.code, r.key).toBe('csrf');
      }
    }
    expect(app.audit.list({ limit: 100_000 }).length).toBe(auditBefore);
    // The session survived (logout without a token did nothing).
    expect((await county.get('/api/auth/me')).statusCode).toBe(200);
  });

  test('a logged-out session and an idle-expired session answer 401 on every non-public route', async () => {
    // The hostile logins above locked the test client out (brute-force protection): wait it out.
    expect((await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'county_a', password: 'Engine-Test-Password-7' } })).statusCode).toBe(429);
    clock += 16 * 60_000;
    const gone = await signIn(app, 'county_a');
    expect((await gone.post('/api/auth/logout', {})).statusCode).toBeLessThan(300);
    const idle = await signIn(app, 'county_a');
    clock += 31 * 60_000;
    for (const s of [gone, idle]) {
      for (const r of routes) {
        if (PUBLIC_ROUTES.has(r.key)) continue;
        const res = await send(s, r.method, urlOf(r, BASE[r.key]?.path ?? {}, BASE[r.key]?.query ?? {}), STATE_CHANGING.has(r.method) ? (BASE[r.key]?.body ?? {}) : undefined);
        expect(res.statusCode, r.key).toBe(401);
      }
    }
    // A fresh login works again.
    const again = await signIn(app, 'county_a');
    expect((await again.get('/api/auth/me')).statusCode).toBe(200);
  });
});
