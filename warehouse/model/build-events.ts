/**
 * wh.events from the timeline: every accepted change with the person's state before and
 * after it. Home region codes, flags, sex and age band are the state after the event
 * (for a 减少: before it, its person columns being ignored); the age band is at the
 * event date.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { sqlIdent } from '../validate/sql-constant.ts';

export async function buildEvents(conn: DuckDBConnection, timeline: string, affectedOnly: boolean): Promise<void> {
  if (affectedOnly) await conn.run('DELETE FROM wh.events WHERE pid IN (SELECT pid FROM affected_pids)');
  else await conn.run('DELETE FROM wh.events');
  await conn.run(`INSERT INTO wh.events
    SELECT pid, event_date, recorded_on, kind, reason,
      village_code, substr(village_code, 1, 9), substr(village_code, 1, 6), substr(village_code, 1, 4) || '00', event_point_code,
      CASE WHEN prev_active THEN prev_employment_status END, CASE WHEN active THEN employment_status END,
      CASE WHEN prev_active THEN prev_presence END, CASE WHEN active THEN presence END,
      CASE WHEN prev_active THEN prev_work_region_code END, CASE WHEN active THEN work_region_code END,
      poverty_alleviated, relocated, sex, rlm_age_band(birth_date, event_date),
      batch, file, row_no
    FROM ${sqlIdent(timeline)}
    WHERE kind <> 'base'
    ORDER BY event_date, pid`);
}
