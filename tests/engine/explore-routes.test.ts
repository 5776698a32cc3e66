/**
 * POST /api/explore on the mini warehouse: JSON slices equal a plain-TypeScript grouping
 * of the cube rows the fixture inserted; the Arrow stream, CSV and XLSX carry the same
 * numbers; whitelists and bounds reject bad input with 400 naming the parameter.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { tableFromIPC } from 'apache-arrow';
import ExcelJS from 'exceljs';
import { startMiniApp, type MiniApp } from './mini-app.ts';
import type { CubeMonthRow } from '../warehouse/metrics/mini-warehouse.ts';

let m: MiniApp;
beforeAll(async () => {
  m = await startMiniApp();
});
afterAll(async () => m?.close());

type Row = Record<string, string | number | boolean | null>;
const EMPLOYED = new Set(['10', '21', '22', '23', '24', '30']);

function group<T>(rows: T[], key: (r: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const r of rows) {
    const k = key(r);
    if (!out.has(k)) out.set(k, []);
    out.get(k)!.push(r);
  }
  return out;
}

const slice = {
  level: 'county',
  region: '511700',
  periods: ['2025-06', '2025-Q4'],
  dimensions: ['sex'],
  measures: ['labour_force', 'unemployed', 'unemployment_rate'],
};

describe('POST /api/explore (JSON)', () => {
  test('month-end persons by county and sex equal the grouped cube rows', async () => {
    const res = await m.api.post('/api/explore', slice);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.source).toBe('cube_month');
    expect(body.truncated).toBe(false);
    expect(body.columns.map((c: { name: string }) => c.name)).toEqual([
      'period', 'region_code', 'region_name', 'sex', 'labour_force', 'unemployed', 'unemployment_rate', 'unemployment_rate_numerator', 'unemployment_rate_denominator',
    ]);
    const want: Row[] = [];
    for (const [period, month] of [['2025-06', '2025-06'], ['2025-Q4', '2025-12']]) {
      const rows = m.data.cubeMonth.filter((r) => r.month === month && r.village_code.startsWith('5117'));
      for (const [k, g] of group(rows, (r) => `${r.village_code.slice(0, 6)}|${r.sex}`)) {
        const [county, sex] = k.split('|');
        const sum = (f: (r: CubeMonthRow) => boolean) => g.filter(f).reduce((a, r) => a + r.count, 0);
        const u = sum((r) => r.employment_status === '40');
        const d = sum((r) => EMPLOYED.has(r.employment_status) || r.employment_status === '40');
        want.push({ period, region_code: county, sex, labour_force: sum(() => true), unemployed: u, unemployment_rate: d ? u / d : null, unemployment_rate_numerator: u, unemployment_rate_denominator: d });
      }
    }
    want.sort((a, b) => `${a.period}|${a.region_code}|${a.sex}`.localeCompare(`${b.period}|${b.region_code}|${b.sex}`));
    expect(body.rows.map((r: Row) => ({ ...r, region_name: undefined }))).toEqual(want.map((r) => ({ ...r, region_name: undefined })));
    expect(body.rows.find((r: Row) => r.region_code === '511702').region_name).toBe('通川区');
  });

  test('filters restrict the rows (status 23, poverty-alleviated) and booleans come back as booleans', async () => {
    const res = await m.api.post('/api/explore', {
      level: 'township', periods: ['2025-03'], dimensions: ['poverty_alleviated'], measures: ['labour_force'],
      filters: { employment_status: ['23', '22'], poverty_alleviated: [true] },
    });
    expect(res.statusCode, res.body).toBe(200);
    const rows = m.data.cubeMonth.filter((r) => r.month === '2025-03' && ['22', '23'].includes(r.employment_status) && r.poverty_alleviated);
    const want = [...group(rows, (r) => r.village_code.slice(0, 9))].map(([t, g]) => ({ region_code: t, poverty_alleviated: true, labour_force: g.reduce((a, r) => a + r.count, 0) }));
    expect(res.json().rows.map((r: Row) => ({ region_code: r.region_code, poverty_alleviated: r.poverty_alleviated, labour_force: r.labour_force }))).toEqual(
      want.sort((a, b) => a.region_code.localeCompare(b.region_code)),
    );
  });

  test('destination dimensions read the destination cube; service needs their cube; flows sum over the period', async () => {
    const dest = (await m.api.post('/api/explore', { level: 'city', periods: ['2025-05'], dimensions: ['dest_province'], measures: ['out_migrant_out_province', 'transfer_employed'] })).json();
    expect(dest.source).toBe('cube_destination');
    for (const r of dest.rows) {
      const rows = m.data.cubeDestination.filter((x) => x.month === '2025-05' && x.dest_province === r.dest_province && `${x.village_code.slice(0, 4)}00` === r.region_code);
      expect(r.out_migrant_out_province).toBe(rows.filter((x) => x.employment_status === '23').reduce((a, x) => a + x.count, 0));
      expect(r.transfer_employed).toBe(rows.reduce((a, x) => a + x.count, 0));
    }
    expect(dest.rows.length).toBeGreaterThan(1);
    const need = (await m.api.post('/api/explore', { level: 'province', periods: ['2025-05'], dimensions: ['service_need'], measures: ['labour_force'] })).json();
    expect(need.source).toBe('cube_service_need');
    for (const r of need.rows) expect(r.labour_force).toBe(m.data.cubeServiceNeed.filter((x) => x.month === '2025-05' && x.service_need === r.service_need).reduce((a, x) => a + x.count, 0));
    const flows = (await m.api.post('/api/explore', { level: 'county', region: '511700', periods: ['2025-Q2'], dimensions: ['reason'], measures: ['increases', 'decreases', 'net_change'] })).json();
    expect(flows.source).toBe('agg_flows');
    for (const r of flows.rows) {
      const rows = m.data.flows.filter((x) => ['2025-04', '2025-05', '2025-06'].includes(x.month) && x.reason === r.reason && x.village_code.startsWith(r.region_code));
      const inc = rows.filter((x) => x.event_type === '新增').reduce((a, x) => a + x.count, 0);
      const dec = rows.filter((x) => x.event_type === '减少').reduce((a, x) => a + x.count, 0);
      expect([r.increases, r.decreases, r.net_change]).toEqual([inc, dec, inc - dec]);
    }
    expect(flows.rows.some((r: Row) => r.reason === '返乡')).toBe(true);
  });

  test('the limit truncates and says so', async () => {
    const all = (await m.api.post('/api/explore', { level: 'village', periods: ['2025-06'], dimensions: ['sex', 'presence'], measures: ['labour_force'] })).json();
    expect(all.rows.length).toBeGreaterThan(5);
    const cut = (await m.api.post('/api/explore', { level: 'village', periods: ['2025-06'], dimensions: ['sex', 'presence'], measures: ['labour_force'], limit: 5 })).json();
    expect(cut.truncated).toBe(true);
    expect(cut.rows).toEqual(all.rows.slice(0, 5));
  });
});

describe('POST /api/explore (Arrow, CSV, XLSX)', () => {
  test('the Arrow IPC stream decodes to the JSON numbers', async () => {
    const json = (await m.api.post('/api/explore', { ...slice, dimensions: ['sex', 'poverty_alleviated'] })).json();
    const res = await m.api.post('/api/explore', { ...slice, dimensions: ['sex', 'poverty_alleviated'] }, { accept: 'application/vnd.apache.arrow.stream' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/vnd.apache.arrow.stream');
    const table = tableFromIPC(res.rawPayload);
    expect(table.numRows).toBe(json.rows.length);
    expect(table.schema.fields.map((f) => f.name)).toEqual(json.columns.map((c: { name: string }) => c.name));
    const decoded = table.toArray().map((r) => r.toJSON());
    expect(decoded).toEqual(json.rows);
  });

  test('CSV and XLSX downloads hold the same rows', async () => {
    const json = (await m.api.post('/api/explore', slice)).json();
    const csv = await m.api.post('/api/explore?format=csv', slice);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.headers['content-disposition']).toMatch(/attachment; filename="explore-county-2025-06.csv"/);
    const lines = csv.body.replace(/^\uFEFF/, '').trimEnd().split('\r\n');
    expect(lines[0].split(',')).toEqual(json.columns.map((c: { name: string }) => c.name));
    expect(lines).toHaveLength(json.rows.length + 1);
    lines.slice(1).forEach((line, i) => {
      const cells = line.split(',');
      json.columns.forEach((c: { name: string; type: string }, j: number) => {
        const v = json.rows[i][c.name];
        expect(cells[j]).toBe(v === null ? '' : String(v));
      });
    });
    const xlsx = await m.api.post('/api/explore?format=xlsx', slice);
    expect(xlsx.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const sheet = wb.worksheets[0];
    expect(sheet.rowCount).toBe(json.rows.length + 1);
    expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual(json.columns.map((c: { name: string }) => c.name));
    json.rows.forEach((r: Row, i: number) => {
      const values = (sheet.getRow(i + 2).values as unknown[]).slice(1);
      json.columns.forEach((c: { name: string }, j: number) => expect(values[j] ?? null).toEqual(r[c.name]));
    });
  });
});

describe('POST /api/explore: bad input', () => {
  const cases: [string, Record<string, unknown>, string, string?][] = [
    ['unknown dimension', { ...slice, dimensions: ['salary'] }, 'dimensions'],
    ['SQL as a dimension', { ...slice, dimensions: ['sex; DROP TABLE meta'] }, 'dimensions'],
    ['SQL as a measure', { ...slice, measures: ['count(*) FROM person_spells --'] }, 'measures'],
    ['unknown filter dimension', { ...slice, filters: { 'id_number': ['x'] } }, 'id_number'],
    ['bad filter value', { ...slice, filters: { employment_status: ["23' OR '1'='1"] } }, 'employment_status'],
    ['SQL in a region', { ...slice, region: "511700' OR 1=1" }, 'region'],
    ['huge limit', { ...slice, limit: 10_000_000 }, 'limit'],
    ['negative limit', { ...slice, limit: -1 }, 'limit'],
    ['no periods', { ...slice, periods: [] }, 'periods'],
    ['malformed period', { ...slice, periods: ['2025-13'] }, 'periods'],
    ['too many periods', { ...slice, periods: Array.from({ length: 37 }, (_, i) => String(2000 + i)) }, 'periods'],
    ['too many dimensions', { ...slice, dimensions: ['sex', 'presence', 'age_band', 'education', 'veteran'] }, 'dimensions'],
    ['a dimension twice', { ...slice, dimensions: ['sex', 'sex'] }, 'dimensions'],
    ['stock and flow measures together', { ...slice, measures: ['labour_force', 'increases'] }, 'measures'],
    ['a destination with a person dimension', { ...slice, dimensions: ['dest_city', 'sex'] }, 'dimensions'],
    ['a level above the region', { ...slice, level: 'province' }, 'level'],
    ['unknown level', { ...slice, level: 'country' }, 'level'],
    ['an extra field', { ...slice, sql: 'SELECT 1' }, 'sql'],
  ];
  for (const [name, body, param] of cases) {
    test(`${name}: 400 naming '${param}'`, async () => {
      const res = await m.api.post('/api/explore', body);
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json().error.code).toBe('bad_request');
      expect(res.json().error.message).toContain(param);
    });
  }

  test('a repeated or unknown format is refused; POST needs the CSRF token', async () => {
    expect((await m.api.post('/api/explore?format=csv&format=xlsx', slice)).statusCode).toBe(400);
    expect((await m.api.post('/api/explore?format=parquet', slice)).statusCode).toBe(400);
    const noCsrf = await m.app.inject({ method: 'POST', url: '/api/explore', payload: slice, headers: { cookie: m.api.cookie } });
    expect(noCsrf.statusCode).toBe(403);
  });

  test('a region that does not exist is 404; periods outside the history give no rows', async () => {
    expect((await m.api.post('/api/explore', { ...slice, region: '519900' })).statusCode).toBe(404);
    const none = (await m.api.post('/api/explore', { ...slice, periods: ['2023-01'] })).json();
    expect(none.rows).toEqual([]);
  });
});
