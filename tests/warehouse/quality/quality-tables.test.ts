/**
 * The quality tables and the score on a small hand-made build whose every defect is
 * known: exact rows and counts per region.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHandMadeBuild, V } from './hand-made-build.ts';
import { buildQualityTables } from '../../../warehouse/quality/build-quality-tables.ts';
import { qualityScores } from '../../../warehouse/quality/quality-scores.ts';
import { connectionQuery } from '../../../warehouse/quality/warehouse-query.ts';
import { qualitySettings } from '../../../warehouse/quality/quality-settings.ts';
import type { SqlRunner } from '../../../warehouse/metrics/sql-runner.ts';

let instance: DuckDBInstance;
let conn: DuckDBConnection;
let q: ReturnType<typeof connectionQuery>;
const run: SqlRunner = (sql, params) => q(sql, [...params]);

beforeAll(async () => {
  ({ instance, conn } = await createHandMadeBuild());
  q = connectionQuery(conn);
  await buildQualityTables(conn);
});
afterAll(() => {
  conn?.closeSync();
  instance?.closeSync();
});

const rows = (sql: string, params: (string | number)[] = []) => q(sql, params);

describe('coverage', () => {
  test('each village gets its points and issue from the latest points file only', async () => {
    const v = await rows('SELECT village_code, point_count, registered, issue FROM dq_village_coverage ORDER BY village_code');
    expect(v).toEqual([
      { village_code: V.a, point_count: 1, registered: 3, issue: null },
      { village_code: V.b, point_count: 1, registered: 2, issue: null },
      { village_code: V.c, point_count: 2, registered: 2, issue: 'multi_point' },
      { village_code: V.d, point_count: 0, registered: 2, issue: 'uncovered' }, // only the older file's point covered it
      { village_code: V.e, point_count: 1, registered: 0, issue: null },
      { village_code: V.f, point_count: 1, registered: 1, issue: null },
      { village_code: V.g, point_count: 1, registered: 1, issue: null },
    ]);
  });

  test('per county and township: uncovered, multi-point, merged points, coverage rate', async () => {
    const r = await rows('SELECT region_code, villages, compliant, uncovered, multi_point, points, merged_points, coverage_rate FROM dq_coverage ORDER BY region_code');
    expect(r).toEqual([
      { region_code: '510000', villages: 7, compliant: 5, uncovered: 1, multi_point: 1, points: 5, merged_points: 2, coverage_rate: 5 / 7 },
      { region_code: '511700', villages: 7, compliant: 5, uncovered: 1, multi_point: 1, points: 5, merged_points: 2, coverage_rate: 5 / 7 },
      { region_code: '511702', villages: 5, compliant: 3, uncovered: 1, multi_point: 1, points: 4, merged_points: 1, coverage_rate: 3 / 5 },
      { region_code: '511702001', villages: 3, compliant: 2, uncovered: 0, multi_point: 1, points: 3, merged_points: 1, coverage_rate: 2 / 3 },
      { region_code: '511702002', villages: 2, compliant: 1, uncovered: 1, multi_point: 0, points: 1, merged_points: 0, coverage_rate: 1 / 2 },
      { region_code: '511703', villages: 2, compliant: 2, uncovered: 0, multi_point: 0, points: 1, merged_points: 1, coverage_rate: 1 },
      { region_code: '511703001', villages: 2, compliant: 2, uncovered: 0, multi_point: 0, points: 1, merged_points: 1, coverage_rate: 1 },
    ]);
  });

  test('a village of threshold+ registered persons sharing its point is flagged (threshold 2 here)', async () => {
    const { instance: i2, conn: c2 } = await createHandMadeBuild();
    try {
      await buildQualityTables(c2, { settings: { largeVillageThreshold: 2 } });
      const v = await connectionQuery(c2)("SELECT village_code, issue FROM dq_village_coverage WHERE large ORDER BY village_code");
      // a (3, own point) fine; b (2) shares CJ…002 with c → large_shared; c (2) multi_point; d (2) uncovered
      expect(v).toEqual([
        { village_code: V.a, issue: null },
        { village_code: V.b, issue: 'large_shared' },
        { village_code: V.c, issue: 'multi_point' },
        { village_code: V.d, issue: 'uncovered' },
      ]);
      const c = await connectionQuery(c2)("SELECT large_villages, large_with_own_point, large_shared FROM dq_coverage WHERE region_code = '511702'");
      expect(c).toEqual([{ large_villages: 4, large_with_own_point: 1, large_shared: 1 }]);
    } finally {
      c2.closeSync();
      i2.closeSync();
    }
  });
});

describe('timeliness and review', () => {
  test('per point and month: on time, late, reviewed, returned, backlog, non-reporting', async () => {
    const r = await rows(
      `SELECT point_code, month, status, submitted, on_time, late, township_reviewed, county_verified, returned, backlog_township, backlog_county, days_late
       FROM dq_point_month WHERE month = '2025-01' ORDER BY point_code`,
    );
    expect(r).toEqual([
      { point_code: 'CJ511702001001', month: '2025-01', status: '县级已复核', submitted: true, on_time: true, late: false, township_reviewed: true, county_verified: true, returned: false, backlog_township: false, backlog_county: false, days_late: 0 },
      { point_code: 'CJ511702001002', month: '2025-01', status: '乡镇已审核', submitted: true, on_time: false, late: true, township_reviewed: true, county_verified: false, returned: false, backlog_township: false, backlog_county: true, days_late: 1 },
      { point_code: 'CJ511702001003', month: '2025-01', status: '已报送', submitted: true, on_time: true, late: false, township_reviewed: false, county_verified: false, returned: false, backlog_township: true, backlog_county: false, days_late: 0 },
      { point_code: 'CJ511702002001', month: '2025-01', status: '退回', submitted: true, on_time: true, late: false, township_reviewed: false, county_verified: false, returned: true, backlog_township: false, backlog_county: false, days_late: 0 },
    ]);
    // The point established on 2025-02-15 is due from February; the non-reporting point is overdue 26 days for February (deadline 03-05, data 03-31).
    const feb = await rows("SELECT point_code, submitted, days_late FROM dq_point_month WHERE month = '2025-02' ORDER BY point_code");
    expect(feb.map((x) => x.point_code)).toEqual(['CJ511702001001', 'CJ511702001002', 'CJ511702001003', 'CJ511702002001', 'CJ511703001001']);
    expect(feb.every((x) => x.submitted === false && x.days_late === 26)).toBe(true);
  });

  test('per region and month: rates, backlog per township and county, deadline passed', async () => {
    const r = await rows(
      `SELECT region_code, month, deadline_passed, points_due, submitted, on_time, late, not_submitted, county_verified, returned, backlog_township, backlog_county, on_time_rate
       FROM dq_timeliness WHERE region_code IN ('511702', '511702001', '511703') ORDER BY region_code, month`,
    );
    expect(r).toEqual([
      { region_code: '511702', month: '2025-01', deadline_passed: true, points_due: 4, submitted: 4, on_time: 3, late: 1, not_submitted: 0, county_verified: 1, returned: 1, backlog_township: 1, backlog_county: 1, on_time_rate: 0.75 },
      { region_code: '511702', month: '2025-02', deadline_passed: true, points_due: 4, submitted: 0, on_time: 0, late: 0, not_submitted: 4, county_verified: 0, returned: 0, backlog_township: 0, backlog_county: 0, on_time_rate: 0 },
      { region_code: '511702', month: '2025-03', deadline_passed: false, points_due: 4, submitted: 1, on_time: 1, late: 0, not_submitted: 3, county_verified: 1, returned: 0, backlog_township: 0, backlog_county: 0, on_time_rate: 0.25 },
      { region_code: '511702001', month: '2025-01', deadline_passed: true, points_due: 3, submitted: 3, on_time: 2, late: 1, not_submitted: 0, county_verified: 1, returned: 0, backlog_township: 1, backlog_county: 1, on_time_rate: 2 / 3 },
      { region_code: '511702001', month: '2025-02', deadline_passed: true, points_due: 3, submitted: 0, on_time: 0, late: 0, not_submitted: 3, county_verified: 0, returned: 0, backlog_township: 0, backlog_county: 0, on_time_rate: 0 },
      { region_code: '511702001', month: '2025-03', deadline_passed: false, points_due: 3, submitted: 1, on_time: 1, late: 0, not_submitted: 2, county_verified: 1, returned: 0, backlog_township: 0, backlog_county: 0, on_time_rate: 1 / 3 },
      { region_code: '511703', month: '2025-02', deadline_passed: true, points_due: 1, submitted: 0, on_time: 0, late: 0, not_submitted: 1, county_verified: 0, returned: 0, backlog_township: 0, backlog_county: 0, on_time_rate: 0 },
      { region_code: '511703', month: '2025-03', deadline_passed: false, points_due: 1, submitted: 1, on_time: 1, late: 0, not_submitted: 0, county_verified: 0, returned: 0, backlog_township: 1, backlog_county: 0, on_time_rate: 1 },
    ]);
  });

  test('the deadline day is configurable: the 6th makes the late point on time', async () => {
    const { instance: i2, conn: c2 } = await createHandMadeBuild();
    try {
      await buildQualityTables(c2, { settings: { deadlineDay: 6 } });
      const r = await connectionQuery(c2)("SELECT on_time, late FROM dq_timeliness WHERE region_code = '511702' AND month = '2025-01'");
      expect(r).toEqual([{ on_time: 4, late: 0 }]);
    } finally {
      c2.closeSync();
      i2.closeSync();
    }
  });
});

describe('record checks', () => {
  test('the worklist holds exactly the planted findings', async () => {
    const r = await rows('SELECT check_id, pid, month FROM dq_person_findings ORDER BY check_id, pid');
    expect(r.map((x) => `${x.check_id}:${x.pid}:${x.month}`)).toEqual([
      'age_over_limit:p04:2025-03', // 60 on the data date exactly
      'age_over_limit:p09:2025-03',
      'income_out_of_range:p06:2025-03',
      'income_out_of_range:p07:2025-03',
      'presence_reason_conflict:p01:2025-01', // 返乡 while already at home
      'presence_reason_conflict:p11:2025-03', // 返乡 that left presence 在外
      'stale:p05:2025-03', // verified 2024-12-31, exactly 3 months
      'stale:p10:2025-03',
      'status_flip:p03:2025-02', // 22 → 40 → 22 in 5 days (p07's took 20 days)
      'status_work_region:p02:2025-03', // 23 in Chengdu
      'status_work_region:p03:2025-03', // 22 in the home county
      'status_work_region:p05:2025-03', // 21 in another county
      'status_work_region:p11:2025-03', // 24 in Shenzhen
    ]);
    const detail = await rows("SELECT detail FROM dq_person_findings WHERE check_id = 'status_flip'");
    expect(detail[0].detail).toBe('就业状态 22→40→22（5天内）');
  });

  test('monthly counts follow the state at each month end (p12 left on 2025-02-10)', async () => {
    const r = await rows(
      `SELECT region_code, month, active, stale, status_work_region, age_over_limit, income_out_of_range, presence_reason_conflict, status_flip, shared_phone
       FROM dq_record_checks WHERE level IN ('county', 'province') ORDER BY region_code, month`,
    );
    const row = (region_code: string, month: string, active: number, stale: number, swr: number, age: number, inc: number, prc: number, flip: number) => ({
      region_code,
      month,
      active,
      stale,
      status_work_region: swr,
      age_over_limit: age,
      income_out_of_range: inc,
      presence_reason_conflict: prc,
      status_flip: flip,
      shared_phone: null, // no keys given: the phone check is unavailable, not zero
    });
    expect(r).toEqual([
      row('510000', '2025-01', 12, 1, 5, 1, 2, 1, 0),
      row('510000', '2025-02', 11, 1, 4, 1, 2, 0, 1),
      row('510000', '2025-03', 11, 2, 4, 2, 2, 1, 0),
      row('511702', '2025-01', 9, 0, 3, 1, 2, 1, 0),
      row('511702', '2025-02', 9, 0, 3, 1, 2, 0, 1),
      row('511702', '2025-03', 9, 1, 3, 2, 2, 0, 0),
      row('511703', '2025-01', 3, 1, 2, 0, 0, 0, 0),
      row('511703', '2025-02', 2, 1, 1, 0, 0, 0, 0),
      row('511703', '2025-03', 2, 1, 1, 0, 0, 1, 0),
    ]);
  });

  test('settings are validated', () => {
    expect(() => qualitySettings({ deadlineDay: 31 })).toThrow(/deadlineDay/);
    expect(() => qualitySettings({ wageIncomeMin: 60_000 })).toThrow(/wageIncomeMin/);
    expect(qualitySettings({ staleMonths: 2 }).staleMonths).toBe(2);
  });
});

describe('cross-department comparison', () => {
  test('findings by roster type and kind, counted under the right village', async () => {
    const r = await rows('SELECT roster_type, kind, pid, registry_village, roster_village, county_code FROM dq_roster_findings ORDER BY roster_type, kind, pid');
    expect(r).toEqual([
      { roster_type: '易地搬迁', kind: 'not_flagged', pid: 'p09', registry_village: V.d, roster_village: V.d, county_code: '511702' },
      { roster_type: '易地搬迁', kind: 'not_on_roster', pid: 'p08', registry_village: V.d, roster_village: null, county_code: '511702' },
      { roster_type: '脱贫劳动力', kind: 'not_in_registry', pid: 'X1', registry_village: null, roster_village: V.g, county_code: '511703' },
      { roster_type: '脱贫劳动力', kind: 'not_in_registry', pid: 'p12', registry_village: null, roster_village: V.f, county_code: '511703' },
      { roster_type: '脱贫劳动力', kind: 'village_mismatch', pid: 'p05', registry_village: V.b, roster_village: V.a, county_code: '511702' },
    ]);
    const c = await rows("SELECT roster_type, roster_persons, registry_flagged, matched, not_in_registry, not_on_roster, not_flagged, village_mismatch FROM dq_cross_department WHERE region_code = '511702' ORDER BY roster_type");
    expect(c).toEqual([
      { roster_type: '易地搬迁', roster_persons: 2, registry_flagged: 2, matched: 1, not_in_registry: 0, not_on_roster: 1, not_flagged: 1, village_mismatch: 0 },
      { roster_type: '脱贫劳动力', roster_persons: 3, registry_flagged: 3, matched: 2, not_in_registry: 0, not_on_roster: 0, not_flagged: 0, village_mismatch: 1 },
    ]);
  });
});

describe('score inputs', () => {
  test('quarantine counts only files dated in the report months; without a county column only the province has them', async () => {
    expect(await rows('SELECT region_code, month, quarantined FROM dq_quarantine_month')).toEqual([{ region_code: '510000', month: '2025-03', quarantined: 3 }]);
    expect(await rows("SELECT value FROM dq_meta WHERE key = 'quarantine_by_county'")).toEqual([{ value: 'false' }]);
  });

  test('with a county column on quarantine the rows are counted per county', async () => {
    const { instance: i2, conn: c2 } = await createHandMadeBuild();
    try {
      await c2.run("ALTER TABLE quarantine ADD COLUMN county_code VARCHAR; UPDATE quarantine SET county_code = CASE WHEN row_no = 2 THEN '511703' ELSE '511702' END");
      await buildQualityTables(c2);
      const r = await connectionQuery(c2)('SELECT region_code, month, quarantined FROM dq_quarantine_month ORDER BY region_code');
      expect(r).toEqual([
        { region_code: '510000', month: '2025-03', quarantined: 3 },
        { region_code: '511700', month: '2025-03', quarantined: 3 },
        { region_code: '511702', month: '2025-03', quarantined: 2 },
        { region_code: '511703', month: '2025-03', quarantined: 1 },
      ]);
    } finally {
      c2.closeSync();
      i2.closeSync();
    }
  });

  test('reconciliation differences per county and month', async () => {
    expect(await rows("SELECT region_code, differences FROM dq_reconciliation_month WHERE month = '2025-03' ORDER BY region_code")).toEqual([
      { region_code: '510000', differences: 4 },
      { region_code: '511700', differences: 4 },
      { region_code: '511702', differences: 3 },
      { region_code: '511703', differences: 1 },
    ]);
  });
});

describe('attached build', () => {
  test('with catalog: the tables are read from and written to the attached build (as in the refresh, where the build is wh)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rlm-dq-attach-'));
    try {
      const { instance: i2, conn: c2 } = await createHandMadeBuild(join(dir, 'build.duckdb'));
      c2.closeSync();
      i2.closeSync();
      const scratch = await DuckDBInstance.create(':memory:');
      const sc = await scratch.connect();
      try {
        await sc.run(`ATTACH '${join(dir, 'build.duckdb').replaceAll("'", "''")}' AS wh`);
        await buildQualityTables(sc, { catalog: 'wh' });
        const n = await connectionQuery(sc)("SELECT count(*) AS n FROM wh.dq_person_findings");
        expect(n).toEqual([{ n: 13 }]);
        const local = await connectionQuery(sc)("SELECT count(*) AS n FROM information_schema.tables WHERE table_catalog = 'memory' AND starts_with(table_name, 'dq_')");
        expect(local).toEqual([{ n: 0 }]);
      } finally {
        sc.closeSync();
        scratch.closeSync();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a catalog name that is not an identifier is refused', async () => {
    await expect(buildQualityTables(conn, { catalog: 'wh; DROP TABLE meta' })).rejects.toThrow(/invalid catalog/);
  });
});

describe('quality score', () => {
  test('county 511702 in January: each component from its counts, missing ones left out', async () => {
    const [s] = await qualityScores(run, { regions: ['511702'], periods: [{ id: '2025-01', months: ['2025-01'] }] });
    const c = s.components;
    expect(c.coverage).toEqual({ value: 0.6, weight: 15, numerator: 3, denominator: 5 });
    expect(c.timeliness).toEqual({ value: 0.75, weight: 15, numerator: 3, denominator: 4 });
    expect(c.review).toEqual({ value: 0.25, weight: 10, numerator: 1, denominator: 4 });
    expect(c.currency).toEqual({ value: 1, weight: 10, numerator: 9, denominator: 9 });
    expect(c.quarantine.value).toBeNull(); // not attributable to counties in this build
    expect(c.plausibility).toEqual({ value: 0, weight: 10, numerator: 7, denominator: 9 }); // 7 findings of 9 records ≫ 5 %
    expect(c.consistency.value).toBeNull(); // no snapshot after the base
    expect(c.cross_department).toEqual({ value: 3 / 7, weight: 10, numerator: 3, denominator: 7 });
    expect(c.sampling.value).toBeNull();
    const expected = (100 * (15 * 0.6 + 15 * 0.75 + 10 * 0.25 + 10 * 1 + 10 * 0 + 10 * (3 / 7))) / 70;
    expect(s.score).toBeCloseTo(expected, 10);
    expect(s.denominator).toBe(70);
  });

  test('a quarter pools flows over its months and takes stocks at its end; sampling enters where given', async () => {
    const sampling = new Map([['511702', { matches: 90, verified: 100, population: 9 }]]);
    const [s] = await qualityScores(run, { regions: ['511702'], periods: [{ id: '2025-Q1', months: ['2025-01', '2025-02', '2025-03'] }], sampling });
    // deadlines passed for January and February only: due 4 + 4, on time 3 + 0
    expect(s.components.timeliness).toEqual({ value: 3 / 8, weight: 15, numerator: 3, denominator: 8 });
    // stale at the end of March: 1 of 9
    expect(s.components.currency).toEqual({ value: 8 / 9, weight: 10, numerator: 8, denominator: 9 });
    expect(s.components.sampling).toMatchObject({ weight: 15, numerator: 90, denominator: 100 });
    expect(s.components.sampling.value).toBeCloseTo(0.5, 12); // 1 − (1 − 0.9) / 0.2
  });

  test('the province has the quarantine component (3 rows of 11 records ≫ 2 %)', async () => {
    const [s] = await qualityScores(run, { regions: ['510000'], periods: [{ id: '2025-03', months: ['2025-03'] }] });
    expect(s.components.quarantine).toEqual({ value: 0, weight: 10, numerator: 3, denominator: 11 });
    expect(s.components.timeliness.value).toBeNull(); // March's deadline (04-05) is after the data
  });

  test('a persons snapshot dated in the period brings the consistency component (表库相符)', async () => {
    const { instance: i2, conn: c2 } = await createHandMadeBuild();
    try {
      await c2.run("INSERT INTO loaded_files VALUES ('r', 'b', 'b/persons_20250331.csv', 'snapshot', 'z', 'csv', 'utf-8', 11, 11, 0, DATE '2025-03-31', 1, 1)");
      await buildQualityTables(c2);
      const q2 = connectionQuery(c2);
      const scores = await qualityScores((sql, p) => q2(sql, [...p]), { regions: ['511703', '511702'], periods: [{ id: '2025-03', months: ['2025-03'] }, { id: '2025-02', months: ['2025-02'] }] });
      const get = (r: string, p: string) => scores.find((x) => x.region === r && x.period === p)!.components.consistency;
      expect(get('511703', '2025-03')).toEqual({ value: 0, weight: 5, numerator: 1, denominator: 2 }); // 1 difference per 2 records ≫ 1 %
      expect(get('511702', '2025-03')).toEqual({ value: 0, weight: 5, numerator: 3, denominator: 9 });
      expect(get('511702', '2025-02').value).toBeNull(); // no snapshot in February
    } finally {
      c2.closeSync();
      i2.closeSync();
    }
  });

  test('a build without the quality tables gives unknown scores, not an error', async () => {
    const { instance: i2, conn: c2 } = await createHandMadeBuild();
    try {
      const q2 = connectionQuery(c2);
      const [s] = await qualityScores((sql, p) => q2(sql, [...p]), { regions: ['511702'], periods: [{ id: '2025-03', months: ['2025-03'] }] });
      expect(s).toMatchObject({ region: '511702', period: '2025-03', score: null, numerator: null, denominator: null });
      expect(Object.values(s.components).every((c) => c.value === null)).toBe(true);
    } finally {
      c2.closeSync();
      i2.closeSync();
    }
  });

  test('another deadline day recomputes on-time points from the point months', async () => {
    const [s] = await qualityScores(run, { regions: ['511702'], periods: [{ id: '2025-01', months: ['2025-01'] }], deadlineDay: 6 });
    expect(s.components.timeliness).toEqual({ value: 1, weight: 15, numerator: 4, denominator: 4 });
  });
});
