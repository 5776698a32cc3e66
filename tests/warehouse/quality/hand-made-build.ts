/**
 * A small hand-made warehouse build (the table shapes of docs/warehouse.md) for exact
 * tests of the quality SQL: two counties of 达州 (511702 通川区, 511703 达川区), three
 * townships, seven villages, five points, a dozen persons with chosen defects.
 */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';

export const DDL = [
  `CREATE TABLE meta (key VARCHAR NOT NULL, value VARCHAR)`,
  `CREATE TABLE regions (code VARCHAR NOT NULL, name VARCHAR NOT NULL, level VARCHAR NOT NULL, parent VARCHAR, city_code VARCHAR, county_code VARCHAR, township_code VARCHAR)`,
  `CREATE TABLE person_spells (pid VARCHAR NOT NULL, valid_from DATE NOT NULL, valid_to DATE, township_code VARCHAR, county_code VARCHAR, city_code VARCHAR,
     village_code VARCHAR, point_code VARCHAR, sex VARCHAR, birth_date DATE, education VARCHAR, skill_level VARCHAR, poverty_alleviated BOOLEAN, relocated BOOLEAN,
     veteran BOOLEAN, employment_status VARCHAR, presence VARCHAR, work_region_code VARCHAR, industry VARCHAR, employer VARCHAR, monthly_income INTEGER,
     training_wish BOOLEAN, service_needs VARCHAR[], registered_on DATE, verified_on DATE, review_status VARCHAR)`,
  `CREATE TABLE events (pid VARCHAR NOT NULL, event_date DATE NOT NULL, recorded_on DATE NOT NULL, event_type VARCHAR NOT NULL, reason VARCHAR NOT NULL,
     village_code VARCHAR, township_code VARCHAR, county_code VARCHAR, city_code VARCHAR, point_code VARCHAR, status_before VARCHAR, status_after VARCHAR,
     presence_before VARCHAR, presence_after VARCHAR, work_region_before VARCHAR, work_region_after VARCHAR, poverty_alleviated BOOLEAN, relocated BOOLEAN,
     sex VARCHAR, age_band VARCHAR, batch VARCHAR NOT NULL, file VARCHAR NOT NULL, row_no BIGINT NOT NULL)`,
  `CREATE TABLE quarantine (run_id VARCHAR NOT NULL, batch VARCHAR NOT NULL, file VARCHAR NOT NULL, row_no BIGINT, column_key VARCHAR, raw_value VARCHAR, reason VARCHAR NOT NULL, message VARCHAR)`,
  `CREATE TABLE reconciliation_summary (snapshot_date DATE NOT NULL, county_code VARCHAR, kind VARCHAR NOT NULL, count INTEGER NOT NULL)`,
  `CREATE TABLE pii_vault (pid VARCHAR NOT NULL, nonce BLOB NOT NULL, ciphertext BLOB NOT NULL, key_id VARCHAR NOT NULL, recorded_on DATE NOT NULL)`,
  `CREATE TABLE points (point_code VARCHAR NOT NULL, point_name VARCHAR, township_code VARCHAR, county_code VARCHAR, established_on DATE, as_of DATE NOT NULL)`,
  `CREATE TABLE point_villages (point_code VARCHAR NOT NULL, village_code VARCHAR NOT NULL, as_of DATE NOT NULL)`,
  `CREATE TABLE submissions (point_code VARCHAR NOT NULL, county_code VARCHAR, month VARCHAR NOT NULL, submitted_on DATE, township_reviewed_on DATE,
     county_verified_on DATE, status VARCHAR NOT NULL, verified_count INTEGER, added_count INTEGER, removed_count INTEGER, batch VARCHAR NOT NULL)`,
  `CREATE TABLE rosters (roster_type VARCHAR NOT NULL, pid VARCHAR NOT NULL, village_code VARCHAR, county_code VARCHAR, as_of DATE NOT NULL)`,
  `CREATE TABLE loaded_files (run_id VARCHAR NOT NULL, batch VARCHAR NOT NULL, rel_path VARCHAR NOT NULL, kind VARCHAR NOT NULL, sha256 VARCHAR NOT NULL,
     format VARCHAR, encoding VARCHAR, rows_read BIGINT NOT NULL, rows_loaded BIGINT NOT NULL, rows_quarantined BIGINT NOT NULL, file_date DATE,
     bytes BIGINT, mtime_ms BIGINT)`,
];

