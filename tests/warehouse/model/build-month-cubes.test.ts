/**
 * buildMonthCubes: the month cubes of the months in recompute_months equal a count in
 * plain TypeScript over the same spells (a spell counts at a month when valid_from <=
 * month_end < valid_to, valid_to NULL open), for spells whose dates fall on and around
 * month ends, a partial last month (month_end is the as-of date), a month left out of the
 * recomputation, age bands that change on a month end; rows of months not recomputed are
 * kept, stale rows of recomputed months replaced.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { buildMonthCubes } from '../../../warehouse/model/build-aggregates.ts';
import { warehouseDdl } from '../../../warehouse/schema/warehouse-schema.ts';
import { installValidationMacros } from '../../../warehouse/validate/validation-macros.ts';
import { EMPLOYED_STATUSES, WORK_REGION_STATUSES } from '../../../warehouse/contract/codes.ts';

interface Spell {
  pid: string;
  valid_from: string;
  valid_to: string | null;
  village_code: string;
  employment_status: string;
  presence: string | null;
  sex: string;
  birth_date: string;
  poverty_alleviated: boolean | null;
  relocated: boolean | null;
  veteran: boolean | null;
  education: string | null;
  skill_level: string | null;
  training_wish: boolean | null;
  work_region_code: string | null;
  industry: string | null;
  service_needs: string[] | null;
}

/** Recomputed months: March left out, June partial (data as of 2025-06-12). */
const MONTHS: [string, string][] = [
  ['2025-01', '2025-01-31'],
  ['2025-02', '2025-02-28'],
  ['2025-04', '2025-04-30'],
  ['2025-05', '2025-05-31'],
  ['2025-06', '2025-06-12'],
];

/** Days on, just before and just after the month ends (and the as-of date), plus a few others. */
const DAYS = [
  '2024-11-15', '2024-12-31', '2025-01-01', '2025-01-30', '2025-01-31', '2025-02-01', '2025-02-27', '2025-02-28', '2025-03-01',
  '2025-03-15', '2025-03-31', '2025-04-01', '2025-04-30', '2025-05-01', '2025-05-31', '2025-06-01', '2025-06-11', '2025-06-12',
  '2025-06-13', '2025-06-30', '2025-07-01', '2025-09-09',
];

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function makeSpells(): Spell[] {
  const r = rng(20251126);
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const out: Spell[] = [];
  for (let p = 0; p < 600; p++) {
    // birthdays on or next to month ends, at band limits (24/25, 34/35, 54/55, 59/60 years)
    const years = pick([2000, 1990, 1970, 1965, 1984, 2008]);
    const birth = `${years}-${pick(['01-31', '02-01', '02-28', '04-30', '05-01', '05-31', '06-12', '06-13', '03-15'])}`;
    const cuts = [...new Set(Array.from({ length: 1 + Math.floor(r() * 3) }, () => pick(DAYS)))].sort();
    const ends: (string | null)[] = [...cuts.slice(1), r() < 0.7 ? null : pick(DAYS.filter((d) => d > cuts[cuts.length - 1]).concat([null as unknown as string]))];
    const village = pick(['510104001001', '510104001002', '511702003004', '513401001001']);
    for (let i = 0; i < cuts.length; i++) {
      const status = pick(['10', '21', '22', '23', '24', '30', '40', '50']);
      out.push({
        pid: `p${p}`,
        valid_from: cuts[i],
        valid_to: ends[i] ?? null,
        village_code: r() < 0.9 ? village : pick(['510104001001', '511702003004']),
        employment_status: status,
        presence: pick(['在乡', '在外', null]),
        sex: pick(['男', '女']),
        birth_date: birth,
        poverty_alleviated: pick([true, false, null]),
        relocated: pick([true, false, null]),
        veteran: pick([true, false, null]),
        education: pick(['20', '30', null]),
        skill_level: pick(['1', '2', null]),
        training_wish: pick([true, false, null]),
        work_region_code: pick(['440300', '440000', '990000', '510100', null]),
        industry: pick(['C', 'E', null]),
        service_needs: pick([[], ['01'], ['01', '03'], ['02'], null]),
      });
    }
  }
  return out;
}

/** Completed years on a day, then the band (as the refresh's rlm_age_band). */
function ageBand(birth: string, day: string): string {
  const [by, bm, bd] = birth.split('-').map(Number);
  const [y, m, d] = day.split('-').map(Number);
  const age = y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
  return age < 25 ? '16-24' : age < 35 ? '25-34' : age < 45 ? '35-44' : age < 55 ? '45-54' : age < 60 ? '55-59' : '60+';
}

type Row = (string | number | boolean | null)[];
const key = (row: Row): string => JSON.stringify(row);

function countRows(rows: Row[]): string[] {
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(key(r), (counts.get(key(r)) ?? 0) + 1);
  return [...counts].map(([k, n]) => key([...JSON.parse(k), n])).sort();
}

