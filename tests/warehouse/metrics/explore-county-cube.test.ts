/**
 * cube_county (built by buildCountyCube from cube_month) answers explorer slices at
 * county, city and province level with exactly the rows the village cube gives, for
 * every dimension and filter it holds; other slices keep reading cube_month. Its
 * incremental rebuild of recomputed months equals a full build.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildCountyCube } from '../../../warehouse/model/build-aggregates.ts';
import { exploreQuery, type ExploreMeasureId, type ExploreRequest } from '../../../warehouse/metrics/explore-query.ts';
import type { DimensionId } from '../../../warehouse/metrics/dimensions.ts';
import { periodOf } from '../../../warehouse/metrics/period.ts';
import type { RegionLevel } from '../../../warehouse/reference/regions.ts';
import { buildMiniWarehouse, type MiniWarehouse } from './mini-warehouse.ts';

let w: MiniWarehouse;
beforeAll(async () => {
  w = await buildMiniWarehouse();
  await w.conn.run("ATTACH ':memory:' AS wh");
  await w.conn.run('CREATE TABLE wh.cube_month AS SELECT * FROM main.cube_month');
  await buildCountyCube(w.conn); // created: every month
  await w.conn.run('CREATE TABLE main.cube_county AS SELECT * FROM wh.cube_county');
});
afterAll(() => w?.close());

const ALL_MEASURES: ExploreMeasureId[] = ['labour_force', 'employed', 'transfer_employed', 'unemployed', 'not_in_labour_force', 'unemployment_rate', 'employment_rate', 'at_home', 'away', 'poverty_employed', 'relocated_employed', 'abroad'];
const PERIODS = ['2024-10', '2025-06', '2025-Q4', '2026', '2026-03', '2023'].map(periodOf);

function request(level: RegionLevel, region: string, dimensions: DimensionId[], filters: ExploreRequest['filters'] = {}): ExploreRequest {
  return { level, region, periods: PERIODS, dimensions, measures: ALL_MEASURES, filters, limit: 10_000 };
}

async function rows(req: ExploreRequest, countyCube: boolean) {
  const q = exploreQuery(req, w.coverage, { countyCube });
  return { source: q.source, rows: await w.run(q.sql, q.params) };
}

describe('explorer slices from cube_county', () => {
  const cases: [string, ExploreRequest][] = [
    ['counties of the province, no dimension', request('county', '510000', [])],
    ['counties of a city by status and sex', request('county', '511700', ['employment_status', 'sex'])],
    ['cities by age band, presence, poverty, relocated', request('city', '510000', ['age_band', 'presence', 'poverty_alleviated', 'relocated'])],
    ['the province by status, filtered by sex and flag', request('province', '510000', ['employment_status'], { sex: ['女'], poverty_alleviated: [true] })],
    ['one county by presence, filtered by status', request('county', '511702', ['presence'], { employment_status: ['23', '40'] })],
  ];
  for (const [name, req] of cases) {
    test(`${name}: the same rows as cube_month`, async () => {
      const fromCounty = await rows(req, true);
      const fromVillages = await rows(req, false);
      expect(fromCounty.source).toBe('cube_county');
      expect(fromVillages.source).toBe('cube_month');
      expect(fromVillages.rows.length).toBeGreaterThan(0);
      expect(fromCounty.rows).toEqual(fromVillages.rows);
    });
  }

  test('township and village levels, and dimensions the cube lacks, keep reading cube_month', () => {
    expect(exploreQuery(request('township', '511700', ['sex']), w.coverage, { countyCube: true }).source).toBe('cube_month');
    expect(exploreQuery(request('county', '510000', ['education']), w.coverage, { countyCube: true }).source).toBe('cube_month');
    expect(exploreQuery(request('county', '510000', []), w.coverage, { countyCube: false }).source).toBe('cube_month');
    expect(exploreQuery(request('county', '510000', [], { skill_level: ['1'] }), w.coverage, { countyCube: true }).source).toBe('cube_month');
  });

  test('rebuilding recomputed months equals the full build', async () => {
    const full = await w.run('SELECT * FROM wh.cube_county ORDER BY ALL', []);
    expect(full.length).toBeGreaterThan(0);
    await w.conn.run("CREATE OR REPLACE TABLE recompute_months AS SELECT * FROM (VALUES ('2025-06', DATE '2025-06-30'), ('2026-03', DATE '2026-03-31')) t(month, month_end)");
    await w.conn.run("UPDATE wh.cube_county SET count = count + 1000 WHERE month IN ('2025-06', '2026-03')");
    await buildCountyCube(w.conn);
    expect(await w.run('SELECT * FROM wh.cube_county ORDER BY ALL', [])).toEqual(full);
  });
});
