/**
 * Loads a department roster (脱贫劳动力 or 易地搬迁). The warehouse keeps the latest roster
 * of each type: a roster dated on or after the one held replaces it; an older one (a
 * late re-send) is validated and counted but does not replace a newer roster. Persons
 * on a roster who are not yet in the vault get a vault record (ID number and name), so
 * that a comparison worklist can name them.
 */
import type { KindLoadResult, LoadContext } from '../refresh/load-context.ts';
import { pidSqlExpression } from '../vault/pid-hash.ts';
import { fillVault } from '../vault/fill-vault.ts';
import { paramsFor } from './named-params.ts';
import { sqlIdent } from '../validate/sql-constant.ts';

export async function loadRoster(ctx: LoadContext, checkedTable: string): Promise<KindLoadResult> {
  const { conn } = ctx;
  const t = sqlIdent(checkedTable);
  const run = async (sql: string) => conn.run(sql, paramsFor(sql, ctx.params));
  const loaded = Number((await conn.runAndReadAll(`SELECT count(*)::INTEGER AS n FROM ${t} WHERE failed IS NULL`)).getRowObjectsJS()[0].n);
  const newerSql = 'SELECT count(*)::INTEGER AS n FROM wh.rosters WHERE roster_type = $roster_type AND as_of > $file_date';
  const newer = Number((await conn.runAndReadAll(newerSql, paramsFor(newerSql, ctx.params))).getRowObjectsJS()[0].n);
  if (newer > 0) return { loaded, note: 'a newer roster of this type is already loaded; this one was validated but not applied' };
  await run('DELETE FROM wh.rosters WHERE roster_type = $roster_type');
  const pid = pidSqlExpression('s.id_number');
  await run(`INSERT INTO wh.rosters
    SELECT s.roster_type, ${pid}, s.village_code, substr(s.village_code, 1, 6), coalesce(rlm_date(s.as_of), $file_date)
    FROM ${t} s WHERE s.failed IS NULL ORDER BY s.row_no`);
  await fillVault(
    conn,
    `SELECT ${pid} AS pid, s.id_number, s.name, CAST(NULL AS VARCHAR) AS phone, $file_date AS recorded_on
     FROM ${t} s WHERE s.failed IS NULL AND ${pid} NOT IN (SELECT pid FROM wh.pii_vault) ORDER BY s.row_no`,
    ctx.params,
    ctx.keys,
  );
  return { loaded };
}
