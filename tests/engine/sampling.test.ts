/**
 * The sampling API on the hand-made build (tiny counties: the sample is the whole
 * population): draw, export (CSV and XLSX, masked), import (CSV, XLSX, JSON; every bad
 * row named, nothing saved), estimates with Wilson intervals, scope, permissions, CSRF.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../engine/app.ts';
import { signIn, type ApiSession } from './api-session.ts';
import { handMadeDataDir, IDENTITIES } from './data-quality-fixture.ts';
import { maskIdNumber } from '../../warehouse/reference/id-number.ts';
import { wilsonInterval } from '../../warehouse/quality/wilson-interval.ts';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
let dataDir: string;
let app: FastifyInstance;
let analyst: ApiSession;
let dachuan: ApiSession;
let leader: ApiSession;
let admin: ApiSession;

beforeAll(async () => {
  dataDir = await handMadeDataDir();
  app = await buildApp({ dataDir, watchIntervalMs: 0, webDir: join(dataDir, 'no-web-build') });
  analyst = await signIn(app, 's-analyst', 'province_analyst', '510000');
  dachuan = await signIn(app, 's-dachuan', 'county_staff', '511703');
  leader = await signIn(app, 's-leader', 'province_leader', '510000');
  admin = await signIn(app, 's-admin', 'admin', '510000');
});
afterAll(async () => {
  await app?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Parses the CSV export (no quoted newlines in it). */
function csvRows(text: string): Record<string, string>[] {
  const lines = text.replace(/^\uFEFF/, '').trimEnd().split('\r\n');
  const header = lines[0].split(',');
  return lines.slice(1).map((l) => Object.fromEntries(l.split(',').map((v, i) => [header[i], v])));
}

const csvOf = (rows: string[][]) => `\uFEFF${rows.map((r) => r.join(',')).join('\r\n')}\r\n`;

describe('draw', () => {
  test('a city draw: per county size from the formula (whole tiny populations), stored with its frame', async () => {
    const res = await analyst.post('/api/sampling/draws', { region: '511700', seed: 'abc', marginOfError: 0.05, confidence: 0.95 });
    expect(res.statusCode).toBe(201);
    const d = res.json();
    expect(d).toMatchObject({ region: '511700', seed: 'abc', warehouseVersion: 'test', dataAsOf: '2025-03-31', population: 11, sampleSize: 11, createdBy: 's-analyst' });
    expect(d.counties).toEqual([
      { code: '511702', name: '通川区', population: 9, sampleSize: 9, townships: 2 },
      { code: '511703', name: '达川区', population: 2, sampleSize: 2, townships: 1 },
    ]);
    expect(app.audit.list({ action: 'sampling_draw' }).length).toBeGreaterThan(0);
  });

  test('a township, a village or a region outside the user’s is refused; POST needs the CSRF token', async () => {
    expect((await analyst.post('/api/sampling/draws', { region: '511702001' })).statusCode).toBe(400);
    expect((await dachuan.post('/api/sampling/draws', { region: '511702' })).statusCode).toBe(404);
    expect((await analyst.post('/api/sampling/draws', { region: '510000', marginOfError: 0.9 })).statusCode).toBe(400);
    const noCsrf = await app.inject({ method: 'POST', url: '/api/sampling/draws', payload: { region: '511700' }, headers: { cookie: analyst.cookie } });
    expect(noCsrf.statusCode).toBe(403);
    expect((await admin.post('/api/sampling/draws', { region: '511700' })).statusCode).toBe(403);
  });
});