// Villages: T1 = 511702001 (v 001, 002, 003), T2 = 511702002 (v 001, 002), T3 = 511703001 (v 001, 002)
export const V = {
  a: '511702001001',
  b: '511702001002',
  c: '511702001003',
  d: '511702002001',
  e: '511702002002',
  f: '511703001001',
  g: '511703001002',
} as const;

const REGIONS = [
  ['510000', '四川省', 'province', null],
  ['511700', '达州市', 'city', '510000'],
  ['511702', '通川区', 'county', '511700'],
  ['511703', '达川区', 'county', '511700'],
  ['511702001', '东城街道', 'township', '511702'],
  ['511702002', '西城街道', 'township', '511702'],
  ['511703001', '三里坪街道', 'township', '511703'],
  ...Object.entries(V).map(([k, code]) => [code, `村${k}`, 'village', code.slice(0, 9)]),
] as const;

/** Persons: pid, village, status, work region, birth date, income, verified_on, poverty, relocated. Active from 2025-01-01 unless noted. */
export const PERSONS: readonly (readonly [string, string, string, string | null, string, number | null, string, boolean, boolean])[] = [
  ['p01', V.a, '23', '440300', '1990-05-01', 5000, '2025-03-20', true, false], // fine
  ['p02', V.a, '23', '510104', '1988-01-01', 5200, '2025-03-20', false, false], // 23 with a Sichuan work region
  ['p03', V.a, '22', '511702', '1985-07-07', 4000, '2025-03-20', false, false], // 22 inside the home county
  ['p04', V.b, '21', '511702', '1965-03-31', 3000, '2025-03-20', false, false], // turns 60 on 2025-03-31
  ['p05', V.b, '21', '511703', '1970-01-01', 3000, '2024-12-31', true, true], // 21 outside the home county; stale (verified 2024-12-31, 3 months before 2025-03-31)
  ['p06', V.c, '24', '990000', '1992-02-29', 300000, '2025-03-01', false, false], // income above max (and abroad OK)
  ['p07', V.c, '23', '330100', '1995-06-15', 500, '2025-03-01', true, false], // wage income below min
  ['p08', V.d, '40', null, '1999-09-09', null, '2025-01-02', false, true], // stale: 2025-01-02 + 3 months = 04-02 > 03-31 → not stale
  ['p09', V.d, '10', null, '1958-12-01', null, '2025-03-02', false, false], // 66 years old
  ['p10', V.f, '30', null, '2000-01-01', 2500, '2024-11-30', false, false], // stale: 2024-11-30 + 3 months = 2025-02-28 ≤ 03-31
  ['p11', V.g, '24', '440300', '1991-01-01', 8000, '2025-03-15', false, false], // 24 not abroad
];

