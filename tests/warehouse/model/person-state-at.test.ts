/**
 * buildPersonStateAt: the state of every person active as of a date equals a plain
 * TypeScript replay of the same rows (sorted by source, date, recorded_on, batch, file,
 * row; base and 新增 set every attribute, 状态变更 its non-empty ones, 减少 ends activity),
 * for random histories full of ties on the date, events recorded after the cut-off, events
 * dated before the base, re-adds after removals and NULLs set by a 新增; and it equals the
 * last row of the timeline (person-timeline.ts) when nothing is cut off.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { buildPersonStateAt } from '../../../warehouse/model/person-state-at.ts';
import { buildPersonTimeline } from '../../../warehouse/model/person-timeline.ts';
import { warehouseDdl } from '../../../warehouse/schema/warehouse-schema.ts';

interface Row {
  pid: string;
  src: 0 | 1;
  d: string;
  rec: string;
  batch: string;
  file: string;
  rowNo: number;
  kind: 'base' | '新增' | '减少' | '状态变更';
  attrs: Attrs;
}
interface Attrs {
  employment_status: string | null;
  presence: string | null;
  village_code: string | null;
  monthly_income: number | null;
  service_needs: string[] | null;
  phone_digest: string | null;
}
const TRACKED = ['employment_status', 'presence', 'village_code', 'monthly_income', 'service_needs', 'phone_digest'] as const;

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const BASE_DATE = '2024-12-31';
const DATES = ['2024-11-30', '2024-12-31', '2025-01-15', '2025-01-15', '2025-02-01', '2025-03-31', '2025-03-31', '2025-06-30'];
const RECORDED = ['2025-01-20', '2025-02-05', '2025-04-01', '2025-04-01', '2025-07-02'];
const FILES: [string, string][] = [
  ['2025-02-01', '2025-02-01/changes_20250131.csv'],
  ['2025-02-01', '2025-02-01/changes_20250201.xlsx'],
  ['2025-05-01', '2025-05-01/changes_20250430.csv'],
  ['2025-08-01', '2025-08-01/changes_20250731.csv'],
];

function makeRows(seed: number): Row[] {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const maybe = <T>(x: T, p = 0.5): T | null => (r() < p ? x : null);
  const full = (): Attrs => ({
    employment_status: pick(['10', '21', '22', '23', '40', '50']),
    presence: maybe(pick(['在乡', '在外']), 0.8),
    village_code: pick(['510104001001', '510104001002', '511702003004']),
    monthly_income: maybe(Math.floor(r() * 9000), 0.6),
    service_needs: maybe(pick([['01'], ['01', '03'], ['05']]), 0.5),
    phone_digest: maybe(`ph${Math.floor(r() * 20)}`, 0.9),
  });
  const partial = (): Attrs => ({
    employment_status: maybe(pick(['10', '21', '40']), 0.6),
    presence: maybe(pick(['在乡', '在外']), 0.4),
    village_code: maybe('511702003004', 0.2),
    monthly_income: maybe(Math.floor(r() * 9000), 0.3),
    service_needs: maybe(['02'], 0.2),
    phone_digest: maybe(`ph${Math.floor(r() * 20)}`, 0.3),
  });
  const none: Attrs = { employment_status: null, presence: null, village_code: null, monthly_income: null, service_needs: null, phone_digest: null };
  const rows: Row[] = [];
  const nextRow = new Map<string, number>();
  for (let p = 0; p < 400; p++) {
    const pid = `p${String(p).padStart(4, '0')}`;
    if (r() < 0.8) rows.push({ pid, src: 0, d: BASE_DATE, rec: BASE_DATE, batch: '', file: '', rowNo: 0, kind: 'base', attrs: full() });
    const n = Math.floor(r() * 7);
    for (let i = 0; i < n; i++) {
      const [batch, file] = pick(FILES);
      const rowNo = (nextRow.get(file) ?? 2) + Math.floor(r() * 3);
      nextRow.set(file, rowNo + 1);
      const kind = pick(['新增', '减少', '状态变更', '状态变更'] as const);
      const attrs = kind === '新增' ? full() : kind === '状态变更' ? partial() : none;
      rows.push({ pid, src: 1, d: pick(DATES), rec: pick(RECORDED), batch, file, rowNo, kind, attrs });
    }
  }
  return rows;
}

function replay(rows: readonly Row[], through: string | null): Map<string, Attrs> {
  const key = (x: Row) => [x.src, x.d, x.rec, x.batch, x.file, String(x.rowNo).padStart(12, '0')].join('\u0000');
  const sorted = rows.filter((x) => x.src === 0 || through === null || x.rec <= through).sort((a, b) => (key(a) < key(b) ? -1 : 1));
  const state = new Map<string, { active: boolean; attrs: Attrs }>();
  for (const x of sorted) {
    const s = state.get(x.pid) ?? { active: false, attrs: { ...x.attrs } };
    if (x.kind === 'base' || x.kind === '新增') {
      s.active = true;
      s.attrs = { ...x.attrs };
    } else if (x.kind === '减少') s.active = false;
    else for (const k of TRACKED) if (x.attrs[k] !== null) (s.attrs as unknown as Record<string, unknown>)[k] = x.attrs[k];
    state.set(x.pid, s);
  }
  return new Map([...state].filter(([, s]) => s.active).map(([pid, s]) => [pid, s.attrs]));
}

let instance: DuckDBInstance;
let conn: DuckDBConnection;
const rows = makeRows(7);

async function load(conn: DuckDBConnection, rows: readonly Row[]): Promise<void> {
  await conn.run('DELETE FROM wh.base_persons');
  await conn.run('DELETE FROM wh.change_log');
  for (const x of rows) {
    const a = x.attrs;
    const values = {
      pid: x.pid,
      d: x.d,
      rec: x.rec,
      kind: x.kind,
      batch: x.batch,
      file: x.file,
      row_no: x.rowNo,
      es: a.employment_status,
      pr: a.presence,
      vc: a.village_code,
      mi: a.monthly_income,
      sn: a.service_needs === null ? null : a.service_needs.join(';'),
      ph: a.phone_digest,
    };
    const attrs = `$es, $pr, $vc, CAST($mi AS INTEGER), string_split(CAST($sn AS VARCHAR), ';'), $ph`;
    const cols = 'employment_status, presence, village_code, monthly_income, service_needs, phone_digest';
    if (x.src === 0) {
      await conn.run(
        `INSERT INTO wh.base_persons (pid, snapshot_date, ${cols}, batch, file, row_no)
         VALUES ($pid, CAST($d AS DATE), ${attrs}, $batch, $file, $row_no)`,
        { pid: values.pid, d: values.d, es: values.es, pr: values.pr, vc: values.vc, mi: values.mi, sn: values.sn, ph: values.ph, batch: 'b0', file: 'base.csv', row_no: 2 },
      );
    } else {
      await conn.run(
        `INSERT INTO wh.change_log (pid, event_date, recorded_on, event_type, reason, ${cols}, row_hash, batch, file, row_no)
         VALUES ($pid, CAST($d AS DATE), CAST($rec AS DATE), $kind, 'r', ${attrs}, md5($pid || $file || $row_no), $batch, $file, $row_no)`,
        values,
      );
    }
  }
}

async function stateOf(table: string): Promise<Map<string, Attrs>> {
  const read = await conn.runAndReadAll(`SELECT pid, employment_status, presence, village_code, monthly_income, service_needs, phone_digest FROM ${table}`);
  return new Map(
    read.getRowObjectsJS().map((o) => [
      String(o.pid),
      {
        employment_status: o.employment_status as string | null,
        presence: o.presence as string | null,
        village_code: o.village_code as string | null,
        monthly_income: o.monthly_income === null ? null : Number(o.monthly_income),
        service_needs: o.service_needs as string[] | null,
        phone_digest: o.phone_digest as string | null,
      },
    ]),
  );
}

beforeAll(async () => {
  instance = await DuckDBInstance.create(':memory:');
  conn = await instance.connect();
  await conn.run("ATTACH ':memory:' AS wh");
  for (const ddl of warehouseDdl('wh')) await conn.run(ddl);
  await load(conn, rows);
});
afterAll(() => conn?.closeSync());

describe('buildPersonStateAt', () => {
  test('the histories have the cases that matter', () => {
    const events = rows.filter((x) => x.src === 1);
    expect(events.filter((x) => x.d < BASE_DATE).length).toBeGreaterThan(20);
    expect(events.filter((x) => x.rec > '2025-04-01').length).toBeGreaterThan(50);
    const sameDay = new Set<string>();
    let ties = 0;
    for (const x of events) {
      const k = `${x.pid}|${x.d}`;
      if (sameDay.has(k)) ties++;
      sameDay.add(k);
    }
    expect(ties).toBeGreaterThan(50);
  });

  for (const through of ['2025-01-20', '2025-04-01', '2025-12-31']) {
    test(`state as of ${through} equals the TypeScript replay`, async () => {
      await buildPersonStateAt(conn, 'state_at', { recorded_through: through });
      const got = await stateOf('state_at');
      const want = replay(rows, through);
      expect(got.size).toBe(want.size);
      expect(want.size).toBeGreaterThan(150);
      for (const [pid, attrs] of want) expect(got.get(pid), pid).toEqual(attrs);
    });
  }

  test('split into pid-hash partitions (as at 30 M persons) it gives the same states, each person once', async () => {
    const through = '2025-04-01';
    await buildPersonStateAt(conn, 'state_one', { recorded_through: through }, { partitions: 1 });
    const one = await stateOf('state_one');
    for (const partitions of [2, 3, 7]) {
      await buildPersonStateAt(conn, 'state_parts', { recorded_through: through }, { partitions });
      const rowsOut = Number((await conn.runAndReadAll('SELECT count(*) AS n FROM state_parts')).getRowObjectsJS()[0].n);
      expect(rowsOut, `${partitions} partitions`).toBe(one.size);
      expect(await stateOf('state_parts'), `${partitions} partitions`).toEqual(one);
    }
    // the partitions are not all in one: each holds some persons
    const sizes = (await conn.runAndReadAll('SELECT hash(pid) % 3 AS p, count(*) AS n FROM state_one GROUP BY 1')).getRowObjectsJS();
    expect(sizes).toHaveLength(3);
    await expect(buildPersonStateAt(conn, 'state_parts', { recorded_through: through }, { partitions: 0 })).rejects.toThrow(/positive integer/);
  });

  test('with nothing cut off it equals the last row of the timeline', async () => {
    await buildPersonStateAt(conn, 'state_all', { recorded_through: '2099-12-31' });
    await buildPersonTimeline(conn, { table: 'tl', affectedOnly: false }, {});
    await conn.run(`CREATE OR REPLACE TABLE tl_last AS SELECT * FROM (
        SELECT *, row_number() OVER (PARTITION BY pid ORDER BY ord DESC) AS rn FROM tl) WHERE rn = 1 AND active`);
    expect(await stateOf('state_all')).toEqual(await stateOf('tl_last'));
  });

  test('a row number beyond its field stops the query instead of mis-ordering', async () => {
    await conn.run("UPDATE wh.change_log SET row_no = 1099511627776 WHERE rowid = (SELECT min(rowid) FROM wh.change_log)");
    await expect(buildPersonStateAt(conn, 'state_bad', { recorded_through: '2099-12-31' })).rejects.toThrow(/row number beyond 2\^40/);
  });
});
