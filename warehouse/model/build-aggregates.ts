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

/** Months since year 0 of a DATE expression: consecutive months have consecutive indexes. */
const monthIndex = (date: string) => `(year(${date}) * 12 + month(${date}) - 1)`;

/**
 * The spells (the given columns; those passing `spellFilter`, SQL over alias s) active at the
 * end of each month of `months` (recompute_months or a subquery of it), with that month's
 * `month` and `month_end`. Each spell is first unnested to the months from its
 * valid_from's to its valid_to's (clipped to the recomputed ones): a superset of the months
 * at whose end it is active, since valid_from <= month_end < valid_to puts month_end's month
 * in that range. These join the months on their index (a hash join with the few months as
 * build side), then the exact test ACTIVE_AT_END keeps the right ones, whatever month_end is
 * (the last month's is the data's as-of date when that month is partial). A range join of
 * person_spells with recompute_months on the dates (a piecewise merge join) cost more than
 * the aggregation after it.
 */
function spellMonthsSql(columns: readonly string[], spellFilter: string, months: string): string {
  const cols = columns.map((c) => `s.${c}`).join(', ');
  return `SELECT ${cols}, m.month, m.month_end FROM (
      SELECT ${cols}, s.valid_from, s.valid_to,
        unnest(range(greatest(${monthIndex('s.valid_from')}, b.lo), least(coalesce(${monthIndex('s.valid_to')}, b.hi), b.hi) + 1)) AS month_index
      FROM wh.person_spells s,
        (SELECT min(${monthIndex('month_end')}) AS lo, max(${monthIndex('month_end')}) AS hi, min(month_end) AS first_end, max(month_end) AS last_end
         FROM ${months}) b
      WHERE s.valid_from <= b.last_end AND (s.valid_to IS NULL OR s.valid_to > b.first_end) AND (${spellFilter})
    ) s JOIN (SELECT month, month_end, ${monthIndex('month_end')} AS month_index FROM ${months}) m ON s.month_index = m.month_index
    WHERE ${ACTIVE_AT_END}`;
}

const SPELL_DIMENSIONS = ['village_code', 'employment_status', 'presence', 'sex', 'birth_date', 'poverty_alleviated', 'relocated', 'veteran',
  'education', 'skill_level', 'training_wish'] as const;

/**
 * One INSERT per cube and month, without ORDER BY: each month's rows are contiguous in the
 * table (zone maps on month prune as well as after the former global ORDER BY month,
 * village_code), and each aggregation holds one month's groups (about one per person: the
 * cube_month key is nearly unique) instead of all months' at once, then a sort of them all.
 */
export async function buildMonthCubes(conn: DuckDBConnection): Promise<void> {
  for (const t of ['cube_month', 'cube_destination', 'cube_service_need']) await conn.run(`DELETE FROM wh.${t} WHERE ${IN_MONTHS}`);
  const months = (await conn.runAndReadAll('SELECT DISTINCT month FROM recompute_months ORDER BY month')).getRowsJS().map((r) => String(r[0]));
  const one = '(SELECT * FROM recompute_months WHERE month = $month)';
  for (const month of months) {
    await conn.run(`INSERT INTO wh.cube_month
      SELECT village_code, month, employment_status, presence, sex, rlm_age_band(birth_date, month_end),
        coalesce(poverty_alleviated, false), coalesce(relocated, false), coalesce(veteran, false), education, skill_level,
        coalesce(training_wish, false), count(*)::INTEGER
      FROM (${spellMonthsSql(SPELL_DIMENSIONS, 'true', one)})
      GROUP BY ALL`, { month });
    await conn.run(`INSERT INTO wh.cube_destination
      SELECT village_code, month, employment_status,
        CASE WHEN employment_status IN ${sqlConstantList(WORK_REGION_STATUSES)} AND work_region_code IS NOT NULL
             THEN CASE WHEN work_region_code = '990000' THEN '990000' ELSE substr(work_region_code, 1, 2) || '0000' END END AS dest_province,
        CASE WHEN employment_status IN ${sqlConstantList(WORK_REGION_STATUSES)} AND work_region_code IS NOT NULL
                  AND work_region_code NOT LIKE '__0000'
             THEN substr(work_region_code, 1, 4) || '00' END AS dest_city,
        industry, count(*)::INTEGER
      FROM (${spellMonthsSql(['village_code', 'employment_status', 'work_region_code', 'industry'], `s.employment_status IN ${sqlConstantList(EMPLOYED_STATUSES)}`, one)})
      GROUP BY ALL`, { month });
    await conn.run(`INSERT INTO wh.cube_service_need
      SELECT village_code, month, need, employment_status, count(*)::INTEGER FROM (
        SELECT village_code, month, unnest(service_needs) AS need, employment_status
        FROM (${spellMonthsSql(['village_code', 'employment_status', 'service_needs'], 'len(s.service_needs) > 0', one)}))
      GROUP BY ALL`, { month });
  }
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