export async function createHandMadeBuild(path = ':memory:'): Promise<{ instance: DuckDBInstance; conn: DuckDBConnection }> {
  const instance = await DuckDBInstance.create(path);
  const conn = await instance.connect();
  await conn.run("SET TimeZone = 'Asia/Shanghai'");
  for (const d of DDL) await conn.run(d);
  const meta = { version: 'test', data_as_of: '2025-03-31', first_month: '2025-01', last_month: '2025-03' };
  for (const [k, v] of Object.entries(meta)) await conn.run('INSERT INTO meta VALUES ($k, $v)', { k, v });
  for (const [code, name, level, parent] of REGIONS) {
    const city = level === 'province' ? null : `${code.slice(0, 4)}00`;
    const county = level === 'county' || level === 'township' || level === 'village' ? code.slice(0, 6) : null;
    const township = level === 'township' || level === 'village' ? code.slice(0, 9) : null;
    await conn.run('INSERT INTO regions VALUES ($code, $name, $level, $parent, $city, $county, $township)', { code, name, level, parent, city, county, township });
  }
  for (const [pid, village, status, wr, birth, income, verified, pov, rel] of PERSONS) {
    await conn.run(
      `INSERT INTO person_spells (pid, valid_from, valid_to, township_code, county_code, city_code, village_code, point_code, sex, birth_date,
         poverty_alleviated, relocated, employment_status, presence, work_region_code, monthly_income, registered_on, verified_on, review_status)
       VALUES ($pid, DATE '2025-01-01', NULL, substr($v, 1, 9), substr($v, 1, 6), substr($v, 1, 4) || '00', $v, 'P', '男', CAST($birth AS DATE),
         $pov, $rel, $status, '在外', $wr, $income, DATE '2020-01-01', CAST($verified AS DATE), '县级已复核')`,
      { pid, v: village, status, wr, birth, income, verified, pov, rel },
    );
  }
  // p12 left on 2025-02-10 (not active at the end of March; active at the end of January).
  await conn.run(
    `INSERT INTO person_spells (pid, valid_from, valid_to, township_code, county_code, city_code, village_code, point_code, sex, birth_date,
       poverty_alleviated, relocated, employment_status, presence, work_region_code, monthly_income, registered_on, verified_on, review_status)
     VALUES ('p12', DATE '2025-01-01', DATE '2025-02-10', '511703001', '511703', '511700', $v, 'P', '女', DATE '1980-01-01', true, false, '23', '在外', '510104', NULL,
       DATE '2020-01-01', DATE '2024-09-01', '县级已复核')`,
    { v: V.f },
  );
  // Events: p01 returns home although already at home (conflict); p03 flips 22 → 40 → 22 within 5 days; p07 21 → 40 → 21 after 20 days (no flip).
  const ev = (pid: string, date: string, type: string, reason: string, v: string, sb: string | null, sa: string | null, pb: string | null, pa: string | null, row: number) =>
    conn.run(
      `INSERT INTO events VALUES ($pid, CAST($d AS DATE), CAST($d AS DATE), $type, $reason, $v, substr($v, 1, 9), substr($v, 1, 6), substr($v, 1, 4) || '00', 'P',
         $sb, $sa, $pb, $pa, NULL, NULL, false, false, '男', '25-34', 'b', 'b/changes.csv', $row)`,
      { pid, d: date, type, reason, v, sb, sa, pb, pa, row },
    );
  await ev('p01', '2025-01-20', '状态变更', '返乡', V.a, '23', '23', '在乡', '在乡', 2);
  await ev('p01', '2025-02-15', '状态变更', '外出', V.a, '23', '23', '在乡', '在外', 3);
  await ev('p03', '2025-02-01', '状态变更', '就业变动', V.a, '22', '40', '在外', '在外', 4);
  await ev('p03', '2025-02-06', '状态变更', '就业变动', V.a, '40', '22', '在外', '在外', 5);
  await ev('p07', '2025-01-05', '状态变更', '就业变动', V.c, '23', '40', '在外', '在外', 6);
  await ev('p07', '2025-01-25', '状态变更', '就业变动', V.c, '40', '23', '在外', '在外', 7);
  await ev('p11', '2025-03-10', '状态变更', '返乡', V.g, '24', '24', '在外', '在外', 8); // presence not changed by a 返乡
  // Points (latest file 2025-03-31; an older file 2025-02-28 that must be ignored):
  // P1 = {a} own; P2 = {b, c} merged; P3 = {c} → c in two points; d uncovered; P4 = {e}; P5 = {f, g} merged (established 2025-02-15)
  const points = [
    ['CJ511702001001', '511702001', '2020-01-01', [V.a]],
    ['CJ511702001002', '511702001', '2020-01-01', [V.b, V.c]],
    ['CJ511702001003', '511702001', '2020-01-01', [V.c]],
    ['CJ511702002001', '511702002', '2020-01-01', [V.e]],
    ['CJ511703001001', '511703001', '2025-02-15', [V.f, V.g]],
  ] as const;
  for (const [code, township, est, villages] of points) {
    await conn.run(`INSERT INTO points VALUES ($code, $code || '采集点', $township, substr($township, 1, 6), CAST($est AS DATE), DATE '2025-03-31')`, { code, township, est });
    for (const v of villages) await conn.run(`INSERT INTO point_villages VALUES ($code, $v, DATE '2025-03-31')`, { code, v });
  }
  await conn.run(`INSERT INTO points VALUES ('OLD', 'old', '511702002', '511702', DATE '2019-01-01', DATE '2025-02-28')`);
  await conn.run(`INSERT INTO point_villages VALUES ('OLD', $v, DATE '2025-02-28')`, { v: V.d });
  // Submissions (deadline = the 5th of the next month).
  const sub = (point: string, month: string, status: string, submitted: string | null, town: string | null, county: string | null) =>
    conn.run(`INSERT INTO submissions VALUES ($point, substr($point, 3, 6), $month, CAST($s AS DATE), CAST($t AS DATE), CAST($c AS DATE), $status, 1, 0, 0, 'b')`, {
      point,
      month,
      status,
      s: submitted,
      t: town,
      c: county,
    });
  await sub('CJ511702001001', '2025-01', '县级已复核', '2025-02-03', '2025-02-04', '2025-02-05'); // on time, verified
  await sub('CJ511702001002', '2025-01', '乡镇已审核', '2025-02-06', '2025-02-07', null); // late, county backlog
  await sub('CJ511702001003', '2025-01', '已报送', '2025-02-05', null, null); // on time (on the deadline), township backlog
  await sub('CJ511702002001', '2025-01', '退回', '2025-02-01', null, null); // returned, on time
  // CJ511702002001 has no row for 2025-02 and 2025-03; CJ511703001001 due from 2025-02 (established 02-15).
  await sub('CJ511703001001', '2025-02', '未报送', null, null, null);
  await sub('CJ511703001001', '2025-03', '已报送', '2025-03-28', null, null);
  await sub('CJ511702001001', '2025-03', '县级已复核', '2025-03-30', '2025-03-30', '2025-03-31');
  // Rosters (as of 2025-03-31): poverty: p01 (match), p05 (registry village b, roster says a), p07 (match), p12 (left), X1 (unknown);
  // registry flags poverty for p01, p05, p07 → all on the roster. Relocated: p05 (match), p09 (not flagged); registry flags p08 (not on roster).
  const roster = (type: string, pid: string, v: string) => conn.run(`INSERT INTO rosters VALUES ($type, $pid, $v, substr($v, 1, 6), DATE '2025-03-31')`, { type, pid, v });
  await roster('脱贫劳动力', 'p01', V.a);
  await roster('脱贫劳动力', 'p05', V.a);
  await roster('脱贫劳动力', 'p07', V.c);
  await roster('脱贫劳动力', 'p12', V.f);
  await roster('脱贫劳动力', 'X1', V.g);
  await roster('易地搬迁', 'p05', V.b);
  await roster('易地搬迁', 'p09', V.d);
  // Quarantine: 3 rows of a file dated 2025-03-31, 1 row of a file dated 2024-12-31 (before the first month: ignored).
  await conn.run(`INSERT INTO loaded_files VALUES ('r', 'b', 'b/changes.csv', 'changes', 'x', 'csv', 'utf-8', 100, 97, 3, DATE '2025-03-31', 1, 1),
                                                  ('r', 'b', 'b/persons_20241231.csv', 'base', 'y', 'csv', 'utf-8', 10, 9, 1, DATE '2024-12-31', 1, 1)`);
  for (const row of [2, 9, 11]) await conn.run(`INSERT INTO quarantine VALUES ('r', 'b', 'b/changes.csv', $row, 'id_number', 'x', 'bad_check_character', 'm')`, { row });
  await conn.run(`INSERT INTO quarantine VALUES ('r', 'b', 'b/persons_20241231.csv', 5, 'sex', 'x', 'sex_mismatch', 'm')`);
  await conn.run(`INSERT INTO reconciliation_summary VALUES (DATE '2025-03-31', '511702', 'missing', 1), (DATE '2025-03-31', '511702', 'different', 2), (DATE '2025-03-31', '511703', 'extra', 1)`);
  return { instance, conn };
}
