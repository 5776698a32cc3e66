/**
 * Metric SQL against a small warehouse with the documented table shapes: every metric of
 * the catalogue, for every region level and for months, quarters and years (complete,
 * partial and outside the history), equals a plain-TypeScript computation from the rows
 * the fixture inserted.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { computeMetricValues } from '../../../warehouse/metrics/metric-values.ts';
import { METRIC_IDS, type MetricId } from '../../../warehouse/metrics/catalogue.ts';
import { addMonths, monthEndDate, periodOf, type Period } from '../../../warehouse/metrics/period.ts';
import { springFestivalDate } from '../../../warehouse/reference/festival.ts';
import { addDays } from '../../../warehouse/metrics/festival-window.ts';
import { buildMiniWarehouse, DATA_AS_OF, FIRST_MONTH, LAST_MONTH, regionsOfVillage, type AggRow, type MiniWarehouse } from './mini-warehouse.ts';

let w: MiniWarehouse;
beforeAll(async () => {
  w = await buildMiniWarehouse();
});
afterAll(() => w?.close());

type Expected = { value: number | null; numerator?: number | null; denominator?: number | null };
const frac = (n: number | null, d: number | null): Expected => ({ value: n === null || d === null || d === 0 ? null : n / d, numerator: n, denominator: d });

function covered(p: Period): string[] {
  return p.months.filter((m) => m >= FIRST_MONTH && m <= LAST_MONTH);
}

/** Independent computation of one metric from the fixture's rows. */
function expected(region: string, p: Period, metric: MetricId): Expected {
  const vs = w.regionVillages.get(region)!;
  const months = covered(p);
  const isFraction = ['unemployment_rate', 'employment_rate', 'poverty_employed_yoy', 'festival_return_rate', 'point_coverage', 'point_update_rate', 'point_on_time_rate', 'quality_score'].includes(metric);
  if (months.length === 0) return isFraction ? { value: null, numerator: null, denominator: null } : { value: null };
  const end = months[months.length - 1];
  const stock = (c: keyof AggRow, m = end) => vs.reduce((a, v) => a + w.agg.get(`${v}|${m}`)![c], 0);
  const flow = (c: keyof AggRow) => months.reduce((a, m) => a + stock(c, m), 0);
  const festival = () => {
    const sf = springFestivalDate(p.year);
    const start = addDays(sf, -45);
    if (start < `${FIRST_MONTH}-01` || start > DATA_AS_OF) return undefined;
    const toDay = Math.min(Math.round((Date.parse(p.endDate) - Date.parse(sf)) / 86_400_000), 60);
    let returned = 0;
    let departed = 0;
    for (const f of w.festival) {
      if (f.festival_year !== p.year || f.day > toDay || !vs.includes(f.village)) continue;
      returned += f.returned;
      departed += f.departed;
    }
    return { returned, departed };
  };
  const regionPoints = () =>
    w.points.filter((pt) => (region.length === 12 ? pt.villages.includes(region) : pt.township_code.startsWith(region === '510000' ? '51' : region.endsWith('00') && region.length === 6 ? region.slice(0, 4) : region)));
  const pointMonths = () => {
    let expectedN = 0;
    let submitted = 0;
    let onTime = 0;
    for (const m of months) {
      for (const pt of regionPoints()) {
        if (pt.established_on > monthEndDate(m)) continue;
        expectedN++;
        const s = w.submissions.find((x) => x.point_code === pt.point_code && x.month === m);
        if (s && s.submitted_on && s.status !== '未报送') {
          submitted++;
          if (s.submitted_on <= `${addMonths(m, 1)}-05`) onTime++;
        }
      }
    }
    return { expectedN, submitted, onTime };
  };
  switch (metric) {
    case 'labour_force': return { value: stock('labour_force') };
    case 'employed': return { value: stock('s10') + stock('s21') + stock('s22') + stock('s23') + stock('s24') + stock('s30') };
    case 'transfer_employed': return { value: stock('s21') + stock('s22') + stock('s23') + stock('s24') + stock('s30') };
    case 'out_migrant_in_province': return { value: stock('s22') };
    case 'out_migrant_out_province': return { value: stock('s23') };
    case 'abroad': return { value: stock('s24') };
    case 'unemployed': return { value: stock('s40') };
    case 'not_in_labour_force': return { value: stock('s50') };
    case 'unemployment_rate': return frac(stock('s40'), stock('employed') + stock('s40'));
    case 'employment_rate': return frac(stock('employed'), stock('employed') + stock('s40'));
    case 'at_home': return { value: stock('at_home') };
    case 'away': return { value: stock('away') };
    case 'increases': return { value: flow('increases') };
    case 'decreases': return { value: flow('decreases') };
    case 'net_change': return { value: flow('increases') - flow('decreases') };
    case 'poverty_employed': return { value: stock('poverty_transfer') };
    case 'poverty_employed_yoy': {
      const ly = addMonths(end, -12);
      return frac(stock('poverty_transfer'), ly >= FIRST_MONTH ? stock('poverty_transfer', ly) : null);
    }
    case 'relocated_employed': return { value: stock('relocated_transfer') };
    case 'festival_returned': return { value: festival()?.returned ?? null };
    case 'festival_departed': return { value: festival()?.departed ?? null };
    case 'festival_not_departed': { const f = festival(); return { value: f ? f.returned - f.departed : null }; }
    case 'festival_return_rate': { const f = festival(); return f ? frac(f.departed, f.returned) : frac(null, null); }
    case 'point_coverage': {
      const all = region.length === 12 ? [region] : [...w.regionVillages.get(region)!, ...(w.emptyVillage.startsWith(region === '510000' ? '51' : region.length === 6 && region.endsWith('00') ? region.slice(0, 4) : region) ? [w.emptyVillage] : [])];
      const cov = all.filter((v) => w.points.some((pt) => pt.villages.includes(v) && pt.established_on <= monthEndDate(end)));
      return frac(cov.length, all.length);
    }
    case 'point_update_rate': { const x = pointMonths(); return frac(x.submitted, x.expectedN); }
    case 'point_on_time_rate': { const x = pointMonths(); return frac(x.onTime, x.expectedN); }
    case 'quality_score': {
      const lf = stock('labour_force');
      const x = pointMonths();
      const comps: [number, number | null][] = [[0.2, x.expectedN ? x.submitted / x.expectedN : null], [0.2, x.expectedN ? x.onTime / x.expectedN : null]];
      if (region.length === 6) {
        const inRegion = (county: string) => region === '510000' || (region.endsWith('00') ? county.startsWith(region.slice(0, 4)) : county === region);
        let q = 0;
        for (const [county, n] of w.quarantineByCounty) if (inRegion(county)) q += n;
        const rec = w.reconciliation.filter((r) => inRegion(r.county_code) && r.snapshot_date >= `${months[0]}-01` && r.snapshot_date <= monthEndDate(end)).reduce((a, r) => a + r.count, 0);
        comps.unshift([0.4, lf ? 1 - Math.min(1, q / lf) : null]);
        comps.push([0.2, lf ? 1 - Math.min(1, rec / lf) : null]);
      }
      let n = 0;
      let d = 0;
      for (const [wt, c] of comps) if (c !== null) { n += wt * c * 100; d += wt; }
      return d ? frac(n, d) : frac(null, null);
    }
  }
}

