/**
 * The data-quality API on the hand-made build: every route through the real app,
 * figures equal the known defects, worklists masked and audited, region scope (404 like
 * an unknown region), permissions, bad input naming the parameter.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../engine/app.ts';
import { signIn, type ApiSession } from './api-session.ts';
import { handMadeDataDir, IDENTITIES } from './data-quality-fixture.ts';
import { createHandMadeBuild, V } from '../warehouse/quality/hand-made-build.ts';
import { maskIdNumber } from '../../warehouse/reference/id-number.ts';

let dataDir: string;
let app: FastifyInstance;
let analyst: ApiSession; // province
let dachuan: ApiSession; // county 511703
let admin: ApiSession; // no read_persons_masked

beforeAll(async () => {
  dataDir = await handMadeDataDir();
  app = await buildApp({ dataDir, watchIntervalMs: 0, webDir: join(dataDir, 'no-web-build') });
  analyst = await signIn(app, 'dq-analyst', 'province_analyst', '510000');
  dachuan = await signIn(app, 'dq-dachuan', 'county_staff', '511703');
  admin = await signIn(app, 'dq-admin', 'admin', '510000');
});
afterAll(async () => {
  await app?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('coverage', () => {
  test('a county: counts, townships, problem villages and merged points', async () => {
    const res = await analyst.get('/api/data-quality/coverage?region=511702');
    expect(res.statusCode).toBe(200);
    const b = res.json();
    expect(b.region).toEqual({ code: '511702', name: '通川区', level: 'county' });
    expect(b.summary).toMatchObject({ villages: 5, compliant: 3, uncovered: 1, multiPoint: 1, points: 4, mergedPoints: 1, coverageRate: 0.6 });
    expect(b.children.map((c: { code: string }) => c.code)).toEqual(['511702001', '511702002']);
    expect(b.villageIssues.map((v: { villageCode: string; issue: string }) => `${v.villageCode}:${v.issue}`)).toEqual([`${V.c}:multi_point`, `${V.d}:uncovered`]);
    expect(b.villageIssues[0].pointCodes).toEqual(['CJ511702001002', 'CJ511702001003']);
    expect(b.mergedPoints).toEqual([{ pointCode: 'CJ511702001002', pointName: 'CJ511702001002采集点', townshipCode: '511702001', townshipName: b.mergedPoints[0].townshipName, villageCodes: [V.b, V.c], registered: 4 }]);
    expect(b.asOf).toBe('2025-03-31');
  });

  test('a township drills down to its villages', async () => {
    const b = (await analyst.get('/api/data-quality/coverage?region=511702002')).json();
    expect(b.children.map((c: { code: string; uncovered: number }) => [c.code, c.uncovered])).toEqual([[V.d, 1], [V.e, 0]]);
  });
});

describe('timeliness and backlog', () => {
  test('a township in January: counts and every due point', async () => {
    const b = (await analyst.get('/api/data-quality/timeliness?region=511702001&month=2025-01')).json();
    expect(b.deadline).toBe('2025-02-05');
    expect(b.deadlinePassed).toBe(true);
    expect(b.summary).toMatchObject({ pointsDue: 3, submitted: 3, onTime: 2, late: 1, backlogTownship: 1, backlogCounty: 1 });
    expect(b.points.map((p: { pointCode: string; status: string; daysLate: number }) => `${p.pointCode}:${p.status}:${p.daysLate}`)).toEqual([
      'CJ511702001001:县级已复核:0',
      'CJ511702001002:乡镇已审核:1',
      'CJ511702001003:已报送:0',
    ]);
  });

  test('the province lists cities, no points; the default month is the last one', async () => {
    const b = (await analyst.get('/api/data-quality/timeliness')).json();
    expect(b.month).toBe('2025-03');
    expect(b.deadlinePassed).toBe(false);
    expect(b.points).toBeNull();
    expect(b.children.map((c: { code: string }) => c.code)).toEqual(['511700']);
  });

  test('backlog per township and the points in it', async () => {
    const b = (await analyst.get('/api/data-quality/backlog?region=511702&month=2025-01')).json();
    expect(b.summary).toEqual({ submitted: 4, townshipReviewed: 2, countyVerified: 1, returned: 1, backlogTownship: 1, backlogCounty: 1 });
    expect(b.children.map((c: { code: string; backlogTownship: number; backlogCounty: number }) => [c.code, c.backlogTownship, c.backlogCounty])).toEqual([
      ['511702001', 1, 1],
      ['511702002', 0, 0],
    ]);
    expect(b.points.map((p: { pointCode: string }) => p.pointCode)).toEqual(['CJ511702001002', 'CJ511702001003']);
  });
});

describe('plausibility', () => {
  test('counts per check, including the shared phone of p01-p05 (5 persons)', async () => {
    const b = (await analyst.get('/api/data-quality/plausibility?region=511700&month=2025-03')).json();
    expect(b.summary).toEqual({
      active: 11,
      findings: { stale: 2, status_work_region: 4, age_over_limit: 2, income_out_of_range: 2, shared_phone: 5, presence_reason_conflict: 1, status_flip: 0 },
    });
    expect(b.children.map((c: { code: string; findings: { shared_phone: number } }) => [c.code, c.findings.shared_phone])).toEqual([
      ['511702', 5],
      ['511703', 0],
    ]);
    expect(b.checks.map((c: { id: string }) => c.id)).toContain('shared_phone');
  });

  test('the worklist is masked, complete and audited', async () => {
    const before = app.audit.list({ action: 'dq_worklist_read' }).length;
    const res = await analyst.get('/api/data-quality/plausibility/persons?region=511702&check=status_work_region');
    expect(res.statusCode).toBe(200);
    const b = res.json();
    expect(b.total).toBe(3);
    const pids = b.rows.map((r: { pid: string }) => r.pid).sort();
    expect(pids).toEqual(['p02', 'p03', 'p05']);
    for (const r of b.rows) {
      const who = IDENTITIES[r.pid];
      expect(r.idNumber).toBe(maskIdNumber(who.idNumber));
      expect(r.name).toBe(({ p02: '李*国', p03: '张*', p05: '陈*' } as Record<string, string>)[r.pid]);
      expect(res.body).not.toContain(who.idNumber);
      expect(res.body).not.toContain(who.name);
    }
    expect(app.audit.list({ action: 'dq_worklist_read' }).length).toBe(before + 1);
  });

  test('shared-phone worklist names the group, never the phone', async () => {
    const res = await analyst.get('/api/data-quality/plausibility/persons?region=510000&check=shared_phone&limit=10');
    const b = res.json();
    expect(b.total).toBe(5);
    expect(new Set(b.rows.map((r: { detail: string }) => r.detail)).size).toBe(1);
    expect(b.rows[0].detail).toMatch(/^共用电话组 [0-9a-f]{8}（5人）$/);
    expect(res.body).not.toContain('13800001111');
  });

  test('paging: limit and offset', async () => {
    const all = (await analyst.get('/api/data-quality/plausibility/persons?region=510000&check=status_work_region&limit=200')).json();
    const page = (await analyst.get('/api/data-quality/plausibility/persons?region=510000&check=status_work_region&limit=2&offset=2')).json();
    expect(all.total).toBe(4);
    expect(page.rows.map((r: { pid: string }) => r.pid)).toEqual(all.rows.slice(2, 4).map((r: { pid: string }) => r.pid));
  });
});

describe('cross-department', () => {
  test('counts per roster type for the city and its counties', async () => {
    const b = (await analyst.get('/api/data-quality/cross-department?region=511700')).json();
    expect(b.asOf).toEqual({ 易地搬迁: '2025-03-31', 脱贫劳动力: '2025-03-31' });
    expect(b.summary).toEqual([
      { rosterType: '易地搬迁', rosterPersons: 2, registryFlagged: 2, matched: 1, notInRegistry: 0, notOnRoster: 1, notFlagged: 1, villageMismatch: 0 },
      { rosterType: '脱贫劳动力', rosterPersons: 5, registryFlagged: 3, matched: 2, notInRegistry: 2, notOnRoster: 0, notFlagged: 0, villageMismatch: 1 },
    ]);
    expect(b.children.map((c: { code: string }) => c.code)).toEqual(['511702', '511703']);
  });

  test('the worklist of persons on the roster but not in the registry, masked (names from the vault)', async () => {
    const b = (await analyst.get('/api/data-quality/cross-department/persons?region=511700&kind=not_in_registry')).json();
    expect(b.total).toBe(2);
    // ordered by village: p12 (village f), X1 (village g)
    expect(b.rows.map((r: { pid: string; idNumber: string; name: string }) => [r.pid, r.idNumber, r.name])).toEqual([
      ['p12', maskIdNumber(IDENTITIES.p12.idNumber), '欧**娜'],
      ['X1', maskIdNumber(IDENTITIES.X1.idNumber), '卫*'],
    ]);
  });
});

describe('score', () => {
  test('the city and its counties for the first quarter, components with their counts', async () => {
    const res = await analyst.get('/api/data-quality/score?region=511700&period=2025-Q1');
    expect(res.statusCode).toBe(200);
    const b = res.json();
    expect(b.months).toEqual(['2025-01', '2025-02', '2025-03']);
    expect(b.formula.reduce((s: number, c: { weight: number }) => s + c.weight, 0)).toBe(100);
    const tongchuan = b.children.find((c: { code: string }) => c.code === '511702');
    expect(tongchuan.components.coverage).toEqual({ value: 0.6, weight: 15, numerator: 3, denominator: 5 });
    expect(tongchuan.components.timeliness).toEqual({ value: 3 / 8, weight: 15, numerator: 3, denominator: 8 });
    expect(tongchuan.components.sampling.value).toBeNull();
    expect(b.score.score).toBeGreaterThan(0);
    expect(b.score.score).toBeLessThan(100);
  });

  test('a period outside the data is 404; a malformed one 400', async () => {
    expect((await analyst.get('/api/data-quality/score?region=511700&period=2024-12')).statusCode).toBe(404);
    const bad = await analyst.get('/api/data-quality/score?region=511700&period=2025-13');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toContain('period');
  });
});

describe('scope, permissions, bad input', () => {
  test('a county user reads its county; another county answers 404 exactly like an unknown region', async () => {
    expect((await dachuan.get('/api/data-quality/coverage?region=511703')).statusCode).toBe(200);
    const other = await dachuan.get('/api/data-quality/coverage?region=511702');
    const unknown = await dachuan.get('/api/data-quality/coverage?region=519999');
    expect(other.statusCode).toBe(404);
    expect(unknown.statusCode).toBe(404);
    expect(other.json().error.code).toBe(unknown.json().error.code);
    expect((await dachuan.get('/api/data-quality/plausibility/persons?region=511702&check=stale')).statusCode).toBe(404);
    // without a region: the user's own
    expect((await dachuan.get('/api/data-quality/plausibility')).json().region.code).toBe('511703');
  });

  test('worklists need read_persons_masked; figures do not', async () => {
    const res = await admin.get('/api/data-quality/plausibility/persons?region=510000&check=stale');
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('forbidden');
    expect((await admin.get('/api/data-quality/plausibility?region=510000')).statusCode).toBe(200);
  });

  test('no session: 401', async () => {
    expect((await app.inject({ url: '/api/data-quality/coverage?region=510000' })).statusCode).toBe(401);
  });

  test.each([
    ['/api/data-quality/coverage?region=51170', 400, 'region'],
    ['/api/data-quality/coverage?region=511702001001', 400, 'region'],
    ['/api/data-quality/coverage?region=510000&limit=999999', 400, 'limit'],
    ['/api/data-quality/timeliness?region=510000&month=2025-13', 400, 'month'],
    ['/api/data-quality/timeliness?region=510000&month=2024-12', 404, 'month'],
    ['/api/data-quality/plausibility/persons?region=510000', 400, 'check'],
    ['/api/data-quality/plausibility/persons?region=510000&check=drop%20table', 400, 'check'],
    ["/api/data-quality/plausibility/persons?region=510000&check=stale&offset=-1", 400, 'offset'],
    ['/api/data-quality/cross-department/persons?region=510000&kind=x', 400, 'kind'],
    ['/api/data-quality/plausibility?region=510000&extra=1', 400, 'extra'],
  ])('%s → %i naming %s', async (url, status, name) => {
    const res = await analyst.get(url);
    expect(res.statusCode).toBe(status);
    expect(res.json().error.message).toContain(name);
  });
});

describe('a build without the quality tables', () => {
  test('answers 503 quality_unavailable, after authentication', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rlm-dq-noq-'));
    mkdirSync(join(dir, 'warehouse', 'builds'), { recursive: true });
    const { instance, conn } = await createHandMadeBuild(join(dir, 'warehouse', 'builds', 'plain.duckdb'));
    conn.closeSync();
    instance.closeSync();
    writeFileSync(join(dir, 'warehouse', 'CURRENT'), JSON.stringify({ version: 'plain', file: 'plain.duckdb', publishedAt: '2025-04-01T02:00:00Z', dataAsOf: '2025-03-31' }));
    const plain = await buildApp({ dataDir: dir, watchIntervalMs: 0, webDir: join(dir, 'no-web-build') });
    try {
      expect((await plain.inject({ url: '/api/data-quality/coverage?region=510000' })).statusCode).toBe(401);
      const user = await signIn(plain, 'dq-plain', 'province_analyst', '510000');
      const res = await user.get('/api/data-quality/coverage?region=510000');
      expect(res.statusCode).toBe(503);
      expect(res.json().error.code).toBe('quality_unavailable');
    } finally {
      await plain.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('privacy', () => {
  test('no plaintext name, ID number or phone in the warehouse file', () => {
    const bytes = readFileSync(join(dataDir, 'warehouse', 'builds', 'dq-1.duckdb')).toString('latin1');
    for (const who of Object.values(IDENTITIES)) {
      expect(bytes.includes(who.idNumber)).toBe(false);
      expect(bytes.includes(who.phone)).toBe(false);
      expect(bytes.includes(Buffer.from(who.name, 'utf8').toString('latin1'))).toBe(false);
    }
  });
});
