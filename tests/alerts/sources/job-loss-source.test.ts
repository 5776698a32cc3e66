/**
 * The clustered-job-loss source on a hand-made build: losses (events of the month from an
 * employed status to 40) and workers (cube_destination at the end of the previous month)
 * per region and destination, read once and rolled up to every level asked for, with the
 * province rate at the destination without the region; rows ordered by level, region and
 * destination. Expected values are worked out by hand below.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { WarehouseReader } from '../../../alerts/warehouse-reader.ts';
import { sourceWarehouse, type SourceWarehouse } from './source-warehouse.ts';
import { jobLossSource } from '../../../alerts/sources/job-loss-source.ts';
import type { SourceRow } from '../../../alerts/sources/quantity-source.ts';

let source: SourceWarehouse;
let wh: WarehouseReader;
const settings = { deadlineDay: 5, festivalLagDay: 30 };
const base = { periods: ['2025-03'], dataAsOf: '2025-04-30', settings };

// Workers at the end of 2025-02: village, status, dest_province, dest_city, count.
const CUBE: [string, string, string | null, string | null, number][] = [
  ['511702001001', '21', '440000', '440300', 30], // 深圳
  ['511702001001', '22', '110000', '110105', 10], // 北京朝阳: Beijing as a whole
  ['511702001001', '10', null, null, 20], // local
  ['511702001002', '30', '440000', '440300', 20],
  ['511702001002', '40', '440000', '440300', 99], // unemployed: not a worker
  ['511702002001', '21', '440000', '440300', 50],
  ['511702002001', '21', '110000', '110105', 10], // no loss there: no row of its own
  ['511703001001', '23', '440000', '440300', 100],
  ['511703001001', '24', '990000', null, 5], // abroad
];

// Events: village, date, type, status before → after, work region before, how many.
const EVENTS: [string, string, string, string, string, string, number][] = [
  ['511702001001', '2025-03-03', '状态变更', '21', '40', '440305', 6], // a district of 深圳 → 440300
  ['511702001001', '2025-03-10', '状态变更', '22', '40', '110105', 2],
  ['511702001002', '2025-03-31', '状态变更', '30', '40', '440300', 4],
  ['511702002001', '2025-03-15', '状态变更', '21', '40', '440300', 1],
  ['511703001001', '2025-03-01', '状态变更', '23', '40', '440300', 2],
  ['511703001001', '2025-03-20', '状态变更', '24', '40', '990000', 1],
  // not losses of 2025-03:
  ['511702001001', '2025-03-05', '状态变更', '50', '40', '440300', 3], // not employed before
  ['511702001001', '2025-04-01', '状态变更', '21', '40', '440300', 3], // next month
  ['511702001001', '2025-02-28', '状态变更', '21', '40', '440300', 3], // previous month
  ['511702001001', '2025-03-05', '状态变更', '21', '10', '440300', 3], // still employed
  ['511702001001', '2025-03-05', '新增', '21', '40', '440300', 3], // not a status change
];

beforeAll(async () => {
  source = await sourceWarehouse({ version: 'j', data_as_of: '2025-04-30', first_month: '2025-01', last_month: '2025-04' }, async (c) => {
    await c.run('CREATE TABLE cube_destination (village_code VARCHAR, month VARCHAR, employment_status VARCHAR, dest_province VARCHAR, dest_city VARCHAR, industry VARCHAR, count INTEGER)');
    await c.run(`CREATE TABLE events (pid VARCHAR, event_date DATE, event_type VARCHAR, reason VARCHAR, village_code VARCHAR,
      status_before VARCHAR, status_after VARCHAR, work_region_before VARCHAR)`);
    for (const [v, s, p, city, n] of CUBE) {
      await c.run("INSERT INTO cube_destination VALUES ($v, '2025-02', $s, $p, $city, 'C', $n)", { v, s, p, city, n });
    }
    // The same workers a month later, far more of them: only the previous month counts.
    await c.run("INSERT INTO cube_destination VALUES ('511702001001', '2025-03', '21', '440000', '440300', 'C', 1000)");
    let pid = 0;
    for (const [v, d, type, before, after, work, n] of EVENTS) {
      for (let k = 0; k < n; k++) {
        await c.run('INSERT INTO events VALUES ($pid, CAST($d AS DATE), $type, NULL, $v, $before, $after, $work)', { pid: `P${pid++}`, d, type, v, before, after, work });
      }
    }
  });
  wh = source.wh;
});

afterAll(() => source?.close());

const key = (r: SourceRow) => `${r.level} ${r.region} ${r.labels!.destination}`;

describe('job_loss source', () => {
  test('losses and workers per region and destination, with the province rate without the region', async () => {
    const rows = await jobLossSource.query(wh, { ...base, levels: ['city', 'county', 'township'] });
    const got = Object.fromEntries(rows.map((r) => [key(r), r.q]));
    // Totals at the destinations: 440300 lost 13 of 200 workers; 110000 lost 2 of 20; 990000 lost 1 of 5.
    expect(Object.keys(got)).toEqual([
      'city 511700 110000', 'city 511700 440300', 'city 511700 990000',
      'county 511702 110000', 'county 511702 440300', 'county 511703 440300', 'county 511703 990000',
      'township 511702001 110000', 'township 511702001 440300', 'township 511702002 440300', 'township 511703001 440300', 'township 511703001 990000',
    ]);
    const t1 = got['township 511702001 440300'];
    expect([t1.lost, t1.workers, t1.share]).toEqual([10, 50, 0.2]);
    expect(t1.province_share).toBeCloseTo(3 / 150, 12); // (13 − 10) / (200 − 50)
    expect(t1.expected).toBeCloseTo(1, 12);
    const t1b = got['township 511702001 110000'];
    expect([t1b.lost, t1b.workers, t1b.share, t1b.province_share, t1b.expected]).toEqual([2, 10, 0.2, 0, 0]); // (2 − 2) / (20 − 10)
    const c702 = got['county 511702 440300'];
    expect([c702.lost, c702.workers]).toEqual([11, 100]);
    expect(c702.province_share).toBeCloseTo(2 / 100, 12);
    expect(c702.expected).toBeCloseTo(2, 12);
    expect(got['county 511702 110000'].province_share).toBeNull(); // nobody else works in Beijing
    const c703 = got['county 511703 440300'];
    expect([c703.lost, c703.workers, c703.share]).toEqual([2, 100, 0.02]);
    expect(c703.province_share).toBeCloseTo(11 / 100, 12);
    expect(c703.expected).toBeCloseTo(11, 12);
    expect(got['township 511703001 990000']).toMatchObject({ lost: 1, workers: 5, share: 0.2, province_share: null, expected: null });
    expect(got['city 511700 440300']).toMatchObject({ lost: 13, workers: 200, province_share: null });
    for (const r of rows) {
      expect(r.period).toBe('2025-03');
      expect(r.scope).toBe(r.region);
    }
  });

  test('asking for several levels at once gives each level what asking for it alone gives', async () => {
    const both = await jobLossSource.query(wh, { ...base, levels: ['township', 'county'] });
    const alone = [...(await jobLossSource.query(wh, { ...base, levels: ['county'] })), ...(await jobLossSource.query(wh, { ...base, levels: ['township'] }))];
    expect(both).toEqual(alone);
    const village = await jobLossSource.query(wh, { ...base, levels: ['village', 'county'] });
    expect(village.filter((r) => r.level === 'county')).toEqual(alone.filter((r) => r.level === 'county'));
    expect(village.filter((r) => r.level === 'village').map(key)).toEqual([
      'village 511702001001 110000', 'village 511702001001 440300', 'village 511702001002 440300', 'village 511702002001 440300', 'village 511703001001 440300', 'village 511703001001 990000',
    ]);
  });

  test('restricted to some regions (evidence)', async () => {
    const rows = await jobLossSource.query(wh, { ...base, levels: ['county', 'township'], regions: ['511703', '511702001'] });
    expect(rows.map(key)).toEqual(['county 511703 440300', 'county 511703 990000', 'township 511702001 110000', 'township 511702001 440300']);
    expect(rows[0].q.province_share).toBeCloseTo(11 / 100, 12); // the province totals still count every region
  });
});
