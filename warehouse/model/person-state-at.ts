/**
 * The state of every person active as of a date, from the base snapshot and the change
 * events recorded on or before $recorded_through: what the last row of each person's
 * timeline (person-timeline.ts) holds, computed without the timeline. Reconciliation
 * needs only that last state, and a hash aggregation gives it far more cheaply than the
 * timeline's windows over the whole history (1 M persons, 4.3 M rows: 12 s instead of 55 s).
 *
 * Same semantics as the timeline: rows in (src, date, recorded_on, batch, file, row)
 * order; a base or 新增 row sets every attribute, a 状态变更 only its non-empty ones; the
 * last 新增/base or 减少 decides whether the person is active. Each attribute's current
 * value is `arg_max_null(value, order key)` over the rows that set it. The six-part
 * order is packed into one HUGEINT (src: 1 bit, each date: 24 bits as days from
 * 1970-01-01 offset by 2^23, the (batch, file) rank: 20 bits, row number: 40 bits), so
 * the aggregate compares integers; a (batch, file) rank or row number too large for its
 * field stops the query with an error instead of mis-ordering.
 *
 * The aggregate's states hold strings, which DuckDB does not spill: at 30 M persons (63 M
 * rows) the one aggregation ran out of its 8 GB and failed the refresh. Persons are therefore
 * split into partitions by a hash of the pid, one aggregation each, appended to the same
 * table; a partition holds about PARTITION_ROWS rows. Measured on a 1 M build (2.06 M rows,
 * bench/RESULTS.md): with a 500 MB limit one aggregation fails and four succeed (11.0 s);
 * with 1 GB, one takes 9.8 s and four 9.4 s.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { STORED_ATTRIBUTES } from './person-attributes.ts';
import { paramsFor, type ParamBag } from './named-params.ts';
import { sqlIdent } from '../validate/sql-constant.ts';

const days = (date: string) => `CAST(date_diff('day', DATE '1970-01-01', ${date}) + 8388608 AS HUGEINT)`;
/** The packed order key of a row with columns src, d, rec, bf (the (batch, file) rank) and row_no. */
export const ORDER_KEY = `(CAST(src AS HUGEINT) << 108) + (${days('d')} << 84) + (${days('rec')} << 60) + (CAST(bf AS HUGEINT) << 40) + row_no`;

/** Rows (base persons and change events) per aggregation. */
export const PARTITION_ROWS = 4_000_000;

export interface PersonStateOptions {
  /** Number of pid-hash partitions (default: from the row count and PARTITION_ROWS). */
  readonly partitions?: number;
  /** Only the persons in this table (a `pid` column, staging catalog). */
  readonly only?: string;
  /** Append to an existing `table` (columns pid and the stored attributes) instead of creating it. */
  readonly append?: boolean;
}

/**
 * Creates `table` (pid, every stored attribute) with one row per person active as of
 * $recorded_through (a DATE parameter in `params`).
 */
export async function buildPersonStateAt(conn: DuckDBConnection, table: string, params: ParamBag, options: PersonStateOptions = {}): Promise<void> {
  const partitions = options.partitions ?? (await defaultPartitions(conn, options.only));
  if (!Number.isInteger(partitions) || partitions < 1) throw new Error(`person state: partitions must be a positive integer, got ${partitions}`);
  for (let part = 0; part < partitions; part++) {
    const sql = stateSql(table, part === 0 && !options.append ? 'create' : 'insert', partitions > 1, options.only);
    await conn.run(sql, paramsFor(sql, { ...params, partitions: BigInt(partitions), part: BigInt(part) }));
  }
}

async function defaultPartitions(conn: DuckDBConnection, only: string | undefined): Promise<number> {
  const of = (t: string) => `(SELECT count(*) FROM ${t} x${only ? ` SEMI JOIN ${sqlIdent(only)} o ON o.pid = x.pid` : ''})`;
  const r = await conn.runAndReadAll(`SELECT ${of('wh.base_persons')} + ${of('wh.change_log')} AS n`);
  return Math.max(1, Math.ceil(Number(r.getRowObjectsJS()[0].n) / PARTITION_ROWS));
}

/** CTE `bf (batch, file, bf)`: the rank of each (batch, file) of change_log, for ORDER_KEY. */
export const BATCH_FILE_RANKS = `bf AS (
      SELECT batch, file, CASE WHEN n >= 1048576 THEN error('person state: more than 2^20 (batch, file) pairs in change_log') ELSE n END AS bf
      FROM (SELECT batch, file, row_number() OVER (ORDER BY batch, file) AS n FROM (SELECT DISTINCT batch, file FROM wh.change_log))
    )`;

function stateSql(table: string, mode: 'create' | 'insert', partitioned: boolean, only: string | undefined): string {
  const keys = STORED_ATTRIBUTES.map((a) => sqlIdent(a.key));
  const baseCols = keys.map((k, i) => `${k}, true AS set_${i}`).join(', ');
  const eventCols = keys.map((k, i) => `${k}, event_type = '新增' OR ${k} IS NOT NULL AS set_${i}`).join(', ');
  const current = keys.map((k, i) => `arg_max_null(${k}, k) FILTER (WHERE set_${i}) AS ${k}`).join(', ');
  const inPart = (pid: string) =>
    [partitioned ? `hash(${pid}) % CAST($partitions AS UBIGINT) = CAST($part AS UBIGINT)` : 'true', only ? `${pid} IN (SELECT pid FROM ${sqlIdent(only)})` : 'true'].join(' AND ');
  return `${mode === 'create' ? `CREATE OR REPLACE TABLE ${sqlIdent(table)} AS` : `INSERT INTO ${sqlIdent(table)} (pid, ${keys.join(', ')})`}
    WITH ${BATCH_FILE_RANKS},
    r AS (
      SELECT pid, 0 AS src, snapshot_date AS d, snapshot_date AS rec, 0 AS bf, CAST(0 AS BIGINT) AS row_no, true AS member, ${baseCols}
      FROM wh.base_persons
      WHERE ${inPart('pid')}
      UNION ALL
      SELECT x.pid, 1, x.event_date, x.recorded_on, bf.bf,
        CASE WHEN x.row_no >= 1099511627776 THEN error('person state: row number beyond 2^40') ELSE x.row_no END,
        CASE x.event_type WHEN '减少' THEN false WHEN '状态变更' THEN NULL ELSE true END, ${eventCols}
      FROM wh.change_log x JOIN bf ON bf.batch = x.batch AND bf.file = x.file
      WHERE x.recorded_on <= $recorded_through AND ${inPart('x.pid')}
    ),
    g AS (
      SELECT pid, arg_max(member, k) FILTER (WHERE member IS NOT NULL) AS active, ${current}
      FROM (SELECT *, ${ORDER_KEY} AS k FROM r) GROUP BY pid
    )
    SELECT pid, ${keys.join(', ')} FROM g WHERE active`;
}
