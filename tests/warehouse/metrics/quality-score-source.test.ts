/**
 * quality_score: with the data-quality tables of issue 9 in the build, the catalogue
 * serves the full score of warehouse/quality (same value, numerator, denominator);
 * without them, the interim formula (checked in metric-values.test.ts).
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { createHandMadeBuild } from '../quality/hand-made-build.ts';
import { buildQualityTables } from '../../../warehouse/quality/build-quality-tables.ts';
import { qualityScores } from '../../../warehouse/quality/quality-scores.ts';
import { connectionQuery } from '../../../warehouse/quality/warehouse-query.ts';
import { computeMetricValues } from '../../../warehouse/metrics/metric-values.ts';
import { readWarehouseCoverage } from '../../../warehouse/metrics/warehouse-coverage.ts';
import { periodOf } from '../../../warehouse/metrics/period.ts';
import type { SqlRunner } from '../../../warehouse/metrics/sql-runner.ts';

let instance: DuckDBInstance;
let conn: DuckDBConnection;
let run: SqlRunner;
beforeAll(async () => {
  ({ instance, conn } = await createHandMadeBuild());
  await buildQualityTables(conn);
  const q = connectionQuery(conn);
  run = (sql, params) => q(sql, [...params]);
});
afterAll(() => {
  conn?.closeSync();
  instance?.closeSync();
});

test('the full data-quality score is served when the build has the dq tables', async () => {
  const coverage = await readWarehouseCoverage(run);
  const periods = [periodOf('2025-01'), periodOf('2025-Q1')];
  const regions = ['510000', '511702'];
  const got = await computeMetricValues(run, coverage, { regions, periods, metrics: ['quality_score'] });
  const want = await qualityScores(run, { regions, periods: [{ id: '2025-01', months: ['2025-01'] }, { id: '2025-Q1', months: ['2025-01', '2025-02', '2025-03'] }] });
  expect(want.length).toBe(4);
  for (const w of want) {
    expect(w.score).not.toBeNull();
    expect(got.get(w.region, w.period, 'quality_score')).toEqual({ value: w.score, numerator: w.numerator, denominator: w.denominator });
  }
});
