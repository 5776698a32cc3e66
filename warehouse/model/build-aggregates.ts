/**
 * The month aggregates for the months in the staging table `recompute_months`
 * (month, month_end): the village-level cubes of month-end stock (cube_month,
 * cube_destination, cube_service_need) from person_spells, then agg_region_month at
 * every level (stock from cube_month, increases/decreases from events, a row for every
 * region even when zero), agg_flows and agg_transitions from events by event month.
 *
 * Flags unknown in the data (NULL) count as 否 in the cubes.
 *
 * cube_county rolls cube_month up to counties over its six dimensions that every person
 * measure of the explorer needs or that dashboards slice by most (status, presence, sex,
 * age band, poverty-alleviated, relocated): at most 768 rows per county and month,
 * whatever the number of persons, so explorer slices at county level and above read it
 * instead of the village cube (warehouse/metrics/explore-query.ts). It is created here
 * when missing (a build copied from one made before it existed is filled for every
 * month), otherwise rebuilt for the recomputed months like the other cubes.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { EMPLOYED_STATUSES, TRANSFER_STATUSES, WORK_REGION_STATUSES } from '../contract/codes.ts';
import { sqlConstantList } from '../validate/sql-constant.ts';
import { levelsJoin, regionAtLevelSql } from './region-rollup.ts';

/** Metric columns of agg_region_month, in table order. */
export const REGION_MONTH_METRICS = [
  'labour_force', 's10', 's21', 's22', 's23', 's24', 's30', 's40', 's50', 'employed', 'transfer', 'unemployed',
  'at_home', 'away', 'poverty_total', 'poverty_transfer', 'relocated_total', 'relocated_transfer', 'increases', 'decreases',
] as const;

const STOCK_SQL: Record<string, string> = {
  labour_force: 'sum(count)',
  s10: "sum(count) FILTER (WHERE employment_status = '10')",
  s21: "sum(count) FILTER (WHERE employment_status = '21')",
  s22: "sum(count) FILTER (WHERE employment_status = '22')",
  s23: "sum(count) FILTER (WHERE employment_status = '23')",
  s24: "sum(count) FILTER (WHERE employment_status = '24')",
  s30: "sum(count) FILTER (WHERE employment_status = '30')",
  s40: "sum(count) FILTER (WHERE employment_status = '40')",
  s50: "sum(count) FILTER (WHERE employment_status = '50')",
  employed: `sum(count) FILTER (WHERE employment_status IN ${sqlConstantList(EMPLOYED_STATUSES)})`,
  transfer: `sum(count) FILTER (WHERE employment_status IN ${sqlConstantList(TRANSFER_STATUSES)})`,
  unemployed: "sum(count) FILTER (WHERE employment_status = '40')",
  at_home: "sum(count) FILTER (WHERE presence = '在乡')",
  away: "sum(count) FILTER (WHERE presence = '在外')",
  poverty_total: 'sum(count) FILTER (WHERE poverty_alleviated)',
  poverty_transfer: `sum(count) FILTER (WHERE poverty_alleviated AND employment_status IN ${sqlConstantList(TRANSFER_STATUSES)})`,
  relocated_total: 'sum(count) FILTER (WHERE relocated)',
  relocated_transfer: `sum(count) FILTER (WHERE relocated AND employment_status IN ${sqlConstantList(TRANSFER_STATUSES)})`,
};

const STOCK_METRICS = REGION_MONTH_METRICS.filter((m) => m !== 'increases' && m !== 'decreases');
const IN_MONTHS = 'month IN (SELECT month FROM recompute_months)';
const ACTIVE_AT_END = 's.valid_from <= m.month_end AND (s.valid_to IS NULL OR s.valid_to > m.month_end)';

export async function buildMonthCubes(conn: DuckDBConnection): Promise<void> {
  for (const t of ['cube_month', 'cube_destination', 'cube_service_need']) await conn.run(`DELETE FROM wh.${t} WHERE ${IN_MONTHS}`);
  await conn.run(`INSERT INTO wh.cube_month
    SELECT s.village_code, m.month, s.employment_status, s.presence, s.sex, rlm_age_band(s.birth_date, m.month_end),
      coalesce(s.poverty_alleviated, false), coalesce(s.relocated, false), coalesce(s.veteran, false), s.education, s.skill_level,
      coalesce(s.training_wish, false), count(*)::INTEGER
    FROM wh.person_spells s JOIN recompute_months m ON ${ACTIVE_AT_END}
    GROUP BY ALL ORDER BY 2, 1`);
  await conn.run(`INSERT INTO wh.cube_destination
    SELECT s.village_code, m.month, s.employment_status,
      CASE WHEN s.employment_status IN ${sqlConstantList(WORK_REGION_STATUSES)} AND s.work_region_code IS NOT NULL
           THEN CASE WHEN s.work_region_code = '990000' THEN '990000' ELSE substr(s.work_region_code, 1, 2) || '0000' END END AS dest_province,
      CASE WHEN s.employment_status IN ${sqlConstantList(WORK_REGION_STATUSES)} AND s.work_region_code IS NOT NULL
                AND s.work_region_code NOT LIKE '__0000'
           THEN substr(s.work_region_code, 1, 4) || '00' END AS dest_city,
      s.industry, count(*)::INTEGER
    FROM wh.person_spells s JOIN recompute_months m ON ${ACTIVE_AT_END}
    WHERE s.employment_status IN ${sqlConstantList(EMPLOYED_STATUSES)}
    GROUP BY ALL ORDER BY 2, 1`);
  await conn.run(`INSERT INTO wh.cube_service_need
    SELECT village_code, month, need, employment_status, count(*)::INTEGER FROM (
      SELECT s.village_code, m.month, unnest(s.service_needs) AS need, s.employment_status
      FROM wh.person_spells s JOIN recompute_months m ON ${ACTIVE_AT_END}
      WHERE len(s.service_needs) > 0)
    GROUP BY ALL ORDER BY 2, 1`);
  await buildCountyCube(conn);
}

