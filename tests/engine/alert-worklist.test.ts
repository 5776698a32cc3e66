/**
 * The persons behind an alert (GET /api/alerts/:id/persons) on the generated province,
 * after a real evaluation of its last month: the unemployment-rate alert lists exactly
 * the unemployed of the alert's county in the raw month-end snapshot CSV; the Spring
 * Festival lag alert lists exactly the people a plain replay of the raw change file finds
 * returned in the festival window and still at home on day 30; names and ID numbers are
 * masked; another region's alert answers like an unknown one; rules without persons and
 * the audit trail.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../engine/app.ts';
import { readCurrentWarehouse } from '../../warehouse/publish/current-warehouse.ts';
import { springFestivalDate } from '../../warehouse/reference/festival.ts';
import { provinceFixture } from './fixture.ts';
import { signIn, type ApiSession } from './api-session.ts';

interface ApiAlert {
  id: number;
  rule: string;
  region: string;
  level: string;
  state: string;
  lastPeriod: string;
}

let app: FastifyInstance;
let dataDir: string;
let inbox: string;
let dataAsOf: string;
let province: ApiSession;
let alerts: ApiAlert[];

const masked = (id: string) => `${id.slice(0, 4)}${'*'.repeat(10)}${id.slice(-4)}`;

function readCsv(path: string): Record<string, string>[] {
  const [header, ...lines] = readFileSync(path, 'utf8').replace(/^\uFEFF/, '').trim().split('\n');
  const cols = header.split(',');
  return lines.map((line) => {
    const f = line.split(',');
    return Object.fromEntries(cols.map((c, i) => [c, f[i] ?? '']));
  });
}

function batchFile(prefix: string): string {
  for (const batch of readdirSync(inbox).filter((n) => /^\d{4}-\d{2}-\d{2}$/.test(n)).sort().reverse()) {
    const name = readdirSync(join(inbox, batch)).filter((n) => n.startsWith(prefix)).sort().pop();
    if (name) return join(inbox, batch, name);
  }
  throw new Error(`no ${prefix} file in ${inbox}`);
}

/** Pages through the whole worklist of an alert. */
async function allPersons(session: ApiSession, id: number) {
  const persons: { pid: string; name: string; idNumber: string; villageCode: string; presence: string; employmentStatus: string; since: string }[] = [];
  let total = 0;
  for (let offset = 0; ; offset += 500) {
    const res = await session.get(`/api/alerts/${id}/persons?limit=500&offset=${offset}`);
    expect(res.statusCode, res.body).toBe(200);
    total = res.json().total;
    persons.push(...res.json().persons);
    if (persons.length >= total) break;
  }
  return { total, persons };
}

function pick(rule: string, level?: string): ApiAlert {
  const a = alerts.find((x) => x.rule === rule && (!level || x.level === level) && (x.state === 'firing' || x.state === 'pending'));
  if (!a) throw new Error(`the evaluation opened no ${rule} alert; alerts: ${alerts.map((x) => `${x.rule}/${x.region}/${x.state}`).join(' ')}`);
  return a;
}

/** A county of another city than `region`'s. */
const otherCounty = (region: string) => (region.startsWith('5117') ? '511321' : '511702');

beforeAll(async () => {
  const fixture = await provinceFixture();
  inbox = fixture.inbox;
  const current = readCurrentWarehouse(fixture.dataDir)!;
  dataAsOf = current.dataAsOf;
  dataDir = mkdtempSync(join(tmpdir(), 'rlm-alert-worklist-'));
  mkdirSync(join(dataDir, 'warehouse'), { recursive: true });
  writeFileSync(join(dataDir, 'warehouse', 'CURRENT'), JSON.stringify(current));
  cpSync(join(fixture.dataDir, 'keys'), join(dataDir, 'keys'), { recursive: true });
  app = await buildApp({ dataDir, watchIntervalMs: 0, webDir: join(dataDir, 'no-web') });
  const admin = await signIn(app, 'root', 'admin', '510000');
  // An earlier month first (it opens data-quality alerts, resolved later), then the last one.
  for (const month of ['2025-06', dataAsOf.slice(0, 7)]) {
    const run = await admin.post('/api/alerts/evaluate', { month });
    expect(run.statusCode, run.body).toBe(200);
  }
  province = await signIn(app, 'analyst', 'province_analyst', '510000');
  const list = await province.get('/api/alerts?limit=1000&state=pending,firing,resolved,normal');
  expect(list.statusCode).toBe(200);
  alerts = list.json().alerts;
}, 600_000);

