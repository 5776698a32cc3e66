/**
 * The data-quality and sampling API on the generated province (the cached fixture of
 * tests/warehouse/quality/generated-fixture.ts, copied so this test's state is its own):
 * the planted problems appear in the responses, worklists carry the right masked
 * identities (checked against the raw export files), and a sampling evaluation runs end
 * to end — draw, export, import of simulated field checks, estimates, score.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../engine/app.ts';
import { signIn, type ApiSession } from './api-session.ts';
import { FIXTURE_TIMEOUT_MS, generatedQualityFixture, type GeneratedFixture } from '../warehouse/quality/generated-fixture.ts';
import { readExport } from '../warehouse/quality/raw-export.ts';
import { maskIdNumber } from '../../warehouse/reference/id-number.ts';
import { loadDataKeys } from '../../warehouse/vault/data-keys.ts';
import { pidOf } from '../../warehouse/vault/pid-hash.ts';
import { countyAccuracy } from '../../warehouse/quality/accuracy-estimates.ts';
import { SamplingStore } from '../../warehouse/quality/sampling-store.ts';

let fx: GeneratedFixture;
let dataDir: string;
let app: FastifyInstance;
let api: ApiSession;
const nameOf = new Map<string, string>();

/** An independent mask: first character, stars, last character (two characters: first + *). */
const mask = (name: string) => {
  const c = [...name];
  return c.length === 2 ? `${c[0]}*` : c[0] + '*'.repeat(c.length - 2) + c[c.length - 1];
};

