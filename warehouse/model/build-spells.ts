/**
 * person_spells from the timeline: the state at the end of each day with a row (the
 * day's last row), consecutive days with identical attributes merged, one spell per run
 * of unchanged attributes while active; valid_to is exclusive (NULL = still open).
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { attributeList } from './person-attributes.ts';
import { sqlIdent } from '../validate/sql-constant.ts';

export async function buildSpells(conn: DuckDBConnection, timeline: string, affectedOnly: boolean): Promise<void> {
  if (affectedOnly) await conn.run('DELETE FROM wh.person_spells WHERE pid IN (SELECT pid FROM affected_pids)');
  else await conn.run('DELETE FROM wh.person_spells');
  await conn.run(`INSERT INTO wh.person_spells
    WITH h AS (
      SELECT *, CASE WHEN active THEN hash(${attributeList()}) END AS hv FROM ${sqlIdent(timeline)} WHERE day_end
    ),
    k AS (
      SELECT * FROM (SELECT *, lag(hv) OVER (PARTITION BY pid ORDER BY ord) AS prev_hv, row_number() OVER (PARTITION BY pid ORDER BY ord) AS rn FROM h)
      WHERE rn = 1 OR hv IS DISTINCT FROM prev_hv
    ),
    sp AS (SELECT *, lead(day) OVER (PARTITION BY pid ORDER BY ord) AS valid_to FROM k)
    SELECT pid, day, valid_to, substr(village_code, 1, 9), substr(village_code, 1, 6), substr(village_code, 1, 4) || '00', ${attributeList()}
    FROM sp WHERE active
    ORDER BY substr(village_code, 1, 6), pid, day`);
}