describe('export, import, estimates', () => {
  let drawId: number;
  beforeAll(async () => {
    drawId = (await leader.post('/api/sampling/draws', { region: '511700', seed: 'export-1' })).json().drawId;
  });

  test('CSV export: one masked row per sampled person, blank result columns, audited', async () => {
    const res = await analyst.get(`/api/sampling/draws/${drawId}/export?format=csv`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    const rows = csvRows(res.body);
    expect(rows.length).toBe(11);
    expect(rows.every((r) => /^S\d+-5117\d\d-\d{4}$/.test(r['样本编号']) && r['抽查结果'] === '')).toBe(true);
    const masked = new Set(rows.map((r) => r['公民身份号码']));
    for (const [pid, who] of Object.entries(IDENTITIES)) {
      expect(res.body).not.toContain(who.idNumber);
      expect(res.body).not.toContain(who.phone);
      if (!['p12', 'X1'].includes(pid)) expect(masked.has(maskIdNumber(who.idNumber))).toBe(true);
    }
    expect(rows.find((r) => r['公民身份号码'] === maskIdNumber(IDENTITIES.p02.idNumber))).toMatchObject({ 就业状态: '23 省外务工', 就业地区代码: '510104', 仍在库: '是' });
  });

  test('a county user exports only its county', async () => {
    const rows = csvRows((await dachuan.get(`/api/sampling/draws/${drawId}/export?format=csv`)).body);
    expect(rows.map((r) => r['县（市、区）代码'])).toEqual(['511703', '511703']);
  });

  test('import: a bad file names every bad row and field and saves nothing', async () => {
    const ids = csvRows((await analyst.get(`/api/sampling/draws/${drawId}/export?format=csv`)).body).map((r) => r['样本编号']);
    const bad = csvOf([
      ['样本编号', '抽查结果', '更正内容'],
      [ids[0], '一致', ''],
      [ids[1], '也许', ''],
      ['S999-511702-0001', '一致', ''],
      [ids[2], '不一致', '就业状态=99'],
      [ids[3], '一致', '所在状态=在乡'],
    ]);
    const res = await analyst.post(`/api/sampling/draws/${drawId}/results?fileName=bad.csv`, bad, { 'content-type': 'text/csv' });
    expect(res.statusCode).toBe(400);
    const msg = res.json().error.message as string;
    expect(msg).toContain('bad.csv: 4 problem(s), nothing imported');
    expect(msg).toContain('row 3 result');
    expect(msg).toContain('row 4 sample_id');
    expect(msg).toContain('row 5 corrections');
    expect(msg).toContain('row 6 corrections');
    expect((await analyst.get(`/api/sampling/draws/${drawId}/estimates`)).json().combined.verified).toBe(0);
  });

  test('XLSX round trip: fill the exported workbook, import it, estimates per county with Wilson intervals', async () => {
    const exp = await analyst.get(`/api/sampling/draws/${drawId}/export?format=xlsx`);
    expect(exp.headers['content-type']).toBe(XLSX);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(exp.rawPayload as unknown as ArrayBuffer);
    const sheet = wb.worksheets[0];
    const header = (sheet.getRow(1).values as unknown[]).map((v) => (v === undefined || v === null ? '' : String(v)));
    const col = (name: string) => header.indexOf(name);
    let n = 0;
    sheet.eachRow((row, i) => {
      if (i === 1) return;
      const county = String(row.getCell(col('县（市、区）代码')).value);
      // 通川区: 7 of 9 correct, 1 wrong with a correction, 1 not found; 达川区: 2 of 2 correct
      const k = n++;
      if (county === '511702' && k === 0) {
        row.getCell(col('抽查结果')).value = '不一致';
        row.getCell(col('更正内容')).value = '就业状态=40;姓名=王小二';
      } else if (county === '511702' && k === 1) row.getCell(col('抽查结果')).value = '查无此人';
      else row.getCell(col('抽查结果')).value = '一致';
      row.getCell(col('抽查单位')).value = '第三方评估公司';
      row.getCell(col('抽查日期')).value = '2025-04-15';
    });
    const buf = Buffer.from(await wb.xlsx.writeBuffer());
    const imp = await app.inject({
      method: 'POST',
      url: `/api/sampling/draws/${drawId}/results?fileName=filled.xlsx`,
      payload: buf,
      headers: { cookie: analyst.cookie, 'x-csrf-token': analyst.csrf, 'content-type': XLSX },
    });
    expect(imp.statusCode).toBe(200);
    expect(imp.json()).toMatchObject({ drawId, rows: 11, inserted: 11, replaced: 0, skipped: 0 });
    const e = (await analyst.get(`/api/sampling/draws/${drawId}/estimates`)).json();
    const tc = e.counties.find((c: { countyCode: string }) => c.countyCode === '511702');
    const w = wilsonInterval(7, 9, 0.95, 9)!; // the whole county was checked: exact
    expect(tc).toMatchObject({ population: 9, sampled: 9, verified: 9, pending: 0, matches: 7, mismatches: 1, notFound: 1, accuracy: 7 / 9, lower: w.lower, upper: w.upper });
    expect(tc.corrections).toEqual({ employment_status: 1, name: 1 });
    expect(e.combined).toMatchObject({ population: 11, countiesWithResults: 2, verified: 11 });
    expect(e.combined.accuracy).toBeCloseTo((9 * (7 / 9) + 2 * 1) / 11, 12);
    // the corrected name's value is not kept
    const stored = app.stateDb.prepare("SELECT corrections FROM sampling_results WHERE corrections LIKE '%name%'").all() as { corrections: string }[];
    expect(stored.length).toBe(1);
    expect(stored[0].corrections).not.toContain('王小二');
    expect(JSON.parse(stored[0].corrections)).toEqual([{ field: 'employment_status', value: '40' }, { field: 'name', value: null }]);
  });

  test('the score takes the sampling component from the latest results', async () => {
    const s = (await analyst.get('/api/data-quality/score?region=511702')).json();
    expect(s.score.components.sampling).toMatchObject({ numerator: 7, denominator: 9 });
    expect(s.score.components.sampling.value).toBe(0); // 1 − (1 − 7/9) / 20 % < 0, clamped
    // the catalogue metric is the same score (sampling included), not a score without it
    const v = (await analyst.get(`/api/metrics/values?region=511702&period=${s.period}&metrics=quality_score`)).json();
    expect(v.values.quality_score.value).toBeCloseTo(s.score.score, 9);
    expect(v.values.quality_score).toMatchObject({ numerator: s.score.numerator, denominator: s.score.denominator });
  });

  test('JSON import replaces a result; a county user cannot import another county’s sample ids', async () => {
    const rows = csvRows((await analyst.get(`/api/sampling/draws/${drawId}/export?format=csv`)).body);
    const tc = rows.find((r) => r['县（市、区）代码'] === '511702')!['样本编号'];
    const dc = rows.find((r) => r['县（市、区）代码'] === '511703')!['样本编号'];
    const res = await dachuan.post(`/api/sampling/draws/${drawId}/results`, { results: [{ sample_id: dc, result: '不一致', corrections: '所在状态=在乡' }] });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ inserted: 0, replaced: 1 });
    const refused = await dachuan.post(`/api/sampling/draws/${drawId}/results`, { results: [{ sample_id: tc, result: '一致' }] });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.message).toContain('not in this draw');
    const e = (await dachuan.get(`/api/sampling/draws/${drawId}/estimates`)).json();
    expect(e.counties.map((c: { countyCode: string; matches: number; verified: number }) => [c.countyCode, c.matches, c.verified])).toEqual([['511703', 1, 2]]);
  });

  test('draw lists and details are scoped', async () => {
    expect((await dachuan.get('/api/sampling/draws')).json().draws.length).toBeGreaterThan(0);
    const d = (await dachuan.get(`/api/sampling/draws/${drawId}`)).json();
    expect(d.counties.map((c: { code: string }) => c.code)).toEqual(['511703']);
    expect((await analyst.get('/api/sampling/draws/999999')).statusCode).toBe(404);
    expect((await analyst.get('/api/sampling/draws/abc')).statusCode).toBe(400);
  });
});