beforeAll(async () => {
  fx = await generatedQualityFixture();
  dataDir = mkdtempSync(join(tmpdir(), 'rlm-dq-province-'));
  cpSync(join(fx.dataDir, 'warehouse'), join(dataDir, 'warehouse'), { recursive: true });
  cpSync(join(fx.dataDir, 'keys'), join(dataDir, 'keys'), { recursive: true });
  app = await buildApp({ dataDir, watchIntervalMs: 0, webDir: join(dataDir, 'no-web-build') });
  api = await signIn(app, 'dq-province', 'province_analyst', '510000');
  for (const f of readdirSync(fx.batchDir).filter((x) => x.startsWith('persons_') || x.startsWith('changes_'))) {
    for (const r of await readExport(join(fx.batchDir, f))) if (r.values['姓名']) nameOf.set(String(r.values['公民身份号码']).toUpperCase(), String(r.values['姓名']));
  }
}, FIXTURE_TIMEOUT_MS);
afterAll(async () => {
  await app?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('planted problems through the API', () => {
  test('coverage lists the planted uncovered and multi-point villages in their counties', async () => {
    for (const u of fx.truth.coverage.uncovered) {
      const b = (await api.get(`/api/data-quality/coverage?region=${u.village.slice(0, 6)}`)).json();
      expect(b.villageIssues.filter((v: { issue: string }) => v.issue === 'uncovered').map((v: { villageCode: string }) => v.villageCode)).toContain(u.village);
      expect(b.summary.uncovered).toBeGreaterThanOrEqual(1);
    }
    for (const d of fx.truth.coverage.duplicated) {
      const b = (await api.get(`/api/data-quality/coverage?region=${d.village.slice(0, 9)}`)).json();
      const v = b.villageIssues.find((x: { villageCode: string }) => x.villageCode === d.village);
      expect(v).toMatchObject({ issue: 'multi_point', pointCodes: [...d.points].sort() });
    }
  });

  test('a non-reporting point is listed as not submitted and overdue in its county', async () => {
    const s = fx.truth.shocks.find((x) => x.rule === 'point_not_reporting' && x.period < fx.lastMonth)!;
    const b = (await api.get(`/api/data-quality/timeliness?region=${s.countyCode}&month=${s.period}`)).json();
    const p = b.points.find((x: { pointCode: string }) => x.pointCode === s.pointCode);
    expect(p).toMatchObject({ status: '未报送', submittedOn: null });
    expect(p.daysLate).toBeGreaterThan(0);
    expect(b.summary.notSubmitted).toBeGreaterThanOrEqual(1);
  });

  test('record-check worklists name the planted persons with the masked identities of the raw files', async () => {
    for (const [check, planted] of [
      ['status_work_region', fx.planted.statusWorkRegion],
      ['shared_phone', fx.planted.sharedPhone],
      ['age_over_limit', fx.planted.ageOverLimit],
    ] as const) {
      for (const p of planted) {
        const res = await api.get(`/api/data-quality/plausibility/persons?region=${p.county}&check=${check}&limit=200`);
        expect(res.statusCode).toBe(200);
        const rows = res.json().rows as { idNumber: string; name: string }[];
        expect(rows, `${check} ${p.id}`).toContainEqual(expect.objectContaining({ idNumber: maskIdNumber(p.id), name: mask(nameOf.get(p.id)!) }));
        expect(res.body).not.toContain(p.id);
      }
    }
  });

  test('cross-department worklist shows the planted stranger on the poverty roster', async () => {
    const p = fx.planted.notInRegistry[0];
    const b = (await api.get(`/api/data-quality/cross-department/persons?region=${p.county}&kind=not_in_registry`)).json();
    expect(b.rows).toContainEqual(expect.objectContaining({ rosterType: '脱贫劳动力', idNumber: maskIdNumber(p.id), name: '外*甲' }));
  });
});

describe('sampling evaluation end to end', () => {
  test('draw twice with one seed: the same persons; export, import simulated checks, estimates and score', async () => {
    const a = (await api.post('/api/sampling/draws', { region: '511700', seed: 'province-e2e', marginOfError: 0.1 })).json();
    const b = (await api.post('/api/sampling/draws', { region: '511700', seed: 'province-e2e', marginOfError: 0.1 })).json();
    const store = new SamplingStore(app.stateDb);
    expect(store.units(b.drawId).map((u) => u.pid)).toEqual(store.units(a.drawId).map((u) => u.pid));
    expect(b.counties).toEqual(a.counties);
    // The export: one row per unit, in sample-id order.
    const csv = (await api.get(`/api/sampling/draws/${a.drawId}/export?format=csv`)).body.replace(/^\uFEFF/, '').trimEnd().split('\r\n');
    const header = csv[0].split(',');
    const rows = csv.slice(1).map((l) => l.split(','));
    const units = store.units(a.drawId);
    expect(rows.map((r) => r[header.indexOf('样本编号')])).toEqual(units.map((u) => u.sampleId));
    // Simulated field check: a record is wrong when the keyed test hash says so (≈ 15 %).
    const pidKey = loadDataKeys(dataDir).pidKey;
    const idOfPid = new Map([...nameOf.keys()].map((id) => [pidOf(id, pidKey), id]));
    const wrong = (pid: string) => createHash('sha256').update(`e2e:${idOfPid.get(pid)}`).digest()[0] < 38;
    const filled = [
      ['样本编号', '抽查结果', '更正内容', '抽查单位', '抽查日期'].join(','),
      ...units.map((u) => [u.sampleId, wrong(u.pid) ? '不一致' : '一致', wrong(u.pid) ? '所在状态=在乡' : '', '某评估公司', '2026-04-20'].join(',')),
    ].join('\r\n');
    const imp = await api.post(`/api/sampling/draws/${a.drawId}/results?fileName=checks.csv`, `\uFEFF${filled}\r\n`, { 'content-type': 'text/csv' });
    expect(imp.statusCode).toBe(200);
    expect(imp.json()).toMatchObject({ rows: units.length, inserted: units.length, skipped: 0 });
    const e = (await api.get(`/api/sampling/draws/${a.drawId}/estimates`)).json();
    const direct = countyAccuracy(store.strata(a.drawId), units, store.results(a.drawId), 0.95);
    expect(e.counties.map((c: { countyCode: string; matches: number; lower: number }) => [c.countyCode, c.matches, c.lower])).toEqual(direct.map((c) => [c.countyCode, c.matches, c.lower]));
    expect(e.counties.every((c: { corrections: Record<string, number>; mismatches: number }) => (c.corrections.presence ?? 0) === c.mismatches)).toBe(true);
    // The score of a county of the draw now has its sampling component.
    const county = e.counties[0];
    const s = (await api.get(`/api/data-quality/score?region=${county.countyCode}`)).json();
    expect(s.score.components.sampling).toMatchObject({ numerator: county.matches, denominator: county.verified });
  });
});
