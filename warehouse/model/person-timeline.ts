/**
 * The replay of each person's history: the base snapshot row followed by the accepted
 * change events in (event_date, recorded_on, batch, file, row) order, with the state
 * after every row. A 新增 (or the base row) sets every attribute (absent optional ones
 * become empty); a 状态变更 overrides only its non-empty columns; a 减少 ends activity.
 *
 * One window specification (partition by person, in that order) carries everything, so
 * DuckDB sorts the rows once: each attribute travels as a one-field struct that is
 * non-NULL exactly where the row sets it (always on base and 新增 rows, when given on a
 * 状态变更), and `last_value(... IGNORE NULLS)` over the rows so far is the current value.
 * The same pass gives the state before each row (for events), whether the row is the
 * last of its day (for spells), and `day`: the day from which the state holds (the event
 * date, but never earlier than an earlier row: a running maximum, so the timeline stays
 * monotone even for an event dated before the base).
 *
 * Optionally restricted to the persons in `affected_pids`. (The state as of a date, which
 * reconciliation needs, comes from the spells built from this timeline: derived-state-at.ts.)
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { STORED_ATTRIBUTES } from './person-attributes.ts';
import { paramsFor, type ParamBag } from './named-params.ts';
import { sqlIdent } from '../validate/sql-constant.ts';

export interface TimelineOptions {
  /** Table of the result (staging catalog). */
  readonly table: string;
  /** Only persons in the staging table affected_pids. */
  readonly affectedOnly: boolean;
}

/** Attributes whose value before each row the events table needs. */
const BEFORE = ['employment_status', 'presence', 'work_region_code'] as const;

export async function buildPersonTimeline(conn: DuckDBConnection, options: TimelineOptions, params: ParamBag): Promise<void> {
  const only = options.affectedOnly ? 'SEMI JOIN affected_pids a ON a.pid = x.pid' : '';
  const w = 'PARTITION BY pid ORDER BY src, d, rec, batch, file, row_no';
  const upTo = `(${w} ROWS UNBOUNDED PRECEDING)`;
  const before = `(${w} ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)`;
  const baseSets = STORED_ATTRIBUTES.map((a) => `struct_pack(v := x.${sqlIdent(a.key)}) AS ${sqlIdent(a.key)}`).join(', ');
  const eventSets = STORED_ATTRIBUTES.map(
    (a) => `CASE WHEN x.event_type = '新增' OR x.${sqlIdent(a.key)} IS NOT NULL THEN struct_pack(v := x.${sqlIdent(a.key)}) END AS ${sqlIdent(a.key)}`,
  ).join(', ');
  const carried = STORED_ATTRIBUTES.map((a) => `struct_extract(last_value(${sqlIdent(a.key)} IGNORE NULLS) OVER ${upTo}, 'v') AS ${sqlIdent(a.key)}`);
  const prior = BEFORE.map((k) => `struct_extract(last_value(${sqlIdent(k)} IGNORE NULLS) OVER ${before}, 'v') AS ${sqlIdent(`prev_${k}`)}`);
  const membership = `CASE kind WHEN '减少' THEN false WHEN '状态变更' THEN NULL ELSE true END`;
  const sql = `CREATE OR REPLACE TABLE ${sqlIdent(options.table)} AS
    WITH tl AS (
      SELECT x.pid, 0 AS src, x.snapshot_date AS d, x.snapshot_date AS rec, '' AS batch, '' AS file, CAST(0 AS BIGINT) AS row_no,
        'base' AS kind, CAST(NULL AS VARCHAR) AS reason, CAST(NULL AS VARCHAR) AS event_point_code, ${baseSets}
      FROM wh.base_persons x ${only}
      UNION ALL
      SELECT x.pid, 1, x.event_date, x.recorded_on, x.batch, x.file, x.row_no, x.event_type, x.reason, x.event_point_code, ${eventSets}
      FROM wh.change_log x ${only}
    )
    SELECT pid, row_number() OVER (${w}) AS ord, max(d) OVER ${upTo} AS day, d AS event_date, rec AS recorded_on, kind, reason,
      event_point_code, batch, file, row_no,
      coalesce(last_value(${membership} IGNORE NULLS) OVER ${upTo}, false) AS active,
      coalesce(last_value(${membership} IGNORE NULLS) OVER ${before}, false) AS prev_active,
      lead(d) OVER (${w}) IS NULL OR max(d) OVER ${upTo} < lead(d) OVER (${w}) AS day_end,
      ${[...prior, ...carried].join(',\n      ')}
    FROM tl`;
  await conn.run(sql, paramsFor(sql, params));
}
