/**
 * The metric routes through app.inject() on the mini warehouse: the catalogue, values
 * (fixed shape), series, comparisons and rankings equal the independent computation;
 * errors are 404 for unknown regions/metrics/periods without data and 400 naming the
 * parameter for malformed input.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { METRIC_IDS } from '../../warehouse/metrics/catalogue.ts';
import { periodOf, previousPeriod, samePeriodLastYear } from '../../warehouse/metrics/period.ts';
import { loadRegions } from '../../warehouse/reference/regions.ts';
import { expectedMetric } from '../warehouse/metrics/expected-metric.ts';
import { startMiniApp, type MiniApp } from './mini-app.ts';

let m: MiniApp;
beforeAll(async () => {
  m = await startMiniApp();
});
afterAll(async () => m?.close());

const closeTo = (got: unknown, want: number | null | undefined) => {
  if (want === null || want === undefined) expect(got).toBeNull();
  else expect(got as number).toBeCloseTo(want, 9);
};

describe('GET /api/metrics', () => {
  test('serves the catalogue with every fixed id and the dimension whitelist', async () => {
    const res = await m.api.get('/api/metrics');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.metrics.map((x: { id: string }) => x.id)).toEqual([...METRIC_IDS]);
    const rate = body.metrics.find((x: { id: string }) => x.id === 'unemployment_rate');
    expect(rate).toMatchObject({ zh: '失业率', kind: 'rate', unit: 'share' });
    expect(rate.numerator.en).toContain('unemployed');
    expect(body.dimensions.map((d: { id: string }) => d.id)).toContain('employment_status');
  });

  test('needs a session', async () => {
    expect((await m.app.inject({ url: '/api/metrics' })).statusCode).toBe(401);
    expect((await m.app.inject({ url: '/api/metrics/values?region=510000&period=2025-06&metrics=labour_force' })).statusCode).toBe(401);
  });
});

describe('GET /api/metrics/values', () => {
  test('answers the fixed shape with exactly the independent figures, for every metric and several regions and periods', async () => {
    const regions = ['510000', '511700', '511702', '511703001', m.data.villages[2]];
    for (const region of regions) {
      for (const period of ['2025-02', '2025-Q4', '2025', '2026-03']) {
        const res = await m.api.get(`/api/metrics/values?region=${region}&period=${period}&metrics=${METRIC_IDS.join(',')}`);
        expect(res.statusCode, res.body).toBe(200);
        const body = res.json();
        expect(Object.keys(body)).toEqual(['region', 'period', 'values']);
        expect(body.region).toBe(region);
        expect(body.period).toBe(period);
        expect(Object.keys(body.values)).toEqual([...METRIC_IDS]);
        for (const id of METRIC_IDS) {
          const want = expectedMetric(m.data, region, periodOf(period), id);
          expect(Object.keys(body.values[id]).sort(), `${id} ${region} ${period}`).toEqual(Object.keys(want).sort());
          for (const k of Object.keys(want) as (keyof typeof want)[]) closeTo(body.values[id][k], want[k]);
        }
      }
    }
  });

  test('counts are integers and a rate equals its numerator over its denominator', async () => {
    const body = (await m.api.get('/api/metrics/values?region=511702&period=2025-06&metrics=unemployed,employed,unemployment_rate')).json();
    expect(Number.isInteger(body.values.unemployed.value)).toBe(true);
    expect(body.values.unemployment_rate.numerator).toBe(body.values.unemployed.value);
    expect(body.values.unemployment_rate.denominator).toBe(body.values.unemployed.value + body.values.employed.value);
    expect(body.values.unemployment_rate.value).toBe(body.values.unemployed.value / (body.values.unemployed.value + body.values.employed.value));
  });

  test('unknown region or metric: 404; period outside the history: 404 naming the covered months', async () => {
    const unknownRegion = await m.api.get('/api/metrics/values?region=519999&period=2025-06&metrics=labour_force');
    expect(unknownRegion.statusCode).toBe(404);
    expect(unknownRegion.json()).toEqual({ error: { code: 'not_found', message: "unknown region '519999' (parameter 'region')" } });
    const unknownMetric = await m.api.get('/api/metrics/values?region=510000&period=2025-06&metrics=labour_force,happiness');
    expect(unknownMetric.statusCode).toBe(404);
    expect(unknownMetric.json().error.message).toContain("unknown metric 'happiness'");
    const outside = await m.api.get('/api/metrics/values?region=510000&period=2023-06&metrics=labour_force');
    expect(outside.statusCode).toBe(404);
    expect(outside.json().error).toEqual({ code: 'no_data', message: "no data for period '2023-06': the warehouse covers 2024-10 to 2026-03 (data as of 2026-03-20)" });
  });
});

describe('GET /api/metrics/series, /compare, /ranking', () => {
  test('a monthly series equals the values of each month; months outside the history are null', async () => {
    const res = await m.api.get('/api/metrics/series?region=511702&metrics=labour_force,unemployment_rate,increases&from=2024-08&to=2025-03');
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.points.map((p: { period: string }) => p.period)).toEqual(['2024-08', '2024-09', '2024-10', '2024-11', '2024-12', '2025-01', '2025-02', '2025-03']);
    for (const p of body.points) {
      for (const id of ['labour_force', 'unemployment_rate', 'increases'] as const) {
        const want = expectedMetric(m.data, '511702', periodOf(p.period), id);
        for (const k of Object.keys(want) as (keyof typeof want)[]) closeTo(p.values[id][k], want[k]);
      }
    }
    expect(body.points[0].values.labour_force.value).toBeNull();
  });

  test('quarterly and yearly series', async () => {
    const q = (await m.api.get('/api/metrics/series?region=510000&metrics=increases&from=2025-Q1&to=2026-Q1')).json();
    expect(q.points.map((p: { period: string }) => p.period)).toEqual(['2025-Q1', '2025-Q2', '2025-Q3', '2025-Q4', '2026-Q1']);
    for (const p of q.points) expect(p.values.increases.value).toBe(expectedMetric(m.data, '510000', periodOf(p.period), 'increases').value);
    const y = (await m.api.get('/api/metrics/series?region=510000&metrics=labour_force&from=2024&to=2026')).json();
    expect(y.points.map((p: { values: { labour_force: { value: number } } }) => p.values.labour_force.value)).toEqual(['2024', '2025', '2026'].map((p) => expectedMetric(m.data, '510000', periodOf(p), 'labour_force').value));
  });

  test('comparison with the previous period and the same period last year', async () => {
    for (const period of ['2025-11', '2025-Q4', '2026']) {
      const res = await m.api.get(`/api/metrics/compare?region=511700&period=${period}&metrics=labour_force,unemployment_rate`);
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json();
      const p = periodOf(period);
      expect(body.previousPeriod).toBe(previousPeriod(p).id);
      expect(body.lastYearPeriod).toBe(samePeriodLastYear(p).id);
      for (const id of ['labour_force', 'unemployment_rate'] as const) {
        const cur = expectedMetric(m.data, '511700', p, id).value;
        const prev = expectedMetric(m.data, '511700', previousPeriod(p), id).value;
        const ly = expectedMetric(m.data, '511700', samePeriodLastYear(p), id).value;
        closeTo(body.values[id].current.value, cur);
        closeTo(body.values[id].previous.value, prev);
        closeTo(body.values[id].lastYear.value, ly);
        closeTo(body.values[id].mom.change, cur === null || prev === null ? null : cur - prev);
        closeTo(body.values[id].yoy.change, cur === null || ly === null ? null : cur - ly);
        closeTo(body.values[id].yoy.relative, cur === null || ly === null || ly === 0 ? null : (cur - ly) / Math.abs(ly));
      }
    }
  });

  test('ranking of the counties of a city: every child, sorted, ties share a rank, nulls last', async () => {
    const counties = loadRegions().children('511700');
    const desc = (await m.api.get('/api/metrics/ranking?region=511700&period=2025-06&metric=labour_force')).json();
    expect(desc.level).toBe('county');
    expect(desc.total).toBe(counties.length);
    expect(desc.items).toHaveLength(counties.length);
    const want = counties.map((c) => ({ code: c.code, value: expectedMetric(m.data, c.code, periodOf('2025-06'), 'labour_force').value ?? 0 }));
    want.sort((a, b) => b.value - a.value || a.code.localeCompare(b.code));
    expect(desc.items.map((i: { code: string }) => i.code)).toEqual(want.map((w) => w.code));
    expect(desc.items[0].rank).toBe(1);
    const zeros = desc.items.filter((i: { value: number }) => i.value === 0);
    expect(new Set(zeros.map((z: { rank: number }) => z.rank)).size).toBe(1);
    const rate = (await m.api.get('/api/metrics/ranking?region=511700&period=2025-06&metric=unemployment_rate&order=asc&limit=3')).json();
    expect(rate.items).toHaveLength(3);
    expect(rate.items[0].numerator).toBeTypeOf('number');
    const all = (await m.api.get('/api/metrics/ranking?region=511700&period=2025-06&metric=unemployment_rate&order=asc')).json();
    const nulls = all.items.filter((i: { value: number | null }) => i.value === null);
    expect(nulls.length).toBe(counties.length - 2);
    expect(all.items.slice(-nulls.length).every((i: { value: null; rank: null }) => i.value === null && i.rank === null)).toBe(true);
    expect(all.items[0].value).toBeLessThanOrEqual(all.items[1].value);
  });

  test('ranking with level: the 183 counties of the province, the same figures as each city ranks its counties', async () => {
    const tree = loadRegions();
    const res = await m.api.get('/api/metrics/ranking?region=510000&period=2025-06&metric=labour_force&level=county&limit=1000');
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.level).toBe('county');
    expect(body.total).toBe(tree.counties.length);
    expect(body.total).toBe(183);
    const want = tree.counties.map((c) => ({ code: c.code, value: expectedMetric(m.data, c.code, periodOf('2025-06'), 'labour_force').value ?? 0 }));
    want.sort((a, b) => b.value - a.value || a.code.localeCompare(b.code));
    expect(body.items.map((i: { code: string; value: number }) => [i.code, i.value])).toEqual(want.map((w) => [w.code, w.value]));
    const byCity = new Map<string, unknown>();
    for (const city of tree.cities) {
      for (const i of (await m.api.get(`/api/metrics/ranking?region=${city.code}&period=2025-06&metric=unemployment_rate&limit=1000`)).json().items) byCity.set(i.code, i.value);
    }
    const rates = (await m.api.get('/api/metrics/ranking?region=510000&period=2025-06&metric=unemployment_rate&level=county&limit=1000')).json();
    expect(new Map(rates.items.map((i: { code: string; value: unknown }) => [i.code, i.value]))).toEqual(byCity);
    const townships = (await m.api.get('/api/metrics/ranking?region=511700&period=2025-06&metric=labour_force&level=township&limit=1000')).json();
    expect(townships.level).toBe('township');
    expect(townships.total).toBe(tree.townships.filter((t) => t.code.startsWith('5117')).length);
  });
});

describe('bad input', () => {
  const base = '/api/metrics/values?region=510000&period=2025-06&metrics=labour_force';
  const cases: [string, string, string][] = [
    ['SQL in region', "/api/metrics/values?region=510000'%20OR%201=1--&period=2025-06&metrics=labour_force", 'region'],
    ['SQL in metrics', '/api/metrics/values?region=510000&period=2025-06&metrics=labour_force;DROP%20TABLE%20meta', 'metrics'],
    ['SQL in period', "/api/metrics/values?region=510000&period=2025-06'--&metrics=labour_force", 'period'],
    ['malformed period', '/api/metrics/values?region=510000&period=2025-13&metrics=labour_force', 'period'],
    ['quarter 5', '/api/metrics/values?region=510000&period=2025-Q5&metrics=labour_force', 'period'],
    ['year 1999', '/api/metrics/values?region=510000&period=1999&metrics=labour_force', 'period'],
    ['7-digit code', '/api/metrics/values?region=5100001&period=2025-06&metrics=labour_force', 'region'],
    ['repeated region', `${base}&region=511700`, 'region'],
    ['repeated metrics', `${base}&metrics=employed`, 'metrics'],
    ['unknown parameter', `${base}&order=asc`, 'order'],
    ['missing metrics', '/api/metrics/values?region=510000&period=2025-06', 'metrics'],
    ['metric listed twice', '/api/metrics/values?region=510000&period=2025-06&metrics=labour_force,labour_force', 'metrics'],
    ['series of mixed kinds', '/api/metrics/series?region=510000&metrics=labour_force&from=2025-01&to=2025-Q4', 'from'],
    ['series reversed', '/api/metrics/series?region=510000&metrics=labour_force&from=2025-06&to=2025-01', 'to'],
    ['series too long', '/api/metrics/series?region=510000&metrics=labour_force&from=2000-01&to=2099-12', 'from'],
    ['huge ranking limit', '/api/metrics/ranking?region=510000&period=2025-06&metric=labour_force&limit=100000000', 'limit'],
    ['ranking order', '/api/metrics/ranking?region=510000&period=2025-06&metric=labour_force&order=random()', 'order'],
    ['ranking limit text', '/api/metrics/ranking?region=510000&period=2025-06&metric=labour_force&limit=1;SELECT', 'limit'],
    ['ranking level not below the region', '/api/metrics/ranking?region=511700&period=2025-06&metric=labour_force&level=city', 'level'],
    ['ranking level village', '/api/metrics/ranking?region=510000&period=2025-06&metric=labour_force&level=village', 'level'],
  ];
  for (const [name, url, param] of cases) {
    test(`${name}: 400 naming '${param}'`, async () => {
      const res = await m.api.get(url);
      expect(res.statusCode, res.body).toBe(400);
      const body = res.json();
      expect(body.error.code).toBe('bad_request');
      expect(body.error.message).toContain(param);
      expect(res.body).not.toMatch(/at .*\.ts:\d+/);
    });
  }
});
