/**
 * 表库相符 through the API: on a generated province (real generator, real refresh), the
 * figures the API serves equal an independent plain-TypeScript replay of the raw export
 * files for every county and every month, and equal the generator's truth.json; cities,
 * the province, quarters and years, festival and collection-point metrics, rankings and
 * explorer slices (JSON and Arrow) agree too. A few requests go over real HTTP.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { tableFromIPC } from 'apache-arrow';
import { loadRegions } from '../../warehouse/reference/regions.ts';
import { monthEndDate } from '../../warehouse/metrics/period.ts';
import { replayProvince, type ProvinceReplay } from './province-replay.ts';
import { festivalDay, monthMetrics, regionsOf, rollUp, type RolledUp } from './replay-rollup.ts';
import { startProvinceApp, type ProvinceApp } from './province-app.ts';

let p: ProvinceApp;
let replay: ProvinceReplay;
let r: RolledUp;
const tree = loadRegions();
const MONTH_METRICS = [
  'labour_force', 'employed', 'transfer_employed', 'out_migrant_in_province', 'out_migrant_out_province', 'abroad', 'unemployed', 'not_in_labour_force',
  'unemployment_rate', 'employment_rate', 'at_home', 'away', 'increases', 'decreases', 'net_change', 'poverty_employed', 'relocated_employed',
];

beforeAll(async () => {
  p = await startProvinceApp();
  replay = replayProvince(p.fixture.inbox, p.fixture.options.from, p.fixture.options.to);
  r = rollUp(replay);
}, 600_000);
afterAll(async () => p?.close());

function expectFigure(got: Record<string, unknown>, want: { value: number | null; numerator?: number; denominator?: number }, ctx: string) {
  expect(got.value, ctx).toBe(want.value);
  if ('numerator' in want) {
    expect(got.numerator, ctx).toBe(want.numerator);
    expect(got.denominator, ctx).toBe(want.denominator);
  }
}

describe('figures equal the replay of the raw files and truth.json', () => {
  test('every county, every month: all month metrics equal the replay, and stocks and flows equal truth.json', async () => {
    const { from, to } = p.fixture.options;
    let checked = 0;
    const sum = (o: Record<string, number> | undefined) => Object.values(o ?? {}).reduce((x, y) => x + y, 0);
    // Eight requests at a time (the pool runs four queries at once).
    const answers = [];
    for (let i = 0; i < tree.counties.length; i += 8) {
      answers.push(...(await Promise.all(tree.counties.slice(i, i + 8).map(async (county) => ({ county, res: await p.api.get(`/api/metrics/series?region=${county.code}&metrics=${MONTH_METRICS.join(',')}&from=${from}&to=${to}`) })))));
    }
    for (const { county, res } of answers) {
      expect(res.statusCode, res.body).toBe(200);
      for (const point of res.json().points) {
        const ctx = `${county.code} ${point.period}`;
        const want = monthMetrics(r.month(county.code, point.period));
        for (const id of MONTH_METRICS) expectFigure(point.values[id], want[id], `${id} ${ctx}`);
        const t = p.truth.monthEnd[point.period][county.code];
        const v = point.values;
        expect([v.labour_force.value, v.unemployed.value, v.not_in_labour_force.value, v.out_migrant_in_province.value, v.out_migrant_out_province.value, v.abroad.value, v.at_home.value, v.away.value, v.poverty_employed.value, v.relocated_employed.value], ctx).toEqual([
          t.labour_force, t['40'], t['50'], t['22'], t['23'], t['24'], t.at_home, t.away, t.poverty_transfer, t.relocated_transfer,
        ]);
        expect(v.employed.value, ctx).toBe(t['10'] + t['21'] + t['22'] + t['23'] + t['24'] + t['30']);
        const f = p.truth.flows[point.period]?.[county.code];
        expect([v.increases.value, v.decreases.value], ctx).toEqual([sum(f?.increases), sum(f?.decreases)]);
        checked++;
      }
    }
    expect(checked).toBe(183 * replay.months.length);
  }, 600_000);

  test('the fixed values route for several counties and months; cities and the province every month', async () => {
    const counties = ['511702', '513401', '510104', tree.counties[90].code, tree.counties[182].code, '510000'];
    for (const region of counties) {
      for (const month of ['2024-10', '2025-01', '2026-03']) {
        const res = await p.api.get(`/api/metrics/values?region=${region}&period=${month}&metrics=${MONTH_METRICS.join(',')}`);
        expect(res.statusCode).toBe(200);
        const body = res.json();
        expect(Object.keys(body)).toEqual(['region', 'period', 'values']);
        const want = monthMetrics(r.month(region, month));
        for (const id of MONTH_METRICS) expectFigure(body.values[id], want[id], `${id} ${region} ${month}`);
      }
    }
    const { from, to } = p.fixture.options;
    for (const region of ['510000', ...tree.cities.map((c) => c.code)]) {
      const body = (await p.api.get(`/api/metrics/series?region=${region}&metrics=${MONTH_METRICS.join(',')}&from=${from}&to=${to}`)).json();
      for (const point of body.points) {
        const want = monthMetrics(r.month(region, point.period));
        for (const id of MONTH_METRICS) expectFigure(point.values[id], want[id], `${id} ${region} ${point.period}`);
      }
    }
  });

  test('quarters and years: stocks at the last month, flows summed; poverty_employed_yoy against twelve months earlier', async () => {
    for (const region of ['510000', '511700', '511702', '513400']) {
      for (const [period, months] of [['2025-Q1', ['2025-01', '2025-02', '2025-03']], ['2025', replay.months.filter((m) => m.startsWith('2025'))], ['2024', ['2024-10', '2024-11', '2024-12']]] as const) {
        const v = (await p.api.get(`/api/metrics/values?region=${region}&period=${period}&metrics=labour_force,unemployment_rate,increases,net_change`)).json().values;
        const end = monthMetrics(r.month(region, months[months.length - 1]));
        expectFigure(v.labour_force, end.labour_force, `${region} ${period}`);
        expectFigure(v.unemployment_rate, end.unemployment_rate, `${region} ${period}`);
        const inc = months.reduce((a, m) => a + r.month(region, m).increases, 0);
        const dec = months.reduce((a, m) => a + r.month(region, m).decreases, 0);
        expect([v.increases.value, v.net_change.value]).toEqual([inc, inc - dec]);
      }
      for (const month of ['2025-10', '2026-03']) {
        const v = (await p.api.get(`/api/metrics/values?region=${region}&period=${month}&metrics=poverty_employed_yoy`)).json().values.poverty_employed_yoy;
        const ly = `${Number(month.slice(0, 4)) - 1}${month.slice(4)}`;
        const n = r.month(region, month).poverty_transfer;
        const d = r.month(region, ly).poverty_transfer;
        expect(v).toEqual({ value: d ? n / d : null, numerator: n, denominator: d });
      }
      const early = (await p.api.get(`/api/metrics/values?region=${region}&period=2025-09&metrics=poverty_employed_yoy`)).json().values.poverty_employed_yoy;
      expect(early.denominator).toBeNull();
    }
  });

  test('Spring Festival metrics per county equal the replayed 返乡/外出 events and truth.json', async () => {
    for (const county of tree.counties.filter((_, i) => i % 3 === 0)) {
      for (const [period, year, toDay] of [['2025', 2025, 60], ['2025-02', 2025, festivalDay('2025-02-28', 2025)], ['2026-02', 2026, festivalDay('2026-02-28', 2026)]] as const) {
        const v = (await p.api.get(`/api/metrics/values?region=${county.code}&period=${period}&metrics=festival_returned,festival_departed,festival_not_departed,festival_return_rate`)).json().values;
        const f = r.festival(county.code, year, toDay);
        const t = p.truth.festival[String(year)]?.[county.code];
        const truthSum = (a: number[] | undefined) => (a ?? []).slice(0, toDay + 46).reduce((x, y) => x + y, 0);
        const ctx = `${county.code} ${period}`;
        expect([v.festival_returned.value, v.festival_departed.value, v.festival_not_departed.value], ctx).toEqual([f.returned, f.departed, f.returned - f.departed]);
        expect([f.returned, f.departed], ctx).toEqual([truthSum(t?.returned), truthSum(t?.departed)]);
        expect(v.festival_return_rate, ctx).toEqual({ value: f.returned ? f.departed / f.returned : null, numerator: f.departed, denominator: f.returned });
      }
    }
  });

  test('collection-point coverage, update and on-time rates of every county equal the points and submissions files', async () => {
    const villagesOf = new Map<string, string[]>();
    for (const v of tree.villages) {
      const c = v.code.slice(0, 6);
      if (!villagesOf.has(c)) villagesOf.set(c, []);
      villagesOf.get(c)!.push(v.code);
    }
    let checked = 0;
    for (const month of ['2025-01', '2026-03']) {
      const end = `${month}-${new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5)), 0)).getUTCDate()}`;
      const [ny, nm] = Number(month.slice(5)) === 12 ? [Number(month.slice(0, 4)) + 1, 1] : [Number(month.slice(0, 4)), Number(month.slice(5)) + 1];
      const deadline = `${ny}-${String(nm).padStart(2, '0')}-05`;
      const covered = new Set(replay.points.filter((pt) => pt.establishedOn <= end).flatMap((pt) => pt.villages));
      for (const city of tree.cities) {
        const got = new Map<string, Record<string, { value: number | null; numerator: number; denominator: number }>>();
        for (const metric of ['point_coverage', 'point_update_rate', 'point_on_time_rate']) {
          const body = (await p.api.get(`/api/metrics/ranking?region=${city.code}&period=${month}&metric=${metric}`)).json();
          for (const item of body.items) got.set(`${item.code}|${metric}`, item);
        }
        for (const county of tree.children(city.code)) {
          const pts = replay.points.filter((pt) => pt.township.startsWith(county.code) && pt.establishedOn <= end);
          const subs = pts.map((pt) => replay.submissions.get(`${pt.code}|${month}`));
          const submitted = subs.filter((x) => x?.submittedOn && x.status !== '未报送');
          const onTime = submitted.filter((x) => x!.submittedOn! <= deadline);
          const villages = villagesOf.get(county.code) ?? [];
          const n = villages.filter((x) => covered.has(x)).length;
          const pick = (m: string) => {
            const i = got.get(`${county.code}|${m}`)!;
            return { value: i.value, numerator: i.numerator, denominator: i.denominator };
          };
          const ctx = `${county.code} ${month}`;
          expect(pick('point_update_rate'), ctx).toEqual({ value: pts.length ? submitted.length / pts.length : null, numerator: submitted.length, denominator: pts.length });
          expect(pick('point_on_time_rate'), ctx).toEqual({ value: pts.length ? onTime.length / pts.length : null, numerator: onTime.length, denominator: pts.length });
          expect(pick('point_coverage'), ctx).toEqual({ value: villages.length ? n / villages.length : null, numerator: n, denominator: villages.length });
          checked++;
        }
      }
    }
    expect(checked).toBe(2 * 183);
  }, 600_000);
});

describe('rankings, comparisons and the explorer on the province', () => {
  test('counties of every city ranked by unemployment rate, in the replay order', async () => {
    for (const city of tree.cities) {
      const body = (await p.api.get(`/api/metrics/ranking?region=${city.code}&period=2026-03&metric=unemployment_rate&order=desc`)).json();
      const want = tree.children(city.code).map((c) => ({ code: c.code, ...monthMetrics(r.month(c.code, '2026-03')).unemployment_rate }));
      want.sort((a, b) => (a.value === null ? 1 : b.value === null ? -1 : b.value - a.value || a.code.localeCompare(b.code)));
      expect(body.items.map((i: { code: string; value: number | null }) => [i.code, i.value])).toEqual(want.map((w) => [w.code, w.value]));
    }
  });

  test('month-on-month and year-on-year changes of the province', async () => {
    const body = (await p.api.get('/api/metrics/compare?region=510000&period=2026-03&metrics=labour_force,unemployed')).json();
    for (const id of ['labour_force', 'unemployed'] as const) {
      const cur = monthMetrics(r.month('510000', '2026-03'))[id].value!;
      const prev = monthMetrics(r.month('510000', '2026-02'))[id].value!;
      const ly = monthMetrics(r.month('510000', '2025-03'))[id].value!;
      expect(body.values[id].mom).toEqual({ change: cur - prev, relative: (cur - prev) / prev });
      expect(body.values[id].yoy).toEqual({ change: cur - ly, relative: (cur - ly) / ly });
    }
  });

  test('explorer: persons by county × status × sex equal the replay; the Arrow stream decodes to the same numbers', async () => {
    const req = { level: 'county', periods: ['2025-06'], dimensions: ['employment_status', 'sex'], measures: ['labour_force'], limit: 100_000 };
    const json = (await p.api.post('/api/explore', req)).json();
    expect(json.truncated).toBe(false);
    const want = new Map<string, number>();
    for (const [k, n] of replay.statusSex) {
      const [village, month, status, sex] = k.split('|');
      if (month !== '2025-06') continue;
      const key = `${village.slice(0, 6)}|${status}|${sex}`;
      want.set(key, (want.get(key) ?? 0) + n);
    }
    const got = new Map<string, number>(json.rows.map((row: Record<string, string | number>) => [`${row.region_code}|${row.employment_status}|${row.sex}`, row.labour_force as number]));
    expect(got).toEqual(want);
    const arrow = await p.api.post('/api/explore', req, { accept: 'application/vnd.apache.arrow.stream' });
    const decoded = tableFromIPC(arrow.rawPayload).toArray().map((x) => x.toJSON());
    expect(decoded).toEqual(json.rows);
  });

  test('explorer: the county totals of a destination slice equal transfer employment of the region-month aggregates', async () => {
    const json = (await p.api.post('/api/explore', { level: 'city', periods: ['2026-01'], dimensions: ['dest_province'], measures: ['out_migrant_out_province'] })).json();
    expect(json.source).toBe('cube_destination');
    const byCity = new Map<string, number>();
    for (const row of json.rows) byCity.set(row.region_code, (byCity.get(row.region_code) ?? 0) + row.out_migrant_out_province);
    for (const city of tree.cities) expect(byCity.get(city.code) ?? 0, city.code).toBe(r.month(city.code, '2026-01').status['23'] ?? 0);
    expect(regionsOf('511702001001')[1]).toBe('511700');
  });
});

describe('Spring Festival series, catalogue and maps on the province', () => {
  test('day-aligned series of the counties of a city equal the replayed daily moves', async () => {
    const body = (await p.api.get('/api/festival?region=511300&years=2025,2026&dimension=region')).json();
    expect(body.days[0]).toBe(-45);
    const counties = tree.children('511300').map((c) => c.code);
    expect(body.series).toHaveLength(counties.length * 2);
    const dataAsOf = monthEndDate(p.fixture.options.to);
    for (const s of body.series) {
      for (let i = 0; i < body.days.length; i++) {
        const d = body.days[i];
        const inRange = festivalDay(dataAsOf, s.year) >= d;
        const day = r.festival(s.group, s.year, d);
        const before = r.festival(s.group, s.year, d - 1);
        expect(s.returned[i], `${s.group} ${s.year} day ${d}`).toBe(inRange ? day.returned - before.returned : null);
        expect(s.cumulativeReturned[i]).toBe(inRange ? day.returned : null);
        expect(s.notDeparted[i]).toBe(inRange ? day.returned - day.departed : null);
      }
    }
  });

  test('the catalogue and the county boundaries', async () => {
    expect((await p.api.get('/api/metrics')).json().metrics).toHaveLength(26);
    const geo = (await p.api.get('/api/geo/counties?city=511300')).json();
    expect(geo.features.map((f: { properties: { code: string } }) => f.properties.code).sort()).toEqual(tree.children('511300').map((c) => c.code).sort());
  });
});

describe('refresh runs and summaries of the real refresh', () => {
  test('the run that published the warehouse, with its files and steps', async () => {
    const fresh = (await p.api.get('/api/refresh/freshness')).json();
    expect(fresh.lastPublished.version).toBe(fresh.warehouse.version);
    const run = (await p.api.get(`/api/refresh/runs/${fresh.lastPublished.runId}`)).json();
    expect(run.files.length).toBeGreaterThan(5);
    for (const f of run.files) expect(f.rowsRead).toBe((f.rowsLoaded ?? 0) + (f.rowsQuarantined ?? 0));
    expect(run.steps.length).toBeGreaterThan(3);
    const q = (await p.api.get('/api/quality/quarantine?region=510000')).json();
    expect(q.total).toBe(0);
    expect((await p.api.get('/api/quality/reconciliation?region=510000')).json().total).toBe(0);
  });
});

describe('over real HTTP', () => {
  test('values and an Arrow slice through a listening server equal the injected answers', async () => {
    await p.app.listen({ port: 0, host: '127.0.0.1' });
    const address = p.app.server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const base = `http://127.0.0.1:${port}`;
    const url = '/api/metrics/values?region=511700&period=2026-03&metrics=labour_force,unemployment_rate,festival_returned';
    const http = await fetch(base + url, { headers: { cookie: p.api.cookie } });
    expect(http.status).toBe(200);
    expect(await http.json()).toEqual((await p.api.get(url)).json());
    const unauth = await fetch(base + url);
    expect(unauth.status).toBe(401);
    const body = { level: 'city', periods: ['2026-03'], dimensions: ['presence'], measures: ['labour_force', 'unemployment_rate'] };
    const arrow = await fetch(`${base}/api/explore`, {
      method: 'POST',
      headers: { cookie: p.api.cookie, 'x-csrf-token': p.api.csrf, 'content-type': 'application/json', accept: 'application/vnd.apache.arrow.stream' },
      body: JSON.stringify(body),
    });
    expect(arrow.headers.get('content-type')).toBe('application/vnd.apache.arrow.stream');
    const table = tableFromIPC(new Uint8Array(await arrow.arrayBuffer()));
    expect(table.toArray().map((x) => x.toJSON())).toEqual((await p.api.post('/api/explore', body)).json().rows);
    const bad = await fetch(`${base}/api/metrics/values?region=510000&period=2026-03&metrics=labour_force&metrics=employed`, { headers: { cookie: p.api.cookie } });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toContain('metrics');
  });
});
