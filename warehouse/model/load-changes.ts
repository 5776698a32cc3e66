/**
 * Loads the accepted rows of a changes file into wh.change_log, after the checks that
 * need the registry state (event-state-checks.ts). Rows identical to an event already
 * in the warehouse (same person and the same values in every column, e.g. a corrected
 * re-send of a file) are "already present": counted as loaded, not added twice.
 *
 * A 新增 or 状态变更 row's non-empty person columns are the person's values after the
 * event (point_code and review_status included); a 减少 row's person columns are ignored.
 */
import { CHANGE_COLUMNS } from '../contract/columns.ts';
import type { KindLoadResult, LoadContext } from '../refresh/load-context.ts';
import { pidSqlExpression } from '../vault/pid-hash.ts';
import { fillVault } from '../vault/fill-vault.ts';
import { eventStateChecks } from '../validate/event-state-checks.ts';
import { STORED_ATTRIBUTES, attributeList } from './person-attributes.ts';
import { paramsFor } from './named-params.ts';
import { sqlIdent } from '../validate/sql-constant.ts';

export async function loadChanges(ctx: LoadContext, checkedTable: string, checksTable: string): Promise<KindLoadResult> {
  const { conn } = ctx;
  const t = sqlIdent(checkedTable);
  const pid = pidSqlExpression('s.id_number');
  const attrs = STORED_ATTRIBUTES.map((a) => `CASE WHEN s.event_type = '减少' THEN NULL ELSE ${a.typed} END AS ${sqlIdent(a.key)}`).join(', ');
  const hashed = CHANGE_COLUMNS.filter((c) => c.key !== 'id_number')
    .map((c) => `coalesce(s.${sqlIdent(c.key)}, chr(30))`)
    .join(', ');
  const cand = `CREATE OR REPLACE TABLE cand AS
    SELECT s.row_no, ${pid} AS pid, s.d__event_date AS event_date, s.d__recorded_on AS recorded_on,
      s.event_type, s.reason, s.point_code AS event_point_code, s.review_status AS event_review_status, ${attrs},
      md5(concat_ws(chr(31), ${pid}, ${hashed})) AS row_hash, false AS present
    FROM ${t} s WHERE s.failed IS NULL`;
  await conn.run(cand, paramsFor(cand, ctx.params));
  await conn.run('UPDATE cand SET present = true WHERE row_hash IN (SELECT row_hash FROM wh.change_log)');

  await eventStateChecks(conn, 'cand', 'cand_bad', ctx.params);
  await conn.run(`UPDATE ${t} SET failed = ck.idx,
      raw_value = CASE ck.column_key WHEN 'id_number' THEN rlm_mask_id(${t}.id_number) WHEN 'event_date' THEN ${t}.event_date END
    FROM cand_bad b, ${sqlIdent(checksTable)} ck
    WHERE ${t}.row_no = b.row_no AND ck.reason = b.reason`);

  const insert = `INSERT INTO wh.change_log
    SELECT pid, event_date, recorded_on, event_type, reason, event_point_code, event_review_status, ${attributeList('', 'stored')}, row_hash,
      $batch, $file, row_no
    FROM cand WHERE NOT present AND row_no NOT IN (SELECT row_no FROM cand_bad)`;
  await conn.run(insert, paramsFor(insert, ctx.params));
  await conn.run(`INSERT INTO affected_pids SELECT DISTINCT pid FROM cand
    WHERE NOT present AND row_no NOT IN (SELECT row_no FROM cand_bad) AND pid NOT IN (SELECT pid FROM affected_pids)`);

  const stats = (
    await conn.runAndReadAll(`SELECT
        count(*) FILTER (WHERE present)::INTEGER AS present,
        count(*) FILTER (WHERE row_no NOT IN (SELECT row_no FROM cand_bad))::INTEGER AS loaded,
        strftime(min(event_date) FILTER (WHERE NOT present AND row_no NOT IN (SELECT row_no FROM cand_bad)), '%Y-%m-%d') AS min_date
      FROM cand`)
  ).getRowObjectsJS()[0];
  const dates = (
    await conn.runAndReadAll(`SELECT DISTINCT strftime(event_date, '%Y-%m-%d') AS d FROM cand
      WHERE NOT present AND row_no NOT IN (SELECT row_no FROM cand_bad)`)
  ).getRowObjectsJS();
  for (const r of dates) ctx.scope.eventDates.add(String(r.d));
  const minDate = stats.min_date === null ? undefined : String(stats.min_date);
  if (minDate && (!ctx.scope.minEventDate || minDate < ctx.scope.minEventDate)) ctx.scope.minEventDate = minDate;

  // personal data: full record of an added person; changed name/phone of a status change
  const vault = `SELECT c.pid,
      CASE WHEN s.event_type = '新增' THEN s.id_number END AS id_number, s.name, s.phone, c.recorded_on
    FROM cand c JOIN ${t} s ON s.row_no = c.row_no
    WHERE NOT c.present AND c.row_no NOT IN (SELECT row_no FROM cand_bad)
      AND (s.event_type = '新增' OR (s.event_type = '状态变更' AND (s.name IS NOT NULL OR s.phone IS NOT NULL)))`;
  await fillVault(conn, vault, ctx.params, ctx.keys);
  return { loaded: Number(stats.loaded), alreadyPresent: Number(stats.present) };
}
