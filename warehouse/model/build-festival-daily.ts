/**
 * festival_daily: for each Spring Festival (springFestivalDate, day 0 = 正月初一) whose
 * window (day −45 to +60) is in the staging table `recompute_festivals` (year, day0),
 * the 返乡 (returned) and 外出 (departed) events per day, by home region at the
 * province, city, county and township levels (villages are too sparse per day; the
 * explorer rolls townships up), destination province, sex, age band (at the event
 * date) and poverty-alleviated flag.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { FESTIVAL_WINDOW, springFestivalDate } from '../reference/festival.ts';
import { levelsJoin, regionAtLevelSql } from './region-rollup.ts';
import { addDays } from './month-calendar.ts';

/** Festival years whose window intersects [from, to] (ISO dates). */
export function festivalYearsBetween(from: string, to: string): number[] {
  const out: number[] = [];
  for (let y = Number(from.slice(0, 4)) - 1; y <= Number(to.slice(0, 4)) + 1; y++) {
    const d0 = springFestivalDate(y);
    if (addDays(d0, -FESTIVAL_WINDOW.before) <= to && addDays(d0, FESTIVAL_WINDOW.after) >= from) out.push(y);
  }
  return out;
}

/** The festival year whose window contains a date, if any. */
export function festivalYearOf(date: string): number | undefined {
  const y = Number(date.slice(0, 4));
  for (const year of [y, y + 1]) {
    const d0 = springFestivalDate(year);
    if (date >= addDays(d0, -FESTIVAL_WINDOW.before) && date <= addDays(d0, FESTIVAL_WINDOW.after)) return year;
  }
  return undefined;
}

export async function buildFestivalDaily(conn: DuckDBConnection): Promise<void> {
  await conn.run('DELETE FROM wh.festival_daily WHERE festival_year IN (SELECT year FROM recompute_festivals)');
  await conn.run(`INSERT INTO wh.festival_daily
    SELECT f.year, date_diff('day', f.day0, e.event_date)::INTEGER AS day,
      ${regionAtLevelSql('e.village_code', 'lv.level')} AS region_code, lv.level,
      CASE WHEN coalesce(e.work_region_after, e.work_region_before) = '990000' THEN '990000'
           ELSE substr(coalesce(e.work_region_after, e.work_region_before), 1, 2) || '0000' END AS dest_province,
      e.sex, e.age_band, coalesce(e.poverty_alleviated, false),
      count(*) FILTER (WHERE e.reason = '返乡')::INTEGER, count(*) FILTER (WHERE e.reason = '外出')::INTEGER
    FROM wh.events e
    JOIN recompute_festivals f ON e.event_date BETWEEN f.day0 - ${FESTIVAL_WINDOW.before} AND f.day0 + ${FESTIVAL_WINDOW.after}
    ${levelsJoin(['province', 'city', 'county', 'township'])}
    WHERE e.event_type = '状态变更' AND e.reason IN ('返乡', '外出')
    GROUP BY ALL ORDER BY 1, 2, 4, 3`);
}
