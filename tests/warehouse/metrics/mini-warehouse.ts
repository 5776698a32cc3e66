/**
 * A small warehouse build with the documented table shapes (docs/warehouse.md), filled
 * with seeded random figures for a handful of real villages and rolled up to every level
 * in plain TypeScript, so metric SQL can be checked against an independent computation.
 * In-memory DuckDB, time zone pinned.
 */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { loadRegions } from '../../../warehouse/reference/regions.ts';
import { springFestivalDate } from '../../../warehouse/reference/festival.ts';
import type { SqlRunner, SqlValue } from '../../../warehouse/metrics/sql-runner.ts';
import type { WarehouseCoverage } from '../../../warehouse/metrics/warehouse-coverage.ts';
import { addMonths, monthEndDate } from '../../../warehouse/metrics/period.ts';
import { addDays } from '../../../warehouse/metrics/festival-window.ts';

export const STOCKS = ['s10', 's21', 's22', 's23', 's24', 's30', 's40', 's50', 'at_home', 'away', 'poverty_total', 'poverty_transfer', 'relocated_total', 'relocated_transfer'] as const;
export type AggRow = Record<(typeof STOCKS)[number] | 'increases' | 'decreases' | 'labour_force' | 'employed' | 'transfer' | 'unemployed', number>;

export interface FestivalRow {
  festival_year: number;
  day: number;
  village: string;
  dest_province: string;
  sex: string;
  returned: number;
  departed: number;
}
export interface PointRow {
  point_code: string;
  township_code: string;
  county_code: string;
  established_on: string;
  villages: string[];
}
export interface SubmissionRow {
  point_code: string;
  month: string;
  submitted_on: string | null;
  status: string;
}

export interface CubeMonthRow {
  village_code: string;
  month: string;
  employment_status: string;
  presence: string;
  sex: string;
  age_band: string;
  poverty_alleviated: boolean;
  relocated: boolean;
  veteran: boolean;
  education: string | null;
  skill_level: string | null;
  training_wish: boolean;
  count: number;
}
export interface CubeDestinationRow {
  village_code: string;
  month: string;
  employment_status: string;
  dest_province: string | null;
  dest_city: string | null;
  industry: string | null;
  count: number;
}
export interface CubeServiceNeedRow {
  village_code: string;
  month: string;
  service_need: string;
  employment_status: string;
  count: number;
}
export interface FlowRow {
  village_code: string;
  month: string;
  event_type: string;
  reason: string;
  count: number;
}

export interface MiniWarehouse {
  readonly run: SqlRunner;
  readonly conn: DuckDBConnection;
  readonly coverage: WarehouseCoverage;
  readonly months: string[];
  /** Villages with data; `emptyVillage` is in the reference but has no rows. */
  readonly villages: string[];
  readonly emptyVillage: string;
  /** All region codes with their villages (province, city, counties, townships, villages). */
  readonly regionVillages: Map<string, string[]>;
  /** agg row of a village in a month. */
  readonly agg: Map<string, AggRow>;
  readonly festival: FestivalRow[];
  readonly points: PointRow[];
  readonly submissions: SubmissionRow[];
  readonly quarantineByCounty: Map<string, number>;
  readonly reconciliation: { snapshot_date: string; county_code: string; kind: string; count: number }[];
  readonly cubeMonth: CubeMonthRow[];
  readonly cubeDestination: CubeDestinationRow[];
  readonly cubeServiceNeed: CubeServiceNeedRow[];
  readonly flows: FlowRow[];
  close(): void;
}

