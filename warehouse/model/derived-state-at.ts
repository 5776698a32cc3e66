/**
 * The derived state reconciliation (表库相符) compares a persons snapshot with: every
 * person active as of the snapshot date D, with the attributes the base snapshot and the
 * change events recorded on or before D give them. person-state-at.ts computes exactly
 * that from the whole history, but at 30 M persons it is one aggregation of 63 M rows
 * whose string states do not spill, run in 16 partitions that each scan the whole
 * history again (bench/RESULTS.md). Once the refresh has derived the spells, almost all
 * of that state is already there; this takes it from the spells and aggregates only what
 * the spells cannot give.
 *
 * Why it is the same state. Rows are ordered (src, event_date, recorded_on, batch, file,
 * row), the base row first; spells hold the state at the end of each day after every row
 * dated on or before it (person-timeline.ts, build-spells.ts). For D on or after the base
 * date the rows dated on or before D are a prefix of each person's order, so the spell
 * containing D is the state after exactly those rows. person-state-at takes the rows
 * recorded on or before D instead. The two sets are equal for every person none of whose
 * change rows has (event_date <= D) differ from (recorded_on <= D): events recorded
 * after D about a day up to D ("late" events), and, defensively, rows dated after their
 * recording (which validation rejects). So:
 *
 * - persons with such a row (few: late events) get person-state-at, restricted to them;
 * - everyone else gets the spell containing D, and the two keyed digests of name and
 *   phone, which spells do not keep (privacy: person-attributes.ts): the base row's,
 *   unless a change row recorded by D sets one (a 新增 sets both, a 状态变更 the ones it
 *   gives), in which case the last such row's, in the same order.
 *
 * A snapshot dated before the base date gets person-state-at for everyone.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { PERSON_ATTRIBUTES, PII_DIGESTS } from './person-attributes.ts';
import { BATCH_FILE_RANKS, ORDER_KEY, buildPersonStateAt, type PersonStateOptions } from './person-state-at.ts';
import { paramsFor, type ParamBag } from './named-params.ts';
import { sqlIdent } from '../validate/sql-constant.ts';

/** Persons whose rows recorded by D differ from their rows dated by D (staging catalog). */
const LATE = 'state_late_pids';

/**
 * Creates `table` (pid, every stored attribute) with one row per person active as of
 * $recorded_through (a DATE in `params`), equal to buildPersonStateAt's. Needs
 * wh.person_spells derived from all of wh.base_persons and wh.change_log.
 */
export async function buildDerivedStateAt(
  conn: DuckDBConnection,
  table: string,
  params: ParamBag,
  options: Pick<PersonStateOptions, 'partitions'> = {},
): Promise<{ latePersons: number }> {
  const run = async (sql: string) => conn.run(sql, paramsFor(sql, params));
  const beforeBase = await conn.runAndReadAll(
    'SELECT coalesce(CAST($recorded_through AS DATE) < min(snapshot_date), true) AS b FROM wh.base_persons',
    paramsFor('$recorded_through', params),
  );
  if (beforeBase.getRowObjectsJS()[0].b === true) {
    await buildPersonStateAt(conn, table, params, options);
    return { latePersons: -1 };
  }
  await run(`CREATE OR REPLACE TABLE ${LATE} AS
    SELECT DISTINCT pid FROM wh.change_log
    WHERE (event_date <= CAST($recorded_through AS DATE)) IS DISTINCT FROM (recorded_on <= CAST($recorded_through AS DATE))`);
  const attrs = PERSON_ATTRIBUTES.map((a) => `s.${sqlIdent(a.key)}`).join(', ');
  const digestSets = PII_DIGESTS.map((a, i) => `x.event_type = '新增' OR x.${sqlIdent(a.key)} IS NOT NULL AS set_${i}`).join(', ');
  const anySet = PII_DIGESTS.map((a) => `x.${sqlIdent(a.key)} IS NOT NULL`).join(' OR ');
  const lastSet = PII_DIGESTS.map(
    (a, i) => `bool_or(set_${i}) AS any_${i}, arg_max_null(${sqlIdent(a.key)}, k) FILTER (WHERE set_${i}) AS ${sqlIdent(a.key)}`,
  ).join(', ');
  const digests = PII_DIGESTS.map((a, i) => `CASE WHEN xa.any_${i} THEN xa.${sqlIdent(a.key)} ELSE b.${sqlIdent(a.key)} END AS ${sqlIdent(a.key)}`).join(', ');
  await run(`CREATE OR REPLACE TABLE ${sqlIdent(table)} AS
    WITH ${BATCH_FILE_RANKS},
    x AS (
      SELECT x.pid, 1 AS src, x.event_date AS d, x.recorded_on AS rec, bf.bf, x.row_no, ${PII_DIGESTS.map((a) => `x.${sqlIdent(a.key)}`).join(', ')}, ${digestSets}
      FROM wh.change_log x JOIN bf ON bf.batch = x.batch AND bf.file = x.file
      WHERE x.recorded_on <= CAST($recorded_through AS DATE) AND (x.event_type = '新增' OR ${anySet})
    ),
    xa AS (SELECT pid, ${lastSet} FROM (SELECT *, ${ORDER_KEY} AS k FROM x) GROUP BY pid),
    s AS (
      SELECT * FROM wh.person_spells
      WHERE valid_from <= CAST($recorded_through AS DATE) AND (valid_to IS NULL OR valid_to > CAST($recorded_through AS DATE))
    )
    SELECT s.pid, ${attrs}, ${digests}
    FROM s ANTI JOIN ${LATE} l ON l.pid = s.pid
    LEFT JOIN wh.base_persons b ON b.pid = s.pid
    LEFT JOIN xa ON xa.pid = s.pid`);
  const late = Number((await conn.runAndReadAll(`SELECT count(*) AS n FROM ${LATE}`)).getRowObjectsJS()[0].n);
  if (late > 0) await buildPersonStateAt(conn, table, params, { ...options, only: LATE, append: true });
  await conn.run(`DROP TABLE ${LATE}`);
  return { latePersons: late };
}
