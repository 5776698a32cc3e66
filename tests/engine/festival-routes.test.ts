/**
 * GET /api/festival on the mini warehouse: day-aligned daily and cumulative series per
 * year and group equal sums of the fixture's festival rows; days outside the history
 * are null; the cumulative figures at a period's end equal the festival_* metrics.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { springFestivalDate } from '../../warehouse/reference/festival.ts';
import { addDays } from '../../warehouse/metrics/festival-window.ts';
import { loadRegions } from '../../warehouse/reference/regions.ts';
import { startMiniApp, type MiniApp } from './mini-app.ts';

let m: MiniApp;
beforeAll(async () => {
  m = await startMiniApp();
});
afterAll(async () => m?.close());

describe('GET /api/festival', () => {
  test('a region for two years: daily counts and cumulative figures from day −45; unknown days null', async () => {
    const res = await m.api.get('/api/festival?region=511702&years=2025,2026&from=-10&to=40');
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.days).toEqual(Array.from({ length: 51 }, (_, i) => i - 10));
    expect(body.years).toEqual([{ year: 2025, festivalDate: '2025-01-29' }, { year: 2026, festivalDate: '2026-02-17' }]);
    expect(body.series).toHaveLength(2);
    for (const s of body.series) {
      expect(s.label).toBe('通川区');
      const rows = m.data.festival.filter((f) => f.festival_year === s.year && f.village.startsWith('511702'));
      let cr = 0;
      let cd = 0;
      for (let d = -45; d <= 40; d++) {
        const day = rows.filter((f) => f.day === d);
        const r = day.reduce((a, f) => a + f.returned, 0);
        const dep = day.reduce((a, f) => a + f.departed, 0);
        cr += r;
        cd += dep;
        if (d < -10) continue;
        const i = d + 10;
        const known = addDays(springFestivalDate(s.year), d) <= m.data.coverage.dataAsOf;
        expect(s.returned[i], `${s.year} day ${d}`).toBe(known ? r : null);
        expect(s.departed[i]).toBe(known ? dep : null);
        expect(s.cumulativeReturned[i]).toBe(known ? cr : null);
        expect(s.notDeparted[i]).toBe(known ? cr - cd : null);
        expect(s.returnRate[i]).toBe(known && cr > 0 ? cd / cr : null);
      }
    }
    // 2026: data as of 2026-03-20 = day 31 of the 2026 festival.
    const y2026 = body.series.find((s: { year: number }) => s.year === 2026);
    expect(y2026.returned[31 + 10]).not.toBeNull();
    expect(y2026.returned[32 + 10]).toBeNull();
  });

  test('cumulative figures at day 60 equal the festival metrics of the whole year', async () => {
    const series = (await m.api.get('/api/festival?region=510000&years=2025')).json().series[0];
    const values = (await m.api.get('/api/metrics/values?region=510000&period=2025&metrics=festival_returned,festival_departed,festival_not_departed,festival_return_rate')).json().values;
    const last = series.cumulativeReturned.length - 1;
    expect(values.festival_returned.value).toBe(series.cumulativeReturned[last]);
    expect(values.festival_departed.value).toBe(series.cumulativeDeparted[last]);
    expect(values.festival_not_departed.value).toBe(series.notDeparted[last]);
    expect(values.festival_return_rate.value).toBe(series.returnRate[last]);
  });

  test('by child region, by destination, and filtered by sex', async () => {
    const byRegion = (await m.api.get('/api/festival?region=511700&years=2025&dimension=region')).json();
    expect(byRegion.series.map((s: { group: string }) => s.group)).toEqual(loadRegions().children('511700').map((r) => r.code));
    const byDest = (await m.api.get('/api/festival?region=510000&years=2025&dimension=dest_province&sex=女')).json();
    expect(byDest.series.map((s: { group: string }) => s.group)).toEqual(['440300', '510100']);
    for (const s of byDest.series) {
      const total = m.data.festival.filter((f) => f.festival_year === 2025 && f.dest_province === s.group && f.sex === '女').reduce((a, f) => a + f.returned, 0);
      expect(s.cumulativeReturned[s.cumulativeReturned.length - 1]).toBe(total);
    }
  });

  const bad: [string, string][] = [
    ['/api/festival?region=510000&years=25', 'years'],
    ['/api/festival?region=510000&years=2025,2025', 'years'],
    ["/api/festival?region=510000&years=2025)%20OR%201=1", 'years'],
    ['/api/festival?region=510000&years=2025&dimension=id_number', 'dimension'],
    ['/api/festival?region=510000&years=2025&from=-100', 'from'],
    ['/api/festival?region=510000&years=2025&from=10&to=0', 'to'],
    ['/api/festival?region=510000&years=2025&sex=X', 'sex'],
    ['/api/festival?region=510000&years=2025&dest_province=44', 'dest_province'],
    ['/api/festival?region=510000&years=2025&years=2026', 'years'],
    ['/api/festival?region=511702001001&years=2025&dimension=region', 'dimension'],
  ];
  for (const [url, param] of bad) {
    test(`bad input ${url.split('?')[1]}: 400 naming '${param}'`, async () => {
      const res = await m.api.get(url);
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json().error.message).toContain(param);
    });
  }
});
