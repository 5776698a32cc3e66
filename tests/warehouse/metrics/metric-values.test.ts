/**
 * Metric SQL against a small warehouse with the documented table shapes: every metric of
 * the catalogue, for every region level and for months, quarters and years (complete,
 * partial and outside the history), equals a plain-TypeScript computation from the rows
 * the fixture inserted.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { computeMetricValues } from '../../../warehouse/metrics/metric-values.ts';
import { METRIC_IDS } from '../../../warehouse/metrics/catalogue.ts';
import { periodOf } from '../../../warehouse/metrics/period.ts';
import { buildMiniWarehouse, regionsOfVillage, type MiniWarehouse } from './mini-warehouse.ts';
import { expectedMetric, type Expected } from './expected-metric.ts';
import { PREFIX_JOIN_FROM } from '../../../warehouse/metrics/point-metrics.ts';
import { loadRegions } from '../../../warehouse/reference/regions.ts';

let w: MiniWarehouse;
beforeAll(async () => {
  w = await buildMiniWarehouse();
});
afterAll(() => w?.close());

const REGIONS = () => ['510000', '511700', '511702', '511703', '511702001', '511703001', w.villages[0], w.villages[4]];
const PERIODS = ['2024-10', '2025-01', '2025-02', '2025-03', '2025-10', '2025-12', '2026-01', '2026-02', '2026-03', '2025-Q1', '2025-Q4', '2026-Q1', '2026-Q2', '2025', '2026', '2024', '2024-09', '2026-04', '2023'];

describe('computeMetricValues', () => {
  test('point metrics for many regions (joined by prefix) equal the independent computation', async () => {
    const tree = loadRegions();
    const many = [...REGIONS(), ...tree.townships.filter((t) => t.code.startsWith('5117')).map((t) => t.code), ...tree.counties.map((c) => c.code)];
    const regions = [...new Set(many)];
    expect(regions.length).toBeGreaterThan(PREFIX_JOIN_FROM);
    const periods = ['2025-02', '2025-Q4', '2026-03'].map(periodOf);
    const metrics = ['point_coverage', 'point_update_rate', 'point_on_time_rate'] as const;
    const results = await computeMetricValues(w.run, w.coverage, { regions, periods, metrics });
    let nonZero = 0;
    for (const region of regions) {
      for (const p of periods) {
        for (const metric of metrics) {
          const got = results.get(region, p.id, metric);
          const want = expectedMetric(w, region, p, metric);
          const ctx = `${metric} ${region} ${p.id}`;
          for (const k of Object.keys(want) as (keyof Expected)[]) {
            if (want[k] === null || want[k] === undefined) expect(got[k], ctx).toBeNull();
            else expect(got[k], `${ctx} ${k}`).toBeCloseTo(want[k] as number, 9);
          }
          if ((want.denominator ?? 0) > 0) nonZero++;
        }
      }
    }
    expect(nonZero).toBeGreaterThan(20);
  });

  test('every metric, region level and period kind equals the independent computation', async () => {
    const periods = PERIODS.map(periodOf);
    const results = await computeMetricValues(w.run, w.coverage, { regions: REGIONS(), periods, metrics: METRIC_IDS });
    let checked = 0;
    for (const region of REGIONS()) {
      for (const p of periods) {
        for (const metric of METRIC_IDS) {
          const got = results.get(region, p.id, metric);
          const want = expectedMetric(w, region, p, metric);
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
