/**
 * buildDerivedStateAt (the derived state reconciliation compares a snapshot with, taken from
 * the spells) equals the plain TypeScript replay of the rows recorded by the date, and
 * buildPersonStateAt's aggregation over the whole history: on random histories whose rows
 * are recorded on or after their date (as validation guarantees), with late events either
 * side of every cut-off; on histories with rows dated after their recording (the defensive
 * path); and for a cut-off before the base date.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { buildDerivedStateAt } from '../../../warehouse/model/derived-state-at.ts';
import { buildPersonStateAt } from '../../../warehouse/model/person-state-at.ts';
import { buildPersonTimeline } from '../../../warehouse/model/person-timeline.ts';
import { buildSpells } from '../../../warehouse/model/build-spells.ts';
import { warehouseDdl } from '../../../warehouse/schema/warehouse-schema.ts';
import { BASE_DATE, loadHistories, makeRows, readState, replay, type Row } from './random-histories.ts';

let instance: DuckDBInstance;
let conn: DuckDBConnection;

beforeAll(async () => {
  instance = await DuckDBInstance.create(':memory:');
  conn = await instance.connect();
  await conn.run("SET TimeZone = 'Asia/Shanghai'");
  await conn.run("ATTACH ':memory:' AS wh");
  for (const ddl of warehouseDdl('wh')) await conn.run(ddl);
});
afterAll(() => conn?.closeSync());

async function derive(rows: readonly Row[]): Promise<void> {
  await loadHistories(conn, rows);
  await buildPersonTimeline(conn, { table: 'tl', affectedOnly: false }, {});
  await buildSpells(conn, 'tl', false);
}

/** Persons with a change row dated on or before `through` but recorded after it. */
const lateAt = (rows: readonly Row[], through: string) => new Set(rows.filter((x) => x.src === 1 && x.d <= through && x.rec > through).map((x) => x.pid));

describe('buildDerivedStateAt', () => {
  const realistic = makeRows(11, { recordedAfterEvent: true });

  test('the realistic histories are recorded on or after their dates and have late events', () => {
    expect(realistic.filter((x) => x.src === 1 && x.rec < x.d)).toEqual([]);
    for (const through of ['2025-01-20', '2025-04-01']) expect(lateAt(realistic, through).size, through).toBeGreaterThan(30);
  });

  for (const through of [BASE_DATE, '2025-01-20', '2025-03-31', '2025-04-01', '2025-12-31']) {
    test(`as of ${through}: equals the TypeScript replay and the full aggregation`, async () => {
      await derive(realistic);
      const { latePersons } = await buildDerivedStateAt(conn, 'derived', { recorded_through: through });
      expect(latePersons).toBe(lateAt(realistic, through).size);
      const got = await readState(conn, 'derived');
      const want = replay(realistic, through);
      expect(want.size).toBeGreaterThan(150);
      expect(got.size).toBe(want.size);
      for (const [pid, attrs] of want) expect(got.get(pid), pid).toEqual(attrs);
      await buildPersonStateAt(conn, 'state_full', { recorded_through: through });
      expect(got).toEqual(await readState(conn, 'state_full'));
    });
  }

  test('rows dated after their recording are taken from the aggregation too', async () => {
    const rows = makeRows(7);
    expect(rows.filter((x) => x.src === 1 && x.rec < x.d).length).toBeGreaterThan(50);
    await derive(rows);
    for (const through of ['2025-01-20', '2025-04-01']) {
      await buildDerivedStateAt(conn, 'derived', { recorded_through: through });
      expect(await readState(conn, 'derived'), through).toEqual(replay(rows, through));
    }
  });

  test('a cut-off before the base date takes everyone from the aggregation', async () => {
    await derive(realistic);
    const { latePersons } = await buildDerivedStateAt(conn, 'derived', { recorded_through: '2024-12-15' });
    expect(latePersons).toBe(-1);
    expect(await readState(conn, 'derived')).toEqual(replay(realistic, '2024-12-15'));
  });
});
