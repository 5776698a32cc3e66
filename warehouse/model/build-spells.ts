/**
 * person_spells from the timeline: the state at the end of each day with a row (the
 * day's last row), consecutive days with identical attributes merged, one spell per
 * run of unchanged attributes while active; valid_to is exclusive (NULL = still open).
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { attributeList } from './person-attributes.ts';
import { sqlIdent } from '../validate/sql-constant.ts';

export async function buildSpells(conn: DuckDBConnection, timeline: string, affectedOnly: boolean): Promise<void> {
  if (affectedOnly) await conn.run('DELETE FROM wh.person_spells WHERE pid IN (SELECT pid FROM affected_pids)');
  else await conn.run('DELETE FROM wh.person_spells');
  await conn.run(`INSERT INTO wh.person_spells
    WITH de AS (SELECT * FROM ${sqlIdent(timeline)} QUALIFY row_number() OVER (PARTITION BY pid, day ORDER BY ord DESC) = 1),
    h AS (SELECT *, CASE WHEN active THEN hash(${attributeList()}) END AS hv FROM de),
    b AS (SELECT *, lag(hv) OVER (PARTITION BY pid ORDER BY day) AS prev_hv, row_number() OVER (PARTITION BY pid ORDER BY day) AS rn FROM h),
    k AS (SELECT * FROM b WHERE rn = 1 OR hv IS DISTINCT FROM prev_hv),
    sp AS (SELECT *, lead(day) OVER (PARTITION BY pid ORDER BY day) AS valid_to FROM k)
    SELECT pid, day, valid_to, substr(village_code, 1, 9), substr(village_code, 1, 6), substr(village_code, 1, 4) || '00', ${attributeList()}
    FROM sp WHERE active
    ORDER BY substr(village_code, 1, 6), pid, day`);
}
