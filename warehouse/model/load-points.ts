/**
 * Loads a points file: wh.points and wh.point_villages as of the file date (a re-sent
 * file of the same date replaces that date's rows), the coverage findings of that date
 * (a village in no point, a village in several points), and the collectors' names and
 * phones into the vault under pid 'point:<point_code>' (never in plaintext tables).
 */
import type { KindLoadResult, LoadContext } from '../refresh/load-context.ts';
import { fillVault } from '../vault/fill-vault.ts';
import { paramsFor } from './named-params.ts';
import { sqlIdent } from '../validate/sql-constant.ts';

export async function loadPoints(ctx: LoadContext, checkedTable: string): Promise<KindLoadResult> {
  const { conn } = ctx;
  const t = sqlIdent(checkedTable);
  const run = async (sql: string) => conn.run(sql, paramsFor(sql, ctx.params));
  await run('DELETE FROM wh.points WHERE as_of = $file_date');
  await run('DELETE FROM wh.point_villages WHERE as_of = $file_date');
  await run('DELETE FROM wh.coverage_findings WHERE as_of = $file_date');
  await run(`INSERT INTO wh.points
    SELECT point_code, point_name, township_code, substr(township_code, 1, 6), rlm_date(established_on), $file_date
    FROM ${t} WHERE failed IS NULL ORDER BY point_code`);
  await run(`INSERT INTO wh.point_villages
    SELECT DISTINCT point_code, v, $file_date FROM (
      SELECT point_code, trim(unnest(string_split(village_codes, ';'))) AS v FROM ${t} WHERE failed IS NULL)
    WHERE v <> '' ORDER BY 1, 2`);
  await run(`INSERT INTO wh.coverage_findings
    SELECT $file_date, r.code, r.county_code, 'uncovered', CAST([] AS VARCHAR[])
    FROM wh.regions r WHERE r.level = 'village'
      AND r.code NOT IN (SELECT village_code FROM wh.point_villages WHERE as_of = $file_date)
    UNION ALL
    SELECT $file_date, village_code, substr(village_code, 1, 6), 'multiple', list_sort(list(point_code))
    FROM wh.point_villages WHERE as_of = $file_date GROUP BY village_code HAVING count(*) > 1
    ORDER BY 2`);
  const loaded = Number((await conn.runAndReadAll(`SELECT count(*)::INTEGER AS n FROM ${t} WHERE failed IS NULL`)).getRowObjectsJS()[0].n);
  await fillVault(
    conn,
    `SELECT 'point:' || point_code AS pid, NULL AS id_number, collector AS name, collector_phone AS phone, $file_date AS recorded_on
     FROM ${t} WHERE failed IS NULL ORDER BY row_no`,
    ctx.params,
    ctx.keys,
  );
  return { loaded };
}
