/**
 * The real server for browser tests: the engine (buildApp) serving the built web app and
 * the API on a random port, over the shared generated province (tests/engine/fixture.ts),
 * with its own data folder (state database: users, sessions, alerts) whose CURRENT points at
 * the fixture's published build. The alert rules are evaluated for the data's last month
 * (the real evaluation run), so that the inbox has alerts.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import { buildApp } from '../../engine/app.ts';
import { readCurrentWarehouse } from '../../warehouse/publish/current-warehouse.ts';
import { provinceFixture, type ProvinceFixture } from '../engine/fixture.ts';
import { ensureWebBuild, WEB_BUILD } from './web-build.ts';
import { runAlertEvaluation } from '../../alerts/run-evaluation.ts';

export const WEB_PASSWORD = 'Web-Test-Password-7';

/** Users of the browser tests: one per level of the region hierarchy that the pages serve. */
export const WEB_USERS = [
  { username: 'web-analyst', role: 'province_analyst', region: '510000' },
  { username: 'web-city', role: 'city_staff', region: '511700' },
  { username: 'web-county', role: 'county_staff', region: '511702' },
] as const;

export interface WebApp {
  readonly app: FastifyInstance;
  readonly baseUrl: string;
  readonly fixture: ProvinceFixture;
  readonly dataDir: string;
  /** GET an API path as a signed-in user (the same numbers the page must show). */
  api<T>(path: string, username?: string): Promise<T>;
  close(): Promise<void>;
}

export async function startWebApp(): Promise<WebApp> {
  ensureWebBuild();
  const fixture = await provinceFixture();
  const current = readCurrentWarehouse(fixture.dataDir);
  if (!current) throw new Error(`fixture ${fixture.root} has no published warehouse`);
  const dataDir = mkdtempSync(join(tmpdir(), 'rlm-web-'));
  mkdirSync(join(dataDir, 'warehouse'), { recursive: true });
  writeFileSync(join(dataDir, 'warehouse', 'CURRENT'), JSON.stringify({ version: current.version, file: current.file, publishedAt: current.publishedAt, dataAsOf: current.dataAsOf }));
  mkdirSync(join(dataDir, 'state'), { recursive: true });
  for (const suffix of ['', '-wal']) {
    const src = join(fixture.dataDir, 'state', `state.sqlite${suffix}`);
    if (existsSync(src)) copyFileSync(src, join(dataDir, 'state', `state.sqlite${suffix}`));
  }
  await runAlertEvaluation({ dataDir, trigger: 'test', month: current.dataAsOf.slice(0, 7), notify: false });
  const app = await buildApp({ dataDir, watchIntervalMs: 0, webDir: WEB_BUILD });
  for (const u of WEB_USERS) if (!app.users.get(u.username)) await app.users.add({ ...u, password: WEB_PASSWORD });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;

  const cookies = new Map<string, string>();
  async function cookieOf(username: string): Promise<string> {
    let c = cookies.get(username);
    if (!c) {
      const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: WEB_PASSWORD } });
      if (res.statusCode !== 200) throw new Error(`login of ${username} failed: ${res.statusCode} ${res.body}`);
      const raw = res.headers['set-cookie'];
      c = String(Array.isArray(raw) ? raw[0] : raw).split(';')[0];
      cookies.set(username, c);
    }
    return c;
  }

  return {
    app,
    baseUrl,
    fixture,
    dataDir,
    async api<T>(path: string, username = 'web-analyst'): Promise<T> {
      const res = await app.inject({ method: 'GET', url: path, headers: { cookie: await cookieOf(username) } });
      if (res.statusCode !== 200) throw new Error(`GET ${path}: ${res.statusCode} ${res.body}`);
      return res.json() as T;
    },
    async close() {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
