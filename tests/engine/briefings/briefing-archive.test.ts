/**
 * The briefings archive on the generated province: publishing freezes a briefing (a
 * second publish and a second published briefing of the same period answer 409; the state
 * database refuses any UPDATE or DELETE of a published row); a later refresh with a
 * correction (late-reported deaths in March) changes the API but not the published
 * briefing, and the next month's briefing lists the revisions (old, new, why). Scoping: a
 * county user can neither read nor generate another region's briefing (404 exactly like
 * an unknown one) and may not publish; the XLSX holds the figures.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { startProvinceApp, type ProvinceApp } from '../province-app.ts';
import { signIn, type ApiSession } from '../api-session.ts';
import { readCurrentWarehouse } from '../../../warehouse/publish/current-warehouse.ts';
import { correctedProvince, CORRECTION } from './corrected-province.ts';

let p: ProvinceApp;
let county: ApiSession;

interface Briefing {
  id: number;
  status: string;
  region: string;
  warehouseVersion: string;
  contentSha256: string;
  content: {
    figures: { key: string; metric: string; region: string; period: string; value: number | null }[];
    revisions: { metric: string; region: string; period: string; old: number | null; new: number | null; why: string; fromBriefing: number; figure: string }[];
    revisionBase: { id: number } | null;
    narrative: { text: string; figures: string[] }[];
  };
}

beforeAll(async () => {
  p = await startProvinceApp();
  county = await signIn(p.app, 'county-511702', 'county_staff', CORRECTION.county);
}, 240_000);
afterAll(async () => p?.close());

const value = async (region: string, period: string, metric: string) =>
  ((await p.api.get(`/api/metrics/values?region=${region}&period=${period}&metrics=${metric}`)).json() as { values: Record<string, { value: number }> }).values[metric].value;

describe('publishing and scoping', () => {
  let march: Briefing;

  test('publish once; a second publish and a second published briefing of the period are refused', async () => {
    march = (await p.api.post('/api/briefings', { kind: 'monthly', region: '510000', period: '2026-03' })).json();
    expect(march.status).toBe('draft');
    const pub = await p.api.post(`/api/briefings/${march.id}/publish`, {});
    expect(pub.statusCode, pub.body).toBe(200);
    expect(pub.json().status).toBe('published');
    expect(pub.json().contentSha256).toBe(march.contentSha256);
    const again = await p.api.post(`/api/briefings/${march.id}/publish`, {});
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('conflict');
    const other = (await p.api.post('/api/briefings', { kind: 'monthly', region: '510000', period: '2026-03' })).json() as Briefing;
    const second = await p.api.post(`/api/briefings/${other.id}/publish`, {});
    expect(second.statusCode).toBe(409);
    expect(second.json().error.message).toContain(`briefing ${march.id}`);
    // No UPDATE or DELETE path, even straight in the state database.
    expect(() => p.app.stateDb.prepare("UPDATE briefings SET content = '{}' WHERE id = ?").run(march.id)).toThrow(/immutable/);
    expect(() => p.app.stateDb.prepare('DELETE FROM briefings WHERE id = ?').run(march.id)).toThrow(/cannot be deleted/);
    const log = p.app.audit.list({ action: 'briefing_published' });
    expect(log.some((e) => e.target === String(march.id))).toBe(true);
  }, 60_000);

  test('a county user reads and generates only its county, and may not publish', async () => {
    const unknown = await county.get('/api/briefings/999999');
    const foreign = await county.get(`/api/briefings/${march.id}`);
    expect(foreign.statusCode).toBe(404);
    expect(unknown.statusCode).toBe(404);
    expect(foreign.json().error.code).toBe(unknown.json().error.code);
    expect((await county.get(`/api/briefings/${march.id}/xlsx`)).statusCode).toBe(404);
    expect((await county.get(`/api/briefings/${march.id}/pdf`)).statusCode).toBe(404);
    expect((await county.post(`/api/briefings/${march.id}/publish`, {})).statusCode).toBe(404);
    expect((await county.post('/api/briefings', { kind: 'monthly', region: '511703', period: '2026-03' })).statusCode).toBe(404);
    expect((await county.post('/api/briefings', { kind: 'monthly', region: '510000', period: '2026-03' })).statusCode).toBe(404);
    expect((await county.get('/api/briefings?region=511703')).statusCode).toBe(404);
    const own = await county.post('/api/briefings', { kind: 'monthly', region: CORRECTION.county, period: '2026-03' });
    expect(own.statusCode, own.body).toBe(201);
    const ownId = (own.json() as Briefing).id;
    expect((await county.post(`/api/briefings/${ownId}/publish`, {})).statusCode).toBe(403);
    const list = (await county.get('/api/briefings')).json().briefings as Briefing[];
    expect(list.map((b) => b.id)).toEqual([ownId]);
    // The province analyst sees both.
    const all = (await p.api.get('/api/briefings')).json().briefings as Briefing[];
    expect(all.map((b) => b.id)).toEqual(expect.arrayContaining([ownId, march.id]));
    expect((await p.api.post('/api/briefings', { kind: 'quarterly', region: '510000', period: '2026-03' })).statusCode).toBe(400);
    expect((await p.api.post('/api/briefings', { kind: 'monthly', region: '510000', period: '2023-01' })).statusCode).toBe(404);
  }, 60_000);

  test('the XLSX holds every figure with its metric id, region and period', async () => {
    const res = await p.api.get(`/api/briefings/${march.id}/xlsx`);
    expect(res.statusCode).toBe(200);
    const file = join(p.dataDir, 'b.xlsx');
    writeFileSync(file, res.rawPayload);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    const ws = wb.getWorksheet('全部数据')!;
    expect(ws.rowCount - 1).toBe(march.content.figures.length);
    const f = march.content.figures.find((x) => x.key === 'm:labour_force:510000:2026-03')!;
    const row = ws.getSheetValues().find((r) => Array.isArray(r) && r[1] === f.key) as unknown[];
    expect(row.slice(2, 7)).toEqual(['metrics', 'labour_force', '510000', '四川省', '2026-03']);
    expect(row[7]).toBe(f.value);
  });

  test('a later refresh with a correction leaves the published briefing unchanged; the next briefing shows the revisions', async () => {
    const before = (await p.api.get(`/api/briefings/${march.id}`)).json() as Briefing;
    const oldCounty = await value(CORRECTION.county, '2026-03', 'labour_force');
    const corrected = correctedProvince(p.fixture);
    const current = readCurrentWarehouse(corrected.dataDir)!;
    writeFileSync(join(p.dataDir, 'warehouse', 'CURRENT'), JSON.stringify({ version: current.version, file: current.file, publishedAt: current.publishedAt, dataAsOf: current.dataAsOf }));
    await p.app.warehouse.checkForNewVersion();
    // The API moved: the six deaths of 2026-03-20 now count in March.
    expect(await value(CORRECTION.county, '2026-03', 'labour_force')).toBe(oldCounty - CORRECTION.count);
    const after = (await p.api.get(`/api/briefings/${march.id}`)).json() as Briefing;
    expect(after).toEqual(before);
    expect(after.warehouseVersion).not.toBe(current.version);

    const april = (await p.api.post('/api/briefings', { kind: 'monthly', region: '510000', period: '2026-04' })).json() as Briefing;
    expect(april.warehouseVersion).toBe(current.version);
    expect(april.content.revisionBase?.id).toBe(march.id);
    const rev = april.content.revisions;
    const lf = rev.find((r) => r.metric === 'labour_force' && r.region === '510000' && r.period === '2026-03')!;
    const oldFigure = before.content.figures.find((f) => f.key === 'm:labour_force:510000:2026-03')!;
    expect(lf.old).toBe(oldFigure.value);
    expect(lf.new).toBe(oldFigure.value! - CORRECTION.count);
    expect(lf.new).toBe(await value('510000', '2026-03', 'labour_force'));
    expect(lf.why).toContain('补报或更正');
    expect(lf.fromBriefing).toBe(march.id);
    const dec = rev.find((r) => r.metric === 'decreases' && r.region === '510000' && r.period === '2026-03')!;
    expect(dec.new! - dec.old!).toBe(CORRECTION.count);
    // Every revision is a real change, and its new value is a figure of the new briefing.
    const keys = new Set(april.content.figures.map((f) => f.key));
    for (const r of rev) {
      expect(r.new).not.toBe(r.old);
      expect(keys.has(r.figure)).toBe(true);
    }
    // Figures of regions the correction does not touch are not revised.
    expect(rev.filter((r) => r.region !== '510000' && r.region !== '511700')).toEqual([]);
    expect(april.content.narrative.some((s) => s.text.includes('更正'))).toBe(true);
  }, 240_000);
});