/** The dimensions of cube_county, in table order (all of them dimensions of cube_month). */
export const COUNTY_CUBE_DIMENSIONS = ['employment_status', 'presence', 'sex', 'age_band', 'poverty_alleviated', 'relocated'] as const;

export async function buildCountyCube(conn: DuckDBConnection): Promise<void> {
  const exists = await conn.runAndReadAll("SELECT count(*) FROM duckdb_tables() WHERE database_name = 'wh' AND schema_name = 'main' AND table_name = 'cube_county'");
  const created = Number(exists.getRows()[0][0]) === 0;
  if (created) {
    await conn.run(`CREATE TABLE wh.cube_county (county_code VARCHAR NOT NULL, month VARCHAR NOT NULL, employment_status VARCHAR,
      presence VARCHAR, sex VARCHAR, age_band VARCHAR, poverty_alleviated BOOLEAN, relocated BOOLEAN, count INTEGER NOT NULL)`);
  } else {
    await conn.run(`DELETE FROM wh.cube_county WHERE ${IN_MONTHS}`);
  }
  const dims = COUNTY_CUBE_DIMENSIONS.join(', ');
  await conn.run(`INSERT INTO wh.cube_county
    SELECT substr(village_code, 1, 6) AS county_code, month, ${dims}, sum(count)::INTEGER
    FROM wh.cube_month ${created ? '' : `WHERE ${IN_MONTHS}`}
    GROUP BY ALL ORDER BY 2, 1`);
}

export async function buildRegionMonth(conn: DuckDBConnection): Promise<void> {
  await conn.run(`DELETE FROM wh.agg_region_month WHERE ${IN_MONTHS}`);
  const stock = STOCK_METRICS.map((m) => `coalesce(${STOCK_SQL[m]}, 0) AS ${m}`).join(', ');
  const sums = REGION_MONTH_METRICS.map((m) => `sum(${m}) AS ${m}`).join(', ');
  const zeros = REGION_MONTH_METRICS.map((m) => `coalesce(r.${m}, 0)::INTEGER`).join(', ');
  await conn.run(`INSERT INTO wh.agg_region_month
    WITH vm AS (SELECT village_code, month, ${stock} FROM wh.cube_month WHERE ${IN_MONTHS} GROUP BY village_code, month),
    ev AS (
      SELECT village_code, strftime(event_date, '%Y-%m') AS month,
        count(*) FILTER (WHERE event_type = '新增') AS increases, count(*) FILTER (WHERE event_type = '减少') AS decreases
      FROM wh.events WHERE strftime(event_date, '%Y-%m') IN (SELECT month FROM recompute_months) GROUP BY 1, 2
    ),
    j AS (
      SELECT coalesce(vm.village_code, ev.village_code) AS village_code, coalesce(vm.month, ev.month) AS month,
        ${STOCK_METRICS.map((m) => `coalesce(vm.${m}, 0) AS ${m}`).join(', ')},
        coalesce(ev.increases, 0) AS increases, coalesce(ev.decreases, 0) AS decreases
      FROM vm FULL OUTER JOIN ev ON vm.village_code = ev.village_code AND vm.month = ev.month
    ),
    r AS (
      SELECT ${regionAtLevelSql('j.village_code', 'lv.level')} AS region_code, lv.level, j.month, ${sums}
      FROM j ${levelsJoin()} GROUP BY ALL
    )
    SELECT g.code, g.level, m.month, ${zeros}
    FROM wh.regions g CROSS JOIN recompute_months m
    LEFT JOIN r ON r.region_code = g.code AND r.level = g.level AND r.month = m.month
    ORDER BY m.month, g.level, g.code`);
}

export async function buildFlows(conn: DuckDBConnection): Promise<void> {
  for (const t of ['agg_flows', 'agg_transitions']) await conn.run(`DELETE FROM wh.${t} WHERE ${IN_MONTHS}`);
  const ev = `SELECT *, strftime(event_date, '%Y-%m') AS month FROM wh.events
    WHERE strftime(event_date, '%Y-%m') IN (SELECT month FROM recompute_months)`;
  await conn.run(`INSERT INTO wh.agg_flows
    SELECT ${regionAtLevelSql('e.village_code', 'lv.level')} AS region_code, lv.level, e.month, e.event_type, e.reason, count(*)::INTEGER
    FROM (${ev}) e ${levelsJoin()} GROUP BY ALL ORDER BY 3, 2, 1`);
  await conn.run(`INSERT INTO wh.agg_transitions
    SELECT ${regionAtLevelSql('e.village_code', 'lv.level')} AS region_code, lv.level, e.month, e.status_before, e.status_after, count(*)::INTEGER
    FROM (${ev}) e ${levelsJoin()}
    WHERE e.status_before IS DISTINCT FROM e.status_after
    GROUP BY ALL ORDER BY 3, 2, 1`);
}