function expected(spells: Spell[]) {
  const month: Row[] = [];
  const destination: Row[] = [];
  const need: Row[] = [];
  for (const [m, end] of MONTHS) {
    for (const s of spells) {
      if (!(s.valid_from <= end && (s.valid_to === null || s.valid_to > end))) continue;
      month.push([s.village_code, m, s.employment_status, s.presence, s.sex, ageBand(s.birth_date, end), s.poverty_alleviated ?? false,
        s.relocated ?? false, s.veteran ?? false, s.education, s.skill_level, s.training_wish ?? false]);
      if (EMPLOYED_STATUSES.includes(s.employment_status as never)) {
        const w = WORK_REGION_STATUSES.includes(s.employment_status as never) ? s.work_region_code : null;
        const province = w === null ? null : w === '990000' ? '990000' : `${w.slice(0, 2)}0000`;
        const city = w === null || w.endsWith('0000') ? null : `${w.slice(0, 4)}00`;
        destination.push([s.village_code, m, s.employment_status, province, city, s.industry]);
      }
      for (const n of s.service_needs ?? []) need.push([s.village_code, m, n, s.employment_status]);
    }
  }
  return { cube_month: countRows(month), cube_destination: countRows(destination), cube_service_need: countRows(need) };
}

let instance: DuckDBInstance;
let conn: DuckDBConnection;
const spells = makeSpells();

async function rowsOf(sql: string): Promise<string[]> {
  const rows = (await conn.runAndReadAll(sql)).getRowsJS() as Row[];
  return rows.map((r) => key(r.map((v) => (typeof v === 'bigint' ? Number(v) : v)))).sort();
}

beforeAll(async () => {
  instance = await DuckDBInstance.create(':memory:');
  conn = await instance.connect();
  await conn.run("ATTACH ':memory:' AS wh");
  for (const ddl of warehouseDdl('wh')) await conn.run(ddl);
  await installValidationMacros(conn);
  const cols = Object.keys(spells[0]) as (keyof Spell)[];
  for (const s of spells) {
    await conn.run(
      `INSERT INTO wh.person_spells (${cols.join(', ')}) VALUES (${cols.map((c) => (c === 'service_needs' ? `$${c}::VARCHAR[]` : c === 'valid_from' || c === 'valid_to' || c === 'birth_date' ? `$${c}::DATE` : `$${c}`)).join(', ')})`,
      Object.fromEntries(cols.map((c) => [c, c === 'service_needs' ? (s.service_needs === null ? null : JSON.stringify(s.service_needs).replaceAll('"', "'")) : s[c]])) as never,
    );
  }
  await conn.run('CREATE TABLE recompute_months (month VARCHAR, month_end DATE)');
  for (const [m, end] of MONTHS) await conn.run('INSERT INTO recompute_months VALUES ($m, $end::DATE)', { m, end });
  // a row of a month not recomputed (kept) and a stale row of a recomputed one (replaced)
  for (const month of ['2025-03', '2025-04']) {
    await conn.run(`INSERT INTO wh.cube_month VALUES ('510104001001', $month, '10', '在乡', '男', '25-34', false, false, false, '20', '1', false, 999)`, { month });
    await conn.run(`INSERT INTO wh.cube_destination VALUES ('510104001001', $month, '10', NULL, NULL, 'C', 999)`, { month });
    await conn.run(`INSERT INTO wh.cube_service_need VALUES ('510104001001', $month, '01', '10', 999)`, { month });
  }
  await buildMonthCubes(conn);
});
afterAll(() => {
  conn?.closeSync();
  instance?.closeSync();
});

describe('buildMonthCubes', () => {
  const want = expected(spells);
  for (const t of ['cube_month', 'cube_destination', 'cube_service_need'] as const) {
    test(`${t}: the recomputed months equal the count over the spells`, async () => {
      expect(want[t].length).toBeGreaterThan(50);
      expect(await rowsOf(`SELECT * FROM wh.${t} WHERE month <> '2025-03'`)).toEqual(want[t]);
    });
    test(`${t}: a month not recomputed keeps its rows`, async () => {
      expect(await rowsOf(`SELECT count(*), sum(count) FROM wh.${t} WHERE month = '2025-03'`)).toEqual([key([1, 999])]);
    });
  }

  test('the cases the dates were chosen for occur', () => {
    const at = (s: Spell, end: string) => s.valid_from <= end && (s.valid_to === null || s.valid_to > end);
    // a spell ending exactly on a month end (not counted there), one starting on it (counted), one starting after the partial as-of date
    expect(spells.some((s) => s.valid_to === '2025-04-30')).toBe(true);
    expect(spells.some((s) => s.valid_from === '2025-04-30' && at(s, '2025-04-30'))).toBe(true);
    expect(spells.some((s) => s.valid_from === '2025-06-13')).toBe(true);
    expect(spells.some((s) => s.valid_from <= '2025-06-12' && s.valid_to === '2025-06-12')).toBe(true);
    // an age band that changes between two recomputed months for the same spell
    expect(spells.some((s) => at(s, '2025-04-30') && at(s, '2025-05-31') && ageBand(s.birth_date, '2025-04-30') !== ageBand(s.birth_date, '2025-05-31'))).toBe(true);
  });

  test('cube_county is rebuilt from cube_month for the recomputed months', async () => {
    const fromMonth = await rowsOf(`SELECT substr(village_code, 1, 6), month, employment_status, presence, sex, age_band, poverty_alleviated, relocated, sum(count)::INTEGER
      FROM wh.cube_month GROUP BY ALL`);
    expect(await rowsOf('SELECT * FROM wh.cube_county')).toEqual(fromMonth);
  });
});
