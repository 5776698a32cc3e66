/**
 * Loads the accepted rows of the base persons snapshot (the state the history starts
 * from) into wh.base_persons, and their personal data into the vault. A re-sent base
 * (same file, other content) replaces the previous base; the whole history is then
 * recomputed.
 */
import type { KindLoadResult, LoadContext } from '../refresh/load-context.ts';
import { pidSqlExpression } from '../vault/pid-hash.ts';
import { fillVault } from '../vault/fill-vault.ts';
import { attributeTypedSelect } from './person-attributes.ts';
import { paramsFor } from './named-params.ts';
import { sqlIdent } from '../validate/sql-constant.ts';

export async function loadBasePersons(ctx: LoadContext, checkedTable: string): Promise<KindLoadResult> {
  const { conn } = ctx;
  const t = sqlIdent(checkedTable);
  await conn.run('DELETE FROM wh.base_persons');
  const insert = `INSERT INTO wh.base_persons
    SELECT ${pidSqlExpression('s.id_number')}, $file_date, ${attributeTypedSelect('stored')}, $batch, $file, s.row_no
    FROM ${t} s WHERE s.failed IS NULL`;
  await conn.run(insert, paramsFor(insert, ctx.params));
  const vault = `SELECT ${pidSqlExpression('s.id_number')} AS pid, s.id_number, s.name, s.phone, $file_date AS recorded_on
    FROM ${t} s WHERE s.failed IS NULL`;
  const t0 = performance.now();
  const n = await fillVault(conn, vault, ctx.params, ctx.keys);
  ctx.log(`${ctx.file}: vault ${((performance.now() - t0) / 1000).toFixed(1)} s (${n} records)`);
  ctx.scope.all = true;
  return { loaded: n };
}
