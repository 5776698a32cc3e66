/**
 * The replay of each person's history: the base snapshot row followed by the accepted
 * change events in (event_date, recorded_on, batch, file, row) order, with the state
 * after every row. A 新增 (or the base row) starts a new segment whose values are exactly
 * the row's; a 状态变更 overrides only its non-empty columns; a 减少 ends activity.
 *
 * `day` is the day from which the state holds (end of that day): the event date, but
 * never earlier than the base snapshot or an earlier row (running maximum), so the
 * timeline is monotone even for an event dated before the base.
 *
 * Optionally restricted to the persons in `affected_pids`, and to events recorded on or
 * before a date (the state "as of" a snapshot date, for reconciliation).
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { STORED_ATTRIBUTES, attributeList } from './person-attributes.ts';
import { paramsFor, type ParamBag } from './named-params.ts';
import { sqlIdent } from '../validate/sql-constant.ts';

export interface TimelineOptions {
  /** Table of the result (staging catalog). */
  readonly table: string;
  /** Only persons in the staging table affected_pids. */
  readonly affectedOnly: boolean;
  /** Only events recorded on or before $recorded_through. */
  readonly recordedThrough?: boolean;
}

export async function buildPersonTimeline(conn: DuckDBConnection, options: TimelineOptions, params: ParamBag): Promise<void> {
  const only = options.affectedOnly ? 'SEMI JOIN affected_pids a ON a.pid = x.pid' : '';
  const rec = options.recordedThrough ? 'WHERE x.recorded_on <= $recorded_through' : '';
  const order = 'PARTITION BY pid ORDER BY src, d, rec, batch, file, row_no';
  const carried = STORED_ATTRIBUTES.map(
    (a) => `last_value(${sqlIdent(a.key)} IGNORE NULLS) OVER (PARTITION BY pid, seg ORDER BY ord ROWS UNBOUNDED PRECEDING) AS ${sqlIdent(a.key)}`,
  ).join(',\n      ');
  const sql = `CREATE OR REPLACE TABLE ${sqlIdent(options.table)} AS
    WITH tl AS (
      SELECT x.pid, 0 AS src, x.snapshot_date AS d, x.snapshot_date AS rec, '' AS batch, '' AS file, CAST(0 AS BIGINT) AS row_no,
        'base' AS kind, CAST(NULL AS VARCHAR) AS reason, CAST(NULL AS VARCHAR) AS event_point_code, ${attributeList('x.', 'stored')}
      FROM wh.base_persons x ${only}
      UNION ALL
      SELECT x.pid, 1, x.event_date, x.recorded_on, x.batch, x.file, x.row_no, x.event_type, x.reason, x.event_point_code, ${attributeList('x.', 'stored')}
      FROM wh.change_log x ${only} ${rec}
    ),
    w AS (
      SELECT *,
        row_number() OVER (${order}) AS ord,
        sum(CASE WHEN kind IN ('base', '新增') THEN 1 ELSE 0 END) OVER (${order} ROWS UNBOUNDED PRECEDING) AS seg,
        coalesce(last_value(CASE kind WHEN '减少' THEN false WHEN '状态变更' THEN NULL ELSE true END IGNORE NULLS)
          OVER (${order} ROWS UNBOUNDED PRECEDING), false) AS active,
        max(d) OVER (${order} ROWS UNBOUNDED PRECEDING) AS day
      FROM tl
    )
    SELECT pid, ord, day, d AS event_date, rec AS recorded_on, kind, reason, event_point_code, batch, file, row_no, active,
      ${carried}
    FROM w`;
  await conn.run(sql, paramsFor(sql, params));
}
