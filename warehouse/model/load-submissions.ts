/**
 * Loads a submissions file. The warehouse keeps the latest version per point and
 * month: the months present in the file replace their earlier rows (a re-sent
 * submissions_YYYYMM with the current review state replaces the previous one).
 */
import type { KindLoadResult, LoadContext } from '../refresh/load-context.ts';
import { paramsFor } from './named-params.ts';
import { sqlIdent } from '../validate/sql-constant.ts';

export async function loadSubmissions(ctx: LoadContext, checkedTable: string): Promise<KindLoadResult> {
  const { conn } = ctx;
  const t = sqlIdent(checkedTable);
  await conn.run(`DELETE FROM wh.submissions WHERE month IN (SELECT DISTINCT month FROM ${t} WHERE failed IS NULL)`);
  const sql = `INSERT INTO wh.submissions
    SELECT s.point_code, p.county_code, s.month, rlm_date(s.submitted_on), rlm_date(s.township_reviewed_on), rlm_date(s.county_verified_on),
      s.status, CAST(s.verified_count AS INTEGER), CAST(s.added_count AS INTEGER), CAST(s.removed_count AS INTEGER), $batch
    FROM ${t} s
    LEFT JOIN (SELECT point_code, arg_max(county_code, as_of) AS county_code FROM wh.points GROUP BY point_code) p ON p.point_code = s.point_code
    WHERE s.failed IS NULL ORDER BY s.month, s.point_code`;
  await conn.run(sql, paramsFor(sql, ctx.params));
  const loaded = Number((await conn.runAndReadAll(`SELECT count(*)::INTEGER AS n FROM ${t} WHERE failed IS NULL`)).getRowObjectsJS()[0].n);
  return { loaded };
}