function sfc32(seed: number) {
  let a = 0x9e3779b9, b = 0x243f6a88, c = 0xb7e15162, d = seed >>> 0;
  return () => {
    a >>>= 0; b >>>= 0; c >>>= 0; d >>>= 0;
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
}

export const FIRST_MONTH = '2024-10';
export const LAST_MONTH = '2026-03';
export const DATA_AS_OF = '2026-03-20';

export function regionsOfVillage(v: string): string[] {
  return ['510000', `${v.slice(0, 4)}00`, v.slice(0, 6), v.slice(0, 9), v];
}

/** Builds the warehouse in memory, or in `file` (closed again, for a server to open). */
export async function buildMiniWarehouse(seed = 7, file = ':memory:'): Promise<MiniWarehouse> {
  const rnd = sfc32(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
  const tree = loadRegions();
  const townships = ['511702001', '511702002', '511703001'];
  const villages: string[] = [];
  for (const t of townships) villages.push(...tree.children(t).slice(0, 3).map((r) => r.code));
  const emptyVillage = tree.children('511702001')[3].code;
  const months: string[] = [];
  for (let m = FIRST_MONTH; m <= LAST_MONTH; m = addMonths(m, 1)) months.push(m);

  const agg = new Map<string, AggRow>();
  for (const v of villages) {
    for (const m of months) {
      const s = { s10: int(0, 40), s21: int(0, 40), s22: int(0, 60), s23: int(0, 60), s24: int(0, 3), s30: int(0, 20), s40: int(0, 8), s50: int(0, 20) };
      const labour_force = Object.values(s).reduce((a, b) => a + b, 0);
      const employed = s.s10 + s.s21 + s.s22 + s.s23 + s.s24 + s.s30;
      const transfer = employed - s.s10;
      const away = int(0, labour_force);
      const poverty_total = int(0, Math.floor(labour_force / 3));
      const relocated_total = int(0, Math.floor(labour_force / 5));
      agg.set(`${v}|${m}`, {
        ...s,
        labour_force,
        employed,
        transfer,
        unemployed: s.s40,
        at_home: labour_force - away,
        away,
        poverty_total,
        poverty_transfer: Math.min(poverty_total, int(0, transfer)),
        relocated_total,
        relocated_transfer: Math.min(relocated_total, int(0, transfer)),
        increases: int(0, 6),
        decreases: int(0, 6),
      });
    }
  }
  const regionVillages = new Map<string, string[]>();
  for (const v of [...villages, emptyVillage]) {
    for (const r of regionsOfVillage(v)) {
      if (!regionVillages.has(r)) regionVillages.set(r, []);
      if (v !== emptyVillage) regionVillages.get(r)!.push(v);
    }
  }

  const festival: FestivalRow[] = [];
  for (const year of [2025, 2026]) {
    const day0 = springFestivalDate(year);
    for (let day = -45; day <= 60; day++) {
      if (addDays(day0, day) > DATA_AS_OF) continue;
      for (const v of villages) {
        for (const dest of ['440300', '510100']) {
          for (const sex of ['男', '女']) {
            const returned = day < 0 && rnd() < 0.4 ? int(0, 4) : 0;
            const departed = day > 2 && rnd() < 0.3 ? int(0, 4) : 0;
            if (returned || departed) festival.push({ festival_year: year, day, village: v, dest_province: dest, sex, returned, departed });
          }
        }
      }
    }
  }

  // Points: one per village, except the first two villages of the first township sharing one;
  // the last village of the last township is in no point; one point is established mid-history.
  const points: PointRow[] = [];
  const covered = villages.slice(0, -1);
  points.push({ point_code: `CJ${villages[0].slice(0, 9)}01`, township_code: villages[0].slice(0, 9), county_code: villages[0].slice(0, 6), established_on: '2020-01-01', villages: [villages[0], villages[1], emptyVillage] });
  for (const v of covered.slice(2)) {
    points.push({ point_code: `CJ${v.slice(0, 9)}${v.slice(-2)}`, township_code: v.slice(0, 9), county_code: v.slice(0, 6), established_on: v === covered[4] ? '2025-06-15' : '2021-03-01', villages: [v] });
  }
  const submissions: SubmissionRow[] = [];
  for (const p of points) {
    for (const m of months) {
      const r = rnd();
      if (r < 0.15) {
        submissions.push({ point_code: p.point_code, month: m, submitted_on: null, status: '未报送' });
        continue;
      }
      const next = addMonths(m, 1);
      const submitted_on = r < 0.6 ? `${m}-${String(int(25, 28)).padStart(2, '0')}` : `${next}-${String(int(1, 9)).padStart(2, '0')}`;
      if (submitted_on > DATA_AS_OF) {
        submissions.push({ point_code: p.point_code, month: m, submitted_on: null, status: '未报送' });
        continue;
      }
      submissions.push({ point_code: p.point_code, month: m, submitted_on, status: rnd() < 0.5 ? '已报送' : '县级已复核' });
    }
  }
  const quarantineByCounty = new Map([['511702', 7], ['511703', 3]]);
  const reconciliation = [
    { snapshot_date: '2025-03-31', county_code: '511702', kind: 'missing', count: 2 },
    { snapshot_date: '2025-03-31', county_code: '511703', kind: 'different', count: 5 },
    { snapshot_date: '2026-02-28', county_code: '511702', kind: 'extra', count: 1 },
  ];

  const pick = <T>(xs: readonly T[]): T => xs[int(0, xs.length - 1)];
  const STATUSES = ['10', '21', '22', '23', '24', '30', '40', '50'];
  const cubeMonth: CubeMonthRow[] = [];
  const cubeDestination: CubeDestinationRow[] = [];
  const cubeServiceNeed: CubeServiceNeedRow[] = [];
  const flows: FlowRow[] = [];
  for (const v of villages) {
    for (const m of months) {
      for (let i = 0; i < 6; i++) {
        cubeMonth.push({
          village_code: v, month: m, employment_status: pick(STATUSES), presence: pick(['在外', '在乡']), sex: pick(['男', '女']),
          age_band: pick(['16-24', '25-34', '35-44', '45-54', '55-59', '60+']), poverty_alleviated: rnd() < 0.3, relocated: rnd() < 0.2,
          veteran: rnd() < 0.05, education: rnd() < 0.1 ? null : pick(['10', '20', '30', '40', '50']), skill_level: pick(['0', '1', '2']), training_wish: rnd() < 0.4,
          count: int(1, 30),
        });
      }
      for (let i = 0; i < 4; i++) {
        const status = pick(['21', '22', '23', '24']);
        const city = status === '24' ? '990000' : pick(['440300', '441900', '510100', '330100']);
        cubeDestination.push({ village_code: v, month: m, employment_status: status, dest_province: city === '990000' ? '990000' : `${city.slice(0, 2)}0000`, dest_city: city === '990000' ? null : city, industry: pick(['C', 'E', 'H']), count: int(1, 20) });
      }
      for (let i = 0; i < 3; i++) cubeServiceNeed.push({ village_code: v, month: m, service_need: pick(['职业介绍', '职业培训', '政策咨询']), employment_status: pick(STATUSES), count: int(1, 10) });
      for (const [type, reason] of [['新增', '新成长劳动力'], ['新增', '外地迁入'], ['减少', '死亡'], ['减少', '其他'], ['状态变更', '返乡']]) {
        if (rnd() < 0.7) flows.push({ village_code: v, month: m, event_type: type, reason, count: int(1, 5) });
      }
    }
  }

  const instance = await DuckDBInstance.create(file);
  const conn = await instance.connect();
  await conn.run("SET TimeZone = 'Asia/Shanghai'");
  const ddl = `
    CREATE TABLE meta(key VARCHAR, value VARCHAR);
    CREATE TABLE regions(code VARCHAR, name VARCHAR, level VARCHAR, parent VARCHAR, city_code VARCHAR, county_code VARCHAR, township_code VARCHAR);
    CREATE TABLE agg_region_month(region_code VARCHAR, level VARCHAR, month VARCHAR, labour_force BIGINT, s10 BIGINT, s21 BIGINT, s22 BIGINT, s23 BIGINT, s24 BIGINT, s30 BIGINT, s40 BIGINT, s50 BIGINT,
      employed BIGINT, transfer BIGINT, unemployed BIGINT, at_home BIGINT, away BIGINT, poverty_total BIGINT, poverty_transfer BIGINT, relocated_total BIGINT, relocated_transfer BIGINT, increases BIGINT, decreases BIGINT);
    CREATE TABLE festival_daily(festival_year INTEGER, day INTEGER, region_code VARCHAR, level VARCHAR, dest_province VARCHAR, sex VARCHAR, age_band VARCHAR, poverty_alleviated BOOLEAN, returned BIGINT, departed BIGINT);
    CREATE TABLE points(point_code VARCHAR, point_name VARCHAR, township_code VARCHAR, county_code VARCHAR, established_on DATE, as_of DATE);
    CREATE TABLE point_villages(point_code VARCHAR, village_code VARCHAR, as_of DATE);
    CREATE TABLE submissions(point_code VARCHAR, county_code VARCHAR, month VARCHAR, submitted_on DATE, township_reviewed_on DATE, county_verified_on DATE, status VARCHAR, verified_count INTEGER, added_count INTEGER, removed_count INTEGER, batch VARCHAR);
    CREATE TABLE quarantine(run_id VARCHAR, batch VARCHAR, file VARCHAR, row_no BIGINT, column_key VARCHAR, raw_value VARCHAR, reason VARCHAR, message VARCHAR, county_code VARCHAR);
    CREATE TABLE reconciliation_summary(snapshot_date DATE, county_code VARCHAR, kind VARCHAR, count BIGINT);
    CREATE TABLE agg_flows(region_code VARCHAR, level VARCHAR, month VARCHAR, event_type VARCHAR, reason VARCHAR, count INTEGER);
    CREATE TABLE cube_month(village_code VARCHAR, month VARCHAR, employment_status VARCHAR, presence VARCHAR, sex VARCHAR, age_band VARCHAR,
      poverty_alleviated BOOLEAN, relocated BOOLEAN, veteran BOOLEAN, education VARCHAR, skill_level VARCHAR, training_wish BOOLEAN, count INTEGER);
    CREATE TABLE cube_destination(village_code VARCHAR, month VARCHAR, employment_status VARCHAR, dest_province VARCHAR, dest_city VARCHAR, industry VARCHAR, count INTEGER);
    CREATE TABLE cube_service_need(village_code VARCHAR, month VARCHAR, service_need VARCHAR, employment_status VARCHAR, count INTEGER);`;
  for (const stmt of ddl.split(';').map((s) => s.trim()).filter(Boolean)) await conn.run(stmt);

  const insert = async (table: string, rows: SqlValue[][]) => {
    if (!rows.length) return;
    const width = rows[0].length;
    for (let i = 0; i < rows.length; i += 500) {
      const chunk = rows.slice(i, i + 500);
      await conn.run(`INSERT INTO ${table} VALUES ${chunk.map(() => `(${Array(width).fill('?').join(', ')})`).join(', ')}`, chunk.flat() as never);
    }
  };
  await insert('meta', [['version', 'mini-1'], ['data_as_of', DATA_AS_OF], ['first_month', FIRST_MONTH], ['last_month', LAST_MONTH], ['built_at', '2026-03-21T02:00:00Z']]);
  const regionRows: SqlValue[][] = [];
  for (const code of regionVillages.keys()) {
    const r = tree.byCode.get(code)!;
    regionRows.push([r.code, r.name, r.level, r.parent, r.level === 'province' ? null : `${code.slice(0, 4)}00`, code.length >= 6 && r.level !== 'city' ? code.slice(0, 6) : null, code.length >= 9 ? code.slice(0, 9) : null]);
  }
  // A village elsewhere in the city, in the reference but outside every point and without data.
  await insert('regions', regionRows);

  const aggRows: SqlValue[][] = [];
  const cols = ['labour_force', 's10', 's21', 's22', 's23', 's24', 's30', 's40', 's50', 'employed', 'transfer', 'unemployed', 'at_home', 'away', 'poverty_total', 'poverty_transfer', 'relocated_total', 'relocated_transfer', 'increases', 'decreases'] as const;
  for (const [region, vs] of regionVillages) {
    if (vs.length === 0) continue;
    const level = tree.byCode.get(region)!.level;
    for (const m of months) {
      const sum = cols.map((c) => vs.reduce((a, v) => a + agg.get(`${v}|${m}`)![c], 0));
      aggRows.push([region, level, m, ...sum]);
    }
  }
  await insert('agg_region_month', aggRows);

  const fest = new Map<string, { returned: number; departed: number }>();
  for (const f of festival) {
    for (const r of regionsOfVillage(f.village)) {
      const k = `${f.festival_year}|${f.day}|${r}|${f.dest_province}|${f.sex}`;
      const cur = fest.get(k) ?? { returned: 0, departed: 0 };
      cur.returned += f.returned;
      cur.departed += f.departed;
      fest.set(k, cur);
    }
  }
  await insert(
    'festival_daily',
    [...fest].map(([k, v]) => {
      const [year, day, region, dest, sex] = k.split('|');
      return [Number(year), Number(day), region, tree.byCode.get(region)!.level, dest, sex, '25-34', false, v.returned, v.departed];
    }),
  );

  // An older points snapshot with a different structure: must be ignored (latest as_of wins).
  await insert('points', [
    ...points.map((p) => [p.point_code, `${p.point_code}采集点`, p.township_code, p.county_code, p.established_on, '2026-02-28']),
    ['CJOLD', '旧采集点', villages[0].slice(0, 9), villages[0].slice(0, 6), '2019-01-01', '2025-01-31'],
  ]);
  await insert('point_villages', [
    ...points.flatMap((p) => p.villages.map((v) => [p.point_code, v, '2026-02-28'])),
    ['CJOLD', villages[villages.length - 1], '2025-01-31'],
  ]);
  await insert(
    'submissions',
    submissions.map((s) => [s.point_code, s.point_code.slice(2, 8), s.month, s.submitted_on, null, null, s.status, null, null, null, '2026-03-21']),
  );
  const qRows: SqlValue[][] = [];
  for (const [county, n] of quarantineByCounty) for (let i = 0; i < n; i++) qRows.push(['run1', '2026-03-21', 'changes.csv', i + 2, 'id_number', 'x', 'bad_check_character', 'm', county]);
  await insert('quarantine', qRows);
  await insert('reconciliation_summary', reconciliation.map((r) => [r.snapshot_date, r.county_code, r.kind, r.count]));

  await insert('cube_month', cubeMonth.map((r) => [r.village_code, r.month, r.employment_status, r.presence, r.sex, r.age_band, r.poverty_alleviated, r.relocated, r.veteran, r.education, r.skill_level, r.training_wish, r.count]));
  await insert('cube_destination', cubeDestination.map((r) => [r.village_code, r.month, r.employment_status, r.dest_province, r.dest_city, r.industry, r.count]));
  await insert('cube_service_need', cubeServiceNeed.map((r) => [r.village_code, r.month, r.service_need, r.employment_status, r.count]));
  const flowAgg = new Map<string, number>();
  for (const f of flows) {
    for (const r of regionsOfVillage(f.village_code)) {
      const k = `${r}|${f.month}|${f.event_type}|${f.reason}`;
      flowAgg.set(k, (flowAgg.get(k) ?? 0) + f.count);
    }
  }
  await insert('agg_flows', [...flowAgg].map(([k, n]) => {
    const [r, m, t, reason] = k.split('|');
    return [r, tree.byCode.get(r)!.level, m, t, reason, n];
  }));

  const run: SqlRunner = async (sql, params) => {
    const reader = await conn.runAndReadAll(sql, params as never);
    return reader.getRowObjectsJS().map((r) => {
      const o: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(r)) o[k] = typeof v === 'bigint' ? Number(v) : v;
      return o;
    });
  };
  return {
    run,
    conn,
    coverage: { firstMonth: FIRST_MONTH, lastMonth: LAST_MONTH, dataAsOf: DATA_AS_OF, version: 'mini-1' },
    months,
    villages,
    emptyVillage,
    regionVillages,
    agg,
    festival,
    points,
    submissions,
    quarantineByCounty,
    reconciliation,
    cubeMonth,
    cubeDestination,
    cubeServiceNeed,
    flows,
    close: () => {
      conn.closeSync();
      instance.closeSync();
    },
  };
}

export { monthEndDate };
