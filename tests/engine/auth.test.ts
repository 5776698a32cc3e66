/**
 * Login, sessions, CSRF, lockout, security headers and the audit chain, through the
 * real app (app.inject) on a fresh data folder.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../engine/app.ts';

const PASSWORD = 'Correct-Horse-9';
let dataDir: string;
let app: FastifyInstance;
let clock = Date.parse('2026-11-25T08:00:00Z');

function cookieOf(res: { headers: Record<string, unknown> }): string {
  const raw = res.headers['set-cookie'];
  const first = (Array.isArray(raw) ? raw[0] : raw) as string;
  return first.split(';')[0];
}

async function login(username: string, password = PASSWORD) {
  return app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'rlm-auth-'));
  app = await buildApp({
    dataDir,
    watchIntervalMs: 0,
    now: () => clock,
    sessionPolicy: { idleMs: 30 * 60_000, absoluteMs: 12 * 3_600_000 },
    throttlePolicy: { maxFailures: 5, windowMs: 15 * 60_000, lockMs: 15 * 60_000, maxFailuresPerIp: 1000 },
  });
  await app.users.add({ username: 'tongchuan', password: PASSWORD, role: 'county_staff', region: '511702' });
  await app.users.add({ username: 'locked', password: PASSWORD, role: 'county_staff', region: '511702' });
  await app.users.add({ username: 'brute', password: PASSWORD, role: 'county_staff', region: '511702' });
});

afterAll(async () => {
  await app?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('login', () => {
  test('right credentials set an HTTP-only SameSite=Strict cookie and return the user and a CSRF token', async () => {
    const res = await login('tongchuan');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.user).toMatchObject({ username: 'tongchuan', role: 'county_staff', region: '511702', regionName: '通川区' });
    expect(body.csrfToken).toMatch(/^[\w-]{20,}$/);
    const setCookie = String(res.headers['set-cookie']);
    expect(setCookie).toMatch(/^rlm_session=/);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Strict/i);
    expect(setCookie).not.toMatch(/Secure/i); // plain HTTP here
  });

  test('wrong password and unknown user answer 401 with the error shape', async () => {
    for (const [u, p] of [['tongchuan', 'wrong-Password-1'], ['nobody', PASSWORD]]) {
      const res = await login(u, p);
      expect(res.statusCode).toBe(401);
      expect(res.json()).toEqual({ error: { code: 'bad_credentials', message: 'wrong username or password' } });
    }
  });

  test('passwords are stored as argon2id hashes', () => {
    const row = app.stateDb.prepare('SELECT password_hash FROM users WHERE username = ?').get('tongchuan') as { password_hash: string };
    expect(row.password_hash).toMatch(/^\$argon2id\$/);
    expect(row.password_hash).not.toContain(PASSWORD);
  });

  test('a malformed body is a 400 naming the field', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'x' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toContain('password');
  });
});

describe('sessions', () => {
  test('API routes need a session; health does not', async () => {
    expect((await app.inject({ url: '/api/health' })).statusCode).toBe(200);
    const res = await app.inject({ url: '/api/regions/510000' });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('unauthenticated');
    const cookie = cookieOf(await login('tongchuan'));
    expect((await app.inject({ url: '/api/regions/511702', headers: { cookie } })).statusCode).toBe(200);
    expect((await app.inject({ url: '/api/regions/511702', headers: { cookie: 'rlm_session=forged' } })).statusCode).toBe(401);
  });

  test('state-changing requests need the CSRF token', async () => {
    const res = await login('tongchuan');
    const cookie = cookieOf(res);
    const csrf = res.json().csrfToken as string;
    const noToken = await app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie } });
    expect(noToken.statusCode).toBe(403);
    expect(noToken.json().error.code).toBe('csrf');
    const wrong = await app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie, 'x-csrf-token': `${csrf}x` } });
    expect(wrong.statusCode).toBe(403);
    const ok = await app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie, 'x-csrf-token': csrf } });
    expect(ok.statusCode).toBe(200);
    expect((await app.inject({ url: '/api/auth/me', headers: { cookie } })).statusCode).toBe(401);
  });

  test('sessions expire after the idle time', async () => {
    const cookie = cookieOf(await login('tongchuan'));
    expect((await app.inject({ url: '/api/auth/me', headers: { cookie } })).statusCode).toBe(200);
    clock += 31 * 60_000;
    expect((await app.inject({ url: '/api/auth/me', headers: { cookie } })).statusCode).toBe(401);
  });

  test('logout everywhere ends every session of the user', async () => {
    const a = await login('tongchuan');
    const b = await login('tongchuan');
    const res = await app.inject({ method: 'POST', url: '/api/auth/logout-all', headers: { cookie: cookieOf(a), 'x-csrf-token': a.json().csrfToken } });
    expect(res.statusCode).toBe(200);
    expect(res.json().ended).toBeGreaterThanOrEqual(2);
    expect((await app.inject({ url: '/api/auth/me', headers: { cookie: cookieOf(b) } })).statusCode).toBe(401);
  });

  test('a disabled user is refused even with a live session', async () => {
    const cookie = cookieOf(await login('locked'));
    app.users.setDisabled('locked', true);
    expect((await app.inject({ url: '/api/auth/me', headers: { cookie } })).statusCode).toBe(401);
    expect((await login('locked')).statusCode).toBe(401);
    app.users.setDisabled('locked', false);
  });
});

describe('region scope', () => {
  test('a county user reads its county and below, and other regions answer 404 like unknown ones', async () => {
    const cookie = cookieOf(await login('tongchuan'));
    const get = (url: string) => app.inject({ url, headers: { cookie } });
    expect((await get('/api/regions/511702')).statusCode).toBe(200);
    expect((await get('/api/regions/511702/children')).json().children.length).toBeGreaterThan(0);
    const own = await get('/api/regions/511702');
    expect(own.json().path.map((p: { code: string }) => p.code)).toEqual(['511702']);
    for (const other of ['511703', '510104', '511700', '510000']) {
      const res = await get(`/api/regions/${other}`);
      expect(res.statusCode).toBe(404);
      expect(res.json()).toEqual({ error: { code: 'not_found', message: `unknown region '${other}'` } });
    }
    const unknown = await get('/api/regions/519999');
    expect(unknown.statusCode).toBe(404);
    const search = (await get(`/api/regions?q=${encodeURIComponent('区')}&limit=100`)).json().regions as { code: string }[];
    expect(search.length).toBeGreaterThan(0);
    expect(search.every((r) => r.code.startsWith('511702'))).toBe(true);
  });
});

describe('brute force', () => {
  test('five failures lock the account for 15 minutes, even for the right password', async () => {
    for (let i = 0; i < 5; i++) expect((await login('brute', `Wrong-password-${i}`)).statusCode).toBe(401);
    const locked = await login('brute');
    expect(locked.statusCode).toBe(429);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    clock += 16 * 60_000;
    expect((await login('brute')).statusCode).toBe(200);
  });
});

describe('security headers', () => {
  test('every response carries CSP and the hardening headers', async () => {
    for (const url of ['/api/health', '/api/regions/510000', '/api/nope']) {
      const res = await app.inject({ url });
      expect(res.headers['content-security-policy']).toMatch(/default-src 'self'/);
      expect(res.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
      expect(res.headers['content-security-policy']).not.toMatch(/script-src[^;]*unsafe-inline/);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
    }
  });
});

describe('audit log', () => {
  test('logins and failures are logged and the hash chain verifies', () => {
    const actions = app.audit.list({ limit: 1000 }).map((r) => r.action);
    expect(actions).toContain('login');
    expect(actions).toContain('login_failed');
    expect(actions).toContain('login_locked');
    expect(actions).toContain('logout_all');
    expect(app.audit.verify()).toMatchObject({ ok: true });
  });

  test('the log refuses updates and deletes, and a tampered row is detected', () => {
    expect(() => app.stateDb.prepare("UPDATE audit_log SET actor = 'x' WHERE seq = 1").run()).toThrow(/append-only/);
    expect(() => app.stateDb.prepare('DELETE FROM audit_log WHERE seq = 1').run()).toThrow(/append-only/);
    // Someone with write access to the file drops the guard and edits history.
    app.stateDb.exec('DROP TRIGGER audit_log_no_update');
    app.stateDb.prepare("UPDATE audit_log SET actor = 'someone-else' WHERE seq = 2").run();
    const result = app.audit.verify();
    expect(result).toEqual({ ok: false, seq: 2, problem: 'content does not match its hash' });
  });
});