const REGIONS = () => ['510000', '511700', '511702', '511703', '511702001', '511703001', w.villages[0], w.villages[4]];
const PERIODS = ['2024-10', '2025-01', '2025-02', '2025-03', '2025-10', '2025-12', '2026-01', '2026-02', '2026-03', '2025-Q1', '2025-Q4', '2026-Q1', '2026-Q2', '2025', '2026', '2024', '2024-09', '2026-04', '2023'];

describe('computeMetricValues', () => {
  test('every metric, region level and period kind equals the independent computation', async () => {
    const periods = PERIODS.map(periodOf);
    const results = await computeMetricValues(w.run, w.coverage, { regions: REGIONS(), periods, metrics: METRIC_IDS });
    let checked = 0;
    for (const region of REGIONS()) {
      for (const p of periods) {
        for (const metric of METRIC_IDS) {
          const got = results.get(region, p.id, metric);
          const want = expected(region, p, metric);
          const ctx = `${metric} ${region} ${p.id}`;
          expect(Object.keys(got).sort(), ctx).toEqual(Object.keys(want).sort());
          for (const k of Object.keys(want) as (keyof Expected)[]) {
            if (want[k] === null || want[k] === undefined) expect(got[k], ctx).toBeNull();
            else expect(got[k], `${ctx} ${k}`).toBeCloseTo(want[k] as number, 9);
          }
          checked++;
        }
      }
    }
    expect(checked).toBe(REGIONS().length * PERIODS.length * METRIC_IDS.length);
  });

  test('counts and rates are exact, and rates come with numerator and denominator', async () => {
    const r = await computeMetricValues(w.run, w.coverage, { regions: ['511702'], periods: [periodOf('2025-06')], metrics: ['unemployment_rate', 'unemployed', 'employed'] });
    const rate = r.get('511702', '2025-06', 'unemployment_rate');
    expect(rate.numerator).toBe(r.get('511702', '2025-06', 'unemployed').value);
    expect(rate.denominator).toBe((r.get('511702', '2025-06', 'employed').value ?? 0) + (rate.numerator ?? 0));
    expect(rate.value).toBe((rate.numerator ?? 0) / (rate.denominator ?? 1));
  });

  test('a region of the reference without rows has zero counts; a period outside the history has nulls', async () => {
    const r = await computeMetricValues(w.run, w.coverage, { regions: [w.emptyVillage], periods: [periodOf('2025-06'), periodOf('2020-01')], metrics: ['labour_force', 'unemployment_rate', 'increases'] });
    expect(r.get(w.emptyVillage, '2025-06', 'labour_force')).toEqual({ value: 0 });
    expect(r.get(w.emptyVillage, '2025-06', 'increases')).toEqual({ value: 0 });
    expect(r.get(w.emptyVillage, '2025-06', 'unemployment_rate')).toEqual({ value: null, numerator: 0, denominator: 0 });
    expect(r.get(w.emptyVillage, '2020-01', 'labour_force')).toEqual({ value: null });
    expect(r.get(w.emptyVillage, '2020-01', 'unemployment_rate')).toEqual({ value: null, numerator: null, denominator: null });
  });

  test('the latest points snapshot is used: an older point covering the uncovered village does not count', async () => {
    const last = w.villages[w.villages.length - 1];
    const r = await computeMetricValues(w.run, w.coverage, { regions: [last], periods: [periodOf('2025-06')], metrics: ['point_coverage', 'point_update_rate'] });
    expect(r.get(last, '2025-06', 'point_coverage')).toEqual({ value: 0, numerator: 0, denominator: 1 });
    expect(r.get(last, '2025-06', 'point_update_rate')).toEqual({ value: null, numerator: 0, denominator: 0 });
    expect(regionsOfVillage(last)[0]).toBe('510000');
  });
});
