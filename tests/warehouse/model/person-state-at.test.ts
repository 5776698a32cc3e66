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
import { BASE_DATE, loadHistories, makeRows, readState, replay } from './random-histories.ts';

let instance: DuckDBInstance;
let conn: DuckDBConnection;
const rows = makeRows(7);

beforeAll(async () => {
  instance = await DuckDBInstance.create(':memory:');
  conn = await instance.connect();
  await conn.run("ATTACH ':memory:' AS wh");
  for (const ddl of warehouseDdl('wh')) await conn.run(ddl);
  await loadHistories(conn, rows);
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
      const got = await readState(conn, 'state_at');
      const want = replay(rows, through);
      expect(got.size).toBe(want.size);
      expect(want.size).toBeGreaterThan(150);
      for (const [pid, attrs] of want) expect(got.get(pid), pid).toEqual(attrs);
    });
  }

  test('split into pid-hash partitions (as at 30 M persons) it gives the same states, each person once', async () => {
    const through = '2025-04-01';
    await buildPersonStateAt(conn, 'state_one', { recorded_through: through }, { partitions: 1 });
    const one = await readState(conn, 'state_one');
    for (const partitions of [2, 3, 7]) {
      await buildPersonStateAt(conn, 'state_parts', { recorded_through: through }, { partitions });
      const rowsOut = Number((await conn.runAndReadAll('SELECT count(*) AS n FROM state_parts')).getRowObjectsJS()[0].n);
      expect(rowsOut, `${partitions} partitions`).toBe(one.size);
      expect(await readState(conn, 'state_parts'), `${partitions} partitions`).toEqual(one);
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
    expect(await readState(conn, 'state_all')).toEqual(await readState(conn, 'tl_last'));
  });

  test('a row number beyond its field stops the query instead of mis-ordering', async () => {
    await conn.run("UPDATE wh.change_log SET row_no = 1099511627776 WHERE rowid = (SELECT min(rowid) FROM wh.change_log)");
    await expect(buildPersonStateAt(conn, 'state_bad', { recorded_through: '2099-12-31' })).rejects.toThrow(/row number beyond 2\^40/);
  });
});
