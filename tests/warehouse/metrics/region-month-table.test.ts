/**
 * agg_region_month held in memory (RegionMonthTable) gives the same figures as the SQL of
 * regionMonthQuery and as the independent computation of the fixture, for every region
 * above village level, every region-month metric and months, quarters and years
 * (complete, partial, outside the history); villages and other versions fall back to SQL.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { compileRegionMonthExpression, RegionMonthTable } from '../../../warehouse/metrics/region-month-table.ts';
import { regionMonthMetricValues, REGION_MONTH_SQL, type RegionMonthMetricId } from '../../../warehouse/metrics/region-month-metrics.ts';
import { periodOf } from '../../../warehouse/metrics/period.ts';
import type { MetricCell } from '../../../warehouse/metrics/metric-value.ts';
import type { SqlRunner } from '../../../warehouse/metrics/sql-runner.ts';
import { buildMiniWarehouse, type MiniWarehouse } from './mini-warehouse.ts';
import { expectedMetric, type Expected } from './expected-metric.ts';

let w: MiniWarehouse;
let table: RegionMonthTable;
beforeAll(async () => {
  w = await buildMiniWarehouse();
  table = await RegionMonthTable.load(w.run, w.coverage.version);
});
afterAll(() => w?.close());

const METRICS = Object.keys(REGION_MONTH_SQL) as RegionMonthMetricId[];
const PERIODS = ['2024-10', '2025-01', '2025-03', '2025-10', '2025-12', '2026-02', '2026-03', '2025-Q1', '2025-Q4', '2026-Q1', '2026-Q2', '2025', '2026', '2024', '2024-09', '2026-04', '2023'].map(periodOf);
const aboveVillage = () => [...w.regionVillages.keys()].filter((c) => c.length < 12);
const key = (c: MetricCell) => `${c.region}|${c.period}|${c.metric}`;

describe('RegionMonthTable', () => {
  test('holds every region above village level and no village', () => {
    expect(aboveVillage().length).toBeGreaterThan(4);
    expect(table.regionCount).toBe(aboveVillage().length);
    expect(table.cells(w.coverage, [w.villages[0]], PERIODS, METRICS)).toBeUndefined();
  });

  test('equals the SQL and the independent computation for every region, metric and period', async () => {
    const regions = aboveVillage();
    const held = table.cells(w.coverage, regions, PERIODS, METRICS);
    expect(held).toBeDefined();
    const sql = await regionMonthMetricValues(w.run, w.coverage, regions, PERIODS, METRICS);
    // Exactly the same cells, value for value (not approximately: same sums, same division).
    expect(new Map(held!.map((c) => [key(c), c.value]))).toEqual(new Map(sql.map((c) => [key(c), c.value])));
    expect(held!.length).toBe(regions.length * PERIODS.filter((p) => p.lastMonth >= '2024-10' && p.firstMonth <= '2026-03').length * METRICS.length);
    for (const c of held!) {
      const want = expectedMetric(w, c.region, periodOf(c.period), c.metric);
      for (const k of Object.keys(want) as (keyof Expected)[]) {
        if (want[k] === null || want[k] === undefined) expect(c.value[k], `${key(c)} ${k}`).toBeNull();
        else expect(c.value[k], `${key(c)} ${k}`).toBeCloseTo(want[k] as number, 9);
      }
    }
  });

  test('regionMonthMetricValues answers from the table without a query, and by SQL for villages or another version', async () => {
    const statements: string[] = [];
    const counting: SqlRunner = (sql, params) => {
      statements.push(sql);
      return w.run(sql, params);
    };
    const p = [periodOf('2025-Q4')];
    await regionMonthMetricValues(counting, w.coverage, ['510000', '511702'], p, ['labour_force', 'unemployment_rate'], table);
    expect(statements).toHaveLength(0);
    const village = await regionMonthMetricValues(counting, w.coverage, ['511702', w.villages[0]], p, ['labour_force'], table);
    expect(statements).toHaveLength(1);
    const bySql = await regionMonthMetricValues(w.run, w.coverage, ['511702', w.villages[0]], p, ['labour_force']);
    expect(new Map(village.map((c) => [key(c), c.value]))).toEqual(new Map(bySql.map((c) => [key(c), c.value])));
    expect(village).toHaveLength(2);
    await regionMonthMetricValues(counting, { ...w.coverage, version: 'another-build' }, ['510000'], p, ['labour_force'], table);
    expect(statements).toHaveLength(2);
  });

  test('expressions: a column, a sum or a difference of two; anything else is refused', () => {
    const s = { employed: 7, unemployed: 3, increases: 5, decreases: 8, poverty_transfer_ly: null } as unknown as Parameters<ReturnType<typeof compileRegionMonthExpression>>[0];
    expect(compileRegionMonthExpression('employed')(s)).toBe(7);
    expect(compileRegionMonthExpression('(employed + unemployed)')(s)).toBe(10);
    expect(compileRegionMonthExpression('(increases - decreases)')(s)).toBe(-3);
    expect(compileRegionMonthExpression('poverty_transfer_ly')(s)).toBeNull();
    for (const bad of ['employed * 2', 'sum(employed)', 'employed + unemployed + away', 'no_such_column', '(employed + 1)']) {
      expect(() => compileRegionMonthExpression(bad), bad).toThrow(/cannot be computed in memory/);
    }
  });
});
