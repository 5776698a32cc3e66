/**
 * The collection-point source on a hand-made build: missing points, consecutive
 * months missed (counted from the last submission, the point's establishment or the
 * 12-month lookback), late submissions, and the deadline rule.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { WarehouseReader } from '../../../alerts/warehouse-reader.ts';
import { sourceWarehouse, type SourceWarehouse } from './source-warehouse.ts';
import { pointsSource } from '../../../alerts/sources/points-source.ts';
import { monthRange } from '../../../alerts/month.ts';

let source: SourceWarehouse;
let wh: WarehouseReader;
const settings = { deadlineDay: 5, festivalLagDay: 30 };
const MONTHS = monthRange('2024-01', '2025-10');

// point → months with a submission ('late' = submitted after the deadline), established on
const POINTS: Record<string, { established: string; submitted: (m: string) => 'yes' | 'late' | 'no' }> = {
  CJ1: { established: '2020-01-01', submitted: () => 'yes' },
  CJ2: { established: '2020-01-01', submitted: (m) => (m >= '2025-07' ? 'no' : 'yes') }, // stops from 2025-07
  CJ3: { established: '2025-09-15', submitted: () => 'no' }, // new in 2025-09, never submits
  CJ4: { established: '2020-01-01', submitted: (m) => (m === '2025-09' ? 'late' : 'yes') },
  CJ5: { established: '2020-01-01', submitted: () => 'no' }, // never: capped by the lookback
};

beforeAll(async () => {
  source = await sourceWarehouse({ version: 'p', data_as_of: '2025-11-20', first_month: '2024-01', last_month: '2025-11' }, async (c) => {
    await c.run('CREATE TABLE points (point_code VARCHAR, point_name VARCHAR, township_code VARCHAR, county_code VARCHAR, established_on DATE, as_of DATE)');
    await c.run(`CREATE TABLE submissions (point_code VARCHAR, county_code VARCHAR, month VARCHAR, submitted_on DATE, township_reviewed_on DATE, county_verified_on DATE,
      status VARCHAR, verified_count INTEGER, added_count INTEGER, removed_count INTEGER, batch VARCHAR)`);
    for (const [code, p] of Object.entries(POINTS)) {
      // an older points file has a point that no longer exists: the latest file counts
      await c.run("INSERT INTO points VALUES ($c, $c || '采集点', '511702001', '511702', CAST($e AS DATE), DATE '2025-10-31')", { c: code, e: p.established });
      for (const m of MONTHS) {
        const s = p.submitted(m);
        const next = monthRange(m, '2026-01')[1];
        await c.run("INSERT INTO submissions VALUES ($c, '511702', $m, CAST($d AS DATE), NULL, NULL, $st, NULL, NULL, NULL, 'b')", {
          c: code, m, d: s === 'no' ? null : s === 'late' ? `${next}-09` : `${next}-03`, st: s === 'no' ? '未报送' : '已报送',
        });
      }
    }
    await c.run("INSERT INTO points VALUES ('CJ9', 'gone', '511702001', '511702', DATE '2020-01-01', DATE '2024-12-31')");
  });
  wh = source.wh;
});

afterAll(() => source?.close());

test('missing points and consecutive months missed', async () => {
  const rows = await pointsSource.query(wh, { periods: ['2025-07', '2025-09', '2025-10'], levels: ['point'], dataAsOf: '2025-11-20', settings });
  const got = Object.fromEntries(rows.map((r) => [`${r.region} ${r.period}`, [r.q.missing, r.q.months_missing]]));
  expect(got).toEqual({
    'CJ1 2025-07': [0, 0], 'CJ1 2025-09': [0, 0], 'CJ1 2025-10': [0, 0],
    'CJ2 2025-07': [1, 1], 'CJ2 2025-09': [1, 3], 'CJ2 2025-10': [1, 4],
    'CJ3 2025-09': [1, 1], 'CJ3 2025-10': [1, 2], // not due before it existed
    'CJ4 2025-07': [0, 0], 'CJ4 2025-09': [0, 0], 'CJ4 2025-10': [0, 0], // late but submitted by the data date
    'CJ5 2025-07': [1, 12], 'CJ5 2025-09': [1, 12], 'CJ5 2025-10': [1, 12], // counted back at most 12 months
  });
  for (const r of rows) expect(r.scope).toBe('511702001');
  expect(rows.find((r) => r.region === 'CJ2' && r.period === '2025-10')!.q.days_overdue).toBe(15); // 2025-11-05 → 2025-11-20
});

test('a month applies once the data cover its deadline', () => {
  const coverage = { firstMonth: '2024-01', lastMonth: '2025-11', dataAsOf: '2025-11-20' };
  expect(pointsSource.notApplicable('2025-10', coverage, settings)).toBeUndefined();
  expect(pointsSource.notApplicable('2025-11', coverage, settings)).toMatch(/deadline 2025-12-05 .* after the data/);
  expect(pointsSource.notApplicable('2025-10', { ...coverage, dataAsOf: '2025-11-04' }, settings)).toMatch(/deadline 2025-11-05/);
});
