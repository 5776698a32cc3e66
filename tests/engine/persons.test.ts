/**
 * Person-level data on the generated province: masked worklists, reveals (reason,
 * region scope, daily limit, audit) and person-level exports behind approval. The
 * expected worklist is recomputed from the raw persons snapshot CSV of the same date,
 * not from the warehouse.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../engine/app.ts';
import { readCurrentWarehouse } from '../../warehouse/publish/current-warehouse.ts';
import { isValidIdNumber } from '../../warehouse/reference/id-number.ts';
import { provinceFixture } from './fixture.ts';
import { signIn, type ApiSession } from './api-session.ts';

let app: FastifyInstance;
let dataDir: string;
let county: ApiSession;
let otherCounty: ApiSession;
let city: ApiSession;
let province: ApiSession;
const COUNTY = '511321';
const expected = new Map<string, { id: string; name: string; phone: string; village: string }>();

beforeAll(async () => {
  const fixture = await provinceFixture();
  const current = readCurrentWarehouse(fixture.dataDir)!;
  dataDir = mkdtempSync(join(tmpdir(), 'rlm-persons-'));
  mkdirSync(join(dataDir, 'warehouse'), { recursive: true });
  writeFileSync(join(dataDir, 'warehouse', 'CURRENT'), JSON.stringify(current));
  cpSync(join(fixture.dataDir, 'keys'), join(dataDir, 'keys'), { recursive: true });
  // the production request log (Fastify's pino at info), written to a file the last test scans
  app = await buildApp({ dataDir, watchIntervalMs: 0, webDir: join(dataDir, 'no-web'), logger: { level: 'info', file: logFile() } });
  // Independent expectation: the snapshot as of data_as_of, straight from the CSV.
  const batch = readdirSync(fixture.inbox).find((n) => /^\d{4}-\d{2}-\d{2}$/.test(n))!;
  const snapshot = `persons_${current.dataAsOf.replaceAll('-', '')}.csv`;
  const [header, ...lines] = readFileSync(join(fixture.inbox, batch, snapshot), 'utf8').trim().split('\n');
  const col = Object.fromEntries(header.split(',').map((h, i) => [h, i]));
  for (const line of lines) {
    const f = line.split(',');
    if (f[col['就业状态']] === '40' && f[col['脱贫劳动力']] === '是' && f[col['培训意愿']] === '是') {
      expected.set(f[col['公民身份号码']], { id: f[col['公民身份号码']], name: f[col['姓名']], phone: f[col['联系电话']], village: f[col['户籍村代码']] });
    }
  }
  county = await signIn(app, 'nanbu', 'county_staff', COUNTY);
  otherCounty = await signIn(app, 'tongchuan', 'county_staff', '511702');
  city = await signIn(app, 'nanchong', 'city_staff', '511300');
  province = await signIn(app, 'analyst', 'province_analyst', '510000');
}, 600_000);

afterAll(async () => {
  await app?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const logFile = () => join(dataDir, 'server.log');
const inCounty = () => [...expected.values()].filter((p) => p.village.startsWith(COUNTY));

describe('masked worklists', () => {
  test('the province worklist has exactly the snapshot’s people, with masked names and ID numbers', async () => {
    const res = await province.get('/api/persons/worklists/unemployed_poverty_training?region=510000&limit=500');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.total).toBe(expected.size);
    expect(expected.size).toBeGreaterThan(5);
    const masked = new Set([...expected.values()].map((p) => `${p.id.slice(0, 4)}${'*'.repeat(10)}${p.id.slice(-4)}`));
    for (const p of body.persons) {
      expect(p.idNumber).toMatch(/^\d{4}\*{10}\d{3}[\dX]$/);
      expect(masked.has(p.idNumber)).toBe(true);
      expect(p.name).toMatch(/^.\*+.?$/u);
      expect(p.employmentStatus).toBe('40');
    }
    // No plaintext anywhere in the response.
    for (const e of expected.values()) {
      expect(res.body).not.toContain(e.id);
      expect(res.body).not.toContain(e.name);
    }
  });

  test('a county user sees their county only; another county answers 404', async () => {
    const own = await county.get(`/api/persons/worklists/unemployed_poverty_training?region=${COUNTY}`);
    expect(own.statusCode).toBe(200);
    expect(own.json().total).toBe(inCounty().length);
    const other = await otherCounty.get(`/api/persons/worklists/unemployed_poverty_training?region=${COUNTY}`);
    expect(other.statusCode).toBe(404);
    expect((await county.get('/api/persons/worklists/no_such_list?region=' + COUNTY)).statusCode).toBe(404);
    expect((await county.get("/api/persons/worklists/unemployed_poverty_training?region=511321' OR 1=1")).statusCode).toBe(400);
  });

  test('the festival worklist answers for the province', async () => {
    const res = await province.get('/api/persons/worklists/festival_not_departed?region=510000&limit=5');
    expect(res.statusCode).toBe(200);
    expect(res.json().total).toBeGreaterThan(0);
  });
});

describe('reveal', () => {
  test('needs a reason, reveals the true identity, and is audited', async () => {
    const list = (await county.get(`/api/persons/worklists/unemployed_poverty_training?region=${COUNTY}`)).json();
    const pid = list.persons[0].pid as string;
    expect((await county.post(`/api/persons/${pid}/reveal`, {})).statusCode).toBe(400);
    const res = await county.post(`/api/persons/${pid}/reveal`, { reason: '核实培训意愿，电话回访' });
    expect(res.statusCode).toBe(200);
    const r = res.json();
    expect(isValidIdNumber(r.idNumber)).toBe(true);
    const truth = expected.get(r.idNumber);
    expect(truth).toBeDefined();
    expect(r.name).toBe(truth!.name);
    expect(r.phone).toBe(truth!.phone);
    const entry = app.audit.list({ action: 'person_revealed' })[0];
    expect(entry.actor).toBe('nanbu');
    expect(entry.target).toBe(pid);
    expect(JSON.parse(entry.detail).reason).toBe('核实培训意愿，电话回访');
    // Another county's user gets the same answer as for an unknown person.
    const other = await otherCounty.post(`/api/persons/${pid}/reveal`, { reason: '试图查看外县人员' });
    expect(other.statusCode).toBe(404);
    expect(other.json()).toEqual((await otherCounty.post(`/api/persons/${'0'.repeat(32)}/reveal`, { reason: '试图查看外县人员' })).json());
  });

  test('a province leader may not reveal', async () => {
    const leader = await signIn(app, 'leader', 'province_leader', '510000');
    const pid = (await leader.get('/api/persons/worklists/unemployed_poverty_training?region=510000')).json().persons[0].pid;
    expect((await leader.post(`/api/persons/${pid}/reveal`, { reason: '领导查看明细' })).statusCode).toBe(403);
  });
});

describe('exports need approval by a higher level', () => {
  test('request → refused own approval → city approves → download carries requester and rows', async () => {
    const reqRes = await county.post('/api/person-exports', { worklist: 'unemployed_poverty_training', region: COUNTY, reason: '组织技能培训报名' });
    expect(reqRes.statusCode).toBe(201);
    const id = reqRes.json().id as string;
    expect((await county.get(`/api/person-exports/${id}/download`)).statusCode).toBe(409);
    expect((await county.post(`/api/person-exports/${id}/decision`, { approve: true })).statusCode).toBe(403);
    expect((await otherCounty.post(`/api/person-exports/${id}/decision`, { approve: true })).statusCode).toBe(404);
    const ok = await city.post(`/api/person-exports/${id}/decision`, { approve: true, note: '同意' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ status: 'approved', approver: 'nanchong' });
    expect((await city.post(`/api/person-exports/${id}/decision`, { approve: false })).statusCode).toBe(409);
    expect((await city.get(`/api/person-exports/${id}/download`)).statusCode).toBe(404);
    const file = await county.get(`/api/person-exports/${id}/download`);
    expect(file.statusCode).toBe(200);
    const lines = file.body.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toContain('requester: nanbu');
    expect(lines[0]).toContain('approved by: nanchong');
    const ids = lines.slice(2).map((l) => l.split(',')[1]).sort();
    expect(ids).toEqual(inCounty().map((p) => p.id).sort());
    const actions = app.audit.list({ limit: 500 }).map((e) => e.action);
    for (const a of ['export_requested', 'export_approved', 'export_downloaded', 'persons_listed']) expect(actions).toContain(a);
    expect(app.audit.verify()).toMatchObject({ ok: true });
  });
});

describe('at rest', () => {
  test('after worklists, reveals and an approved export, no revealed name, ID number or phone is in the server log or the state database', async () => {
    await new Promise((r) => setTimeout(r, 500)); // pino's file destination writes asynchronously
    const log = readFileSync(logFile(), 'utf8');
    expect(log).toContain('/api/persons/'); // the log did record the person-level requests
    expect(log).toContain('/reveal');
    const files = readdirSync(join(dataDir, 'state')).filter((f) => f.startsWith('state.sqlite'));
    expect(files).toContain('state.sqlite');
    const state = files.map((f) => readFileSync(join(dataDir, 'state', f)).toString('utf8')).join('\n');
    expect(state).toContain('person_revealed'); // the audit log is in these bytes
    const found: string[] = [];
    for (const p of expected.values()) {
      for (const [where, text] of [['log', log], ['state', state]] as const) {
        for (const v of [p.id, p.name, p.phone]) if (v && text.includes(v)) found.push(`${where}: ${v}`);
      }
    }
    expect(found).toEqual([]);
  });
});