afterAll(async () => {
  await app?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('persons behind an alert', () => {
  test('an unemployment-rate alert lists exactly the unemployed of its region in the month-end snapshot, masked', async () => {
    const a = pick('unemployment_rate_high', 'county');
    expect(a.lastPeriod).toBe(dataAsOf.slice(0, 7));
    const snapshot = readCsv(batchFile(`persons_${dataAsOf.replaceAll('-', '')}`));
    const expected = snapshot.filter((p) => p['就业状态'] === '40' && p['户籍村代码'].startsWith(a.region));
    expect(expected.length).toBeGreaterThan(5);
    const county = await signIn(app, `county${a.region}`, 'county_staff', a.region);
    const res = await county.get(`/api/alerts/${a.id}/persons?limit=500`);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ alert: a.id, rule: 'unemployment_rate_high', region: a.region, period: a.lastPeriod, total: expected.length });
    expect(body.persons.map((p: { idNumber: string }) => p.idNumber).sort()).toEqual(expected.map((p) => masked(p['公民身份号码'])).sort());
    for (const p of body.persons) {
      expect(p.employmentStatus).toBe('40');
      expect(p.villageCode.startsWith(a.region)).toBe(true);
      expect(p.name).toMatch(/^.\*+.?$/u);
    }
    for (const p of expected) {
      expect(res.body).not.toContain(p['公民身份号码']);
      expect(res.body).not.toContain(`"${p['姓名']}"`);
    }
    const entry = app.audit.list({ action: 'persons_listed', limit: 1 })[0];
    expect(entry).toMatchObject({ actor: `county${a.region}`, target: `alert:${a.id}`, region: a.region });
    expect(app.audit.verify()).toMatchObject({ ok: true });
  });

  test('a festival-lag alert lists exactly the people a replay of the change file finds returned and still home on day 30', async () => {
    const a = pick('festival_return_lag', 'county');
    const fd = Date.parse(`${springFestivalDate(Number(a.lastPeriod.slice(0, 4)))}T00:00:00Z`);
    const from = new Date(fd - 45 * 86_400_000).toISOString().slice(0, 10);
    const d30 = new Date(fd + 30 * 86_400_000).toISOString().slice(0, 10);
    // Presence at day 30 from the earliest snapshot and the dated changes; region from the latest snapshot.
    const snapshots = readdirSync(join(batchFile('persons_'), '..')).filter((n) => n.startsWith('persons_')).sort();
    const base = readCsv(join(batchFile('persons_'), '..', snapshots[0]));
    const last = readCsv(batchFile(`persons_${dataAsOf.replaceAll('-', '')}`));
    const presence = new Map(base.map((p) => [p['公民身份号码'], p['所在状态']]));
    const active = new Map(base.map((p) => [p['公民身份号码'], true]));
    const village = new Map(last.map((p) => [p['公民身份号码'], p['户籍村代码']]));
    const returned = new Set<string>();
    const changes = readCsv(batchFile('changes_')).filter((c) => c['变动日期'] <= d30);
    changes.sort((x, y) => (x['变动日期'] < y['变动日期'] ? -1 : x['变动日期'] > y['变动日期'] ? 1 : 0));
    for (const c of changes) {
      const id = c['公民身份号码'];
      if (c['所在状态']) presence.set(id, c['所在状态']);
      if (c['变动类型'] === '减少') active.set(id, false);
      if (c['变动类型'] === '新增') active.set(id, true);
      if (c['变动原因'] === '返乡' && c['变动日期'] >= from) returned.add(id);
      if (c['户籍村代码'] && !village.has(id)) village.set(id, c['户籍村代码']);
    }
    const expected = [...returned].filter((id) => active.get(id) && presence.get(id) === '在乡' && (village.get(id) ?? '').startsWith(a.region));
    expect(expected.length).toBeGreaterThan(5);
    const { total, persons } = await allPersons(province, a.id);
    expect(total).toBe(expected.length);
    expect(persons.map((p) => p.idNumber).sort()).toEqual(expected.map(masked).sort());
    for (const p of persons) {
      expect(p.presence).toBe('在乡');
      expect(p.since >= from && p.since <= d30).toBe(true);
    }
  });

  test('another region’s alert answers exactly like an unknown one; its city sees it', async () => {
    const a = pick('unemployment_rate_high', 'county');
    const outsider = await signIn(app, 'outsider', 'county_staff', otherCounty(a.region));
    const theirs = await outsider.get(`/api/alerts/${a.id}/persons`);
    const unknown = await outsider.get('/api/alerts/2000000000/persons');
    expect(theirs.statusCode).toBe(404);
    expect(unknown.statusCode).toBe(404);
    expect(Object.keys(theirs.json().error).sort()).toEqual(Object.keys(unknown.json().error).sort());
    expect(theirs.json().error.code).toBe(unknown.json().error.code);
    expect(theirs.json().error.message.replace(String(a.id), 'N')).toBe(unknown.json().error.message.replace('2000000000', 'N'));
    const city = await signIn(app, 'cityuser', 'city_staff', `${a.region.slice(0, 4)}00`);
    expect((await city.get(`/api/alerts/${a.id}/persons?limit=1`)).statusCode).toBe(200);
  });

  test('rules without persons behind them, roles without the permission, and bad parameters', async () => {
    const quality = alerts.find((x) => x.rule === 'quality_score_low' || x.rule === 'point_not_reporting');
    expect(quality).toBeDefined();
    const res = await province.get(`/api/alerts/${quality!.id}/persons`);
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('no_person_worklist');
    // Closed by its county (workflow resolve): no longer an open alert.
    const lag = pick('festival_return_lag', 'county');
    const county = await signIn(app, `county${lag.region}`, 'county_staff', lag.region);
    expect((await county.post(`/api/alerts/${lag.id}/resolve`, { outcome: 'handled', note: '已逐户走访' })).statusCode).toBe(200);
    const closed = await county.get(`/api/alerts/${lag.id}/persons`);
    expect(closed.statusCode).toBe(409);
    expect(closed.json().error.code).toBe('alert_not_open');
    const admin = await signIn(app, 'root', 'admin', '510000');
    const a = pick('unemployment_rate_high', 'county');
    expect((await admin.get(`/api/alerts/${a.id}/persons`)).statusCode).toBe(403);
    expect((await province.get(`/api/alerts/${a.id}/persons?limit=0`)).statusCode).toBe(400);
    expect((await province.get(`/api/alerts/${a.id}/persons?region=510000`)).statusCode).toBe(400);
    expect((await province.get(`/api/alerts/1%20OR%201=1/persons`)).statusCode).toBe(400);
  });
});
