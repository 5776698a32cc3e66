/**
 * The checks of change events that need the registry state: a 新增 for a person already
 * active, a 减少 or 状态变更 for a person not active, an event dated before the person's
 * registration. Set-based: the candidate events of the file are merged with each
 * affected person's base row and accepted events, ordered (event_date, recorded_on,
 * batch, file, row), and window functions give the state before every event.
 *
 * Activeness before an event = the kind of the last membership event before it (base or
 * 新增: active; 减少: not active). Rejected membership events never change it (a 新增 of
 * an active person leaves them active, a 减少 of an inactive one leaves them inactive),
 * so one pass is exact. The registration date before an event is the last registered_on
 * set by the base row, a valid 新增, or a valid 状态变更.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { paramsFor, type ParamBag } from '../model/named-params.ts';
import { sqlIdent } from './sql-constant.ts';

/**
 * `candidates` has columns row_no, pid, event_date, recorded_on, event_type,
 * registered_on, present (already in the warehouse). Returns a table name holding
 * (row_no, failed_reason) for rejected candidates, reason one of the three codes.
 */
export async function eventStateChecks(conn: DuckDBConnection, candidates: string, out: string, params: ParamBag): Promise<void> {
  const c = sqlIdent(candidates);
  const order = 'PARTITION BY pid ORDER BY src, d, rec, batch, file, row_no';
  const sql = `CREATE OR REPLACE TABLE ${sqlIdent(out)} AS
    WITH p AS (SELECT DISTINCT pid FROM ${c} WHERE NOT present),
    tl AS (
      SELECT b.pid, 0 AS src, b.snapshot_date AS d, b.snapshot_date AS rec, '' AS batch, '' AS file, CAST(0 AS BIGINT) AS row_no,
             'base' AS kind, b.registered_on, CAST(NULL AS BIGINT) AS cand_row
        FROM wh.base_persons b SEMI JOIN p ON b.pid = p.pid
      UNION ALL
      SELECT e.pid, 1, e.event_date, e.recorded_on, e.batch, e.file, e.row_no, e.event_type, e.registered_on, NULL
        FROM wh.change_log e SEMI JOIN p ON e.pid = p.pid
      UNION ALL
      SELECT x.pid, 1, x.event_date, x.recorded_on, $batch, $file, x.row_no, x.event_type, x.registered_on, x.row_no
        FROM ${c} x WHERE NOT x.present
    ),
    a AS (
      SELECT *, coalesce(last_value(CASE kind WHEN '减少' THEN false WHEN '状态变更' THEN NULL ELSE true END IGNORE NULLS)
                 OVER (${order} ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), false) AS active_before
      FROM tl
    ),
    r AS (
      SELECT *, last_value(CASE WHEN kind = 'base' OR (kind = '新增' AND NOT active_before) OR (kind = '状态变更' AND active_before)
                                THEN registered_on END IGNORE NULLS)
                 OVER (${order} ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS registered_before
      FROM a
    )
    SELECT cand_row AS row_no,
      CASE WHEN kind = '新增' AND active_before THEN 'add_person_already_active'
           WHEN kind IN ('减少', '状态变更') AND NOT active_before THEN 'event_person_not_active'
           WHEN kind IN ('减少', '状态变更') AND d < registered_before THEN 'event_before_registration'
      END AS reason
    FROM r
    WHERE cand_row IS NOT NULL
      AND ((kind = '新增' AND active_before) OR (kind IN ('减少', '状态变更') AND (NOT active_before OR d < registered_before)))`;
  await conn.run(sql, paramsFor(sql, params));
}
