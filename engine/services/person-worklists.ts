/**
 * Person worklists for action: whitelisted definitions over the warehouse's person-level
 * tables, each a fixed SQL text with bound parameters (the region prefix and, where
 * needed, dates). Rows carry the pseudonymous pid and non-identifying attributes only;
 * names and ID numbers are added masked by the route, from the vault.
 */
import { springFestivalDate } from '../../warehouse/reference/festival.ts';
import { regionPrefix } from './region-scope.ts';

export interface WorklistRow {
  pid: string;
  village_code: string;
  employment_status: string | null;
  presence: string | null;
  sex: string | null;
  birth_date: string | null;
  poverty_alleviated: boolean | null;
  training_wish: boolean | null;
  work_region_code: string | null;
  since: string | null;
}

export interface WorklistDefinition {
  readonly id: string;
  readonly zh: string;
  readonly en: string;
  /** SQL and its parameters for a region (code) as of a date (YYYY-MM-DD, the warehouse's data_as_of). */
  sql(region: string, asOf: string): { sql: string; params: (string | number)[] };
}

const COLUMNS = `s.pid, s.village_code, s.employment_status, s.presence, s.sex, CAST(s.birth_date AS VARCHAR) AS birth_date,
  s.poverty_alleviated, s.training_wish, s.work_region_code`;

/** Spells open at the end of day `asOf` (valid_to is exclusive). */
const OPEN_AT = `s.valid_from <= CAST(? AS DATE) AND (s.valid_to IS NULL OR s.valid_to > CAST(? AS DATE))`;

export const WORKLISTS: readonly WorklistDefinition[] = [
  {
    id: 'unemployed_poverty_training',
    zh: '有培训意愿的失业脱贫劳动力',
    en: 'Unemployed poverty-alleviated people who want training',
    sql: (region, asOf) => ({
      sql: `SELECT ${COLUMNS}, CAST(s.valid_from AS VARCHAR) AS since FROM person_spells s
            WHERE ${OPEN_AT} AND starts_with(s.village_code, ?)
              AND s.employment_status = '40' AND s.poverty_alleviated AND s.training_wish
            ORDER BY s.village_code, s.pid`,
      params: [asOf, asOf, regionPrefix(region)],
    }),
  },
  {
    id: 'festival_not_departed',
    zh: '春节返乡后第30天仍未外出人员',
    en: 'Returned home for the Spring Festival and not left by day 30',
    sql: (region, asOf) => {
      // The latest festival whose day 30 has passed by asOf.
      let year = Number(asOf.slice(0, 4));
      const day30 = (y: number) => new Date(Date.parse(`${springFestivalDate(y)}T00:00:00Z`) + 30 * 86_400_000).toISOString().slice(0, 10);
      if (day30(year) > asOf) year -= 1;
      const fd = springFestivalDate(year);
      const from = new Date(Date.parse(`${fd}T00:00:00Z`) - 45 * 86_400_000).toISOString().slice(0, 10);
      const d30 = day30(year);
      return returnedAndStillHome(from, d30, region, false);
    },
  },
];

export function worklistById(id: string): WorklistDefinition | undefined {
  return WORKLISTS.find((w) => w.id === id);
}

/** The parts of an alert that decide the persons behind it. */
export interface AlertWorklistTarget {
  readonly rule: string;
  /** The alert's region code (6-digit city/county, 9-digit township). */
  readonly region: string;
  /** The last evaluated month of the episode, YYYY-MM. */
  readonly lastPeriod: string;
  readonly labels: Readonly<Record<string, string>>;
}

export interface AlertWorklistDefinition {
  readonly rule: string;
  readonly zh: string;
  readonly en: string;
  /** SQL and its parameters for an alert, as of the warehouse's data_as_of (YYYY-MM-DD). */
  sql(alert: AlertWorklistTarget, asOf: string): { sql: string; params: (string | number)[] };
}

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** First day of a month, and the day the month's stock is read (its last day, at most asOf). */
function monthBounds(month: string, asOf: string): { start: string; end: string } {
  const [y, m] = month.split('-').map(Number);
  const last = isoDay(Date.UTC(y, m, 0));
  return { start: `${month}-01`, end: last < asOf ? last : asOf };
}

/** The same month one year earlier. */
const yearBefore = (month: string) => `${Number(month.slice(0, 4)) - 1}${month.slice(4)}`;

/**
 * Persons who went from an employed status to 40 (unemployed) during the month and are
 * still unemployed at its end; `dest` optionally keeps those whose previous work region
 * lies in one destination (the job-loss source's key: a city, a municipality or abroad).
 */
function newlyUnemployed(alert: AlertWorklistTarget, asOf: string, dest: string | undefined) {
  const { start, end } = monthBounds(alert.lastPeriod, asOf);
  // The destination key of alerts/sources/job-loss-source.ts: abroad, a province-level code as
  // recorded, a municipality, or the city of the previous work region ('local' when none).
  const destKey = `CASE WHEN e.work_region_before IS NULL OR e.work_region_before = '' THEN 'local'
      WHEN e.work_region_before = '990000' THEN '990000'
      WHEN substr(e.work_region_before, 3, 4) = '0000' THEN e.work_region_before
      WHEN substr(e.work_region_before, 1, 2) IN ('11', '12', '31', '50') THEN substr(e.work_region_before, 1, 2) || '0000'
      ELSE substr(e.work_region_before, 1, 4) || '00' END`;
  const destFilter = dest === undefined ? '' : `AND ${destKey} = ?`;
  const destParams = dest === undefined ? [] : [dest];
  return {
    sql: `WITH lost AS (
            SELECT e.pid, max(e.event_date) AS lost_on FROM events e
            WHERE e.event_type = '状态变更' AND e.status_after = '40' AND e.status_before IN ('10', '21', '22', '23', '24', '30')
              AND e.event_date >= CAST(? AS DATE) AND e.event_date <= CAST(? AS DATE) AND starts_with(e.village_code, ?) ${destFilter}
            GROUP BY e.pid)
          SELECT ${COLUMNS}, CAST(l.lost_on AS VARCHAR) AS since FROM lost l
          JOIN person_spells s ON s.pid = l.pid AND ${OPEN_AT}
          WHERE s.employment_status = '40'
          ORDER BY s.village_code, s.pid`,
    params: [start, end, regionPrefix(alert.region), ...destParams, end, end],
  };
}

/**
 * Worklists of the persons behind an alert, per rule: whom the county can act on. Rules
 * about collection points and data quality have no persons behind them (absent here).
 */
/**
 * Persons of the region who returned home (返乡; only as a 状态变更 unless `statusChangesOnly` is
 * false) between `from` and `end` and are still at home at `end`.
 */
function returnedAndStillHome(from: string, end: string, region: string, statusChangesOnly = true): { sql: string; params: string[] } {
  return {
    sql: `WITH returned AS (
            SELECT e.pid, max(e.event_date) AS returned_on FROM events e
            WHERE ${statusChangesOnly ? "e.event_type = '状态变更' AND " : ''}e.reason = '返乡' AND e.event_date BETWEEN CAST(? AS DATE) AND CAST(? AS DATE)
              AND starts_with(e.village_code, ?)
            GROUP BY e.pid)
          SELECT ${COLUMNS}, CAST(r.returned_on AS VARCHAR) AS since FROM returned r
          JOIN person_spells s ON s.pid = r.pid AND ${OPEN_AT}
          WHERE s.presence = '在乡'
          ORDER BY s.village_code, s.pid`,
    params: [from, end, regionPrefix(region), end, end],
  };
}

export const ALERT_WORKLISTS: readonly AlertWorklistDefinition[] = [
  {
    rule: 'unemployment_rate_high',
    zh: '预警地区月末失业人员',
    en: 'Unemployed people in the alert’s region at the end of its last month',
    sql: (alert, asOf) => {
      const { end } = monthBounds(alert.lastPeriod, asOf);
      return {
        sql: `SELECT ${COLUMNS}, CAST(s.valid_from AS VARCHAR) AS since FROM person_spells s
              WHERE ${OPEN_AT} AND starts_with(s.village_code, ?) AND s.employment_status = '40'
              ORDER BY s.village_code, s.pid`,
        params: [end, end, regionPrefix(alert.region)],
      };
    },
  },
  {
    rule: 'unemployment_jump',
    zh: '预警当月新增失业人员',
    en: 'People who lost work in the alert’s last month and are still unemployed',
    sql: (alert, asOf) => newlyUnemployed(alert, asOf, undefined),
  },
  {
    rule: 'clustered_job_loss',
    zh: '预警当月在该务工地失业人员',
    en: 'People who lost work at the alert’s destination in its last month and are still unemployed',
    sql: (alert, asOf) => newlyUnemployed(alert, asOf, alert.labels.destination),
  },
  {
    rule: 'mass_return',
    zh: '预警当月返乡且仍在乡人员',
    en: 'People who returned home in the alert’s last month and are still at home',
    sql: (alert, asOf) => {
      const { start, end } = monthBounds(alert.lastPeriod, asOf);
      return returnedAndStillHome(start, end, alert.region);
    },
  },
  {
    rule: 'festival_return_lag',
    zh: '节前返乡、第30天仍未外出人员',
    en: 'People who returned for the alert’s Spring Festival and had not left by day 30',
    sql: (alert, asOf) => {
      const fd = springFestivalDate(Number(alert.lastPeriod.slice(0, 4)));
      const fdMs = Date.parse(`${fd}T00:00:00Z`);
      const from = isoDay(fdMs - 45 * 86_400_000);
      const d30 = isoDay(fdMs + 30 * 86_400_000);
      const end = d30 < asOf ? d30 : asOf;
      return returnedAndStillHome(from, end, alert.region);
    },
  },
  {
    rule: 'poverty_employment_below_last_year',
    zh: '上年同月外出务工、本月未务工的脱贫劳动力',
    en: 'Poverty-alleviated people in transfer employment a year earlier and not at the end of the alert’s last month',
    sql: (alert, asOf) => {
      const { end } = monthBounds(alert.lastPeriod, asOf);
      const before = monthBounds(yearBefore(alert.lastPeriod), asOf).end;
      const transfer = "('21', '22', '23', '24', '30')";
      return {
        sql: `SELECT ${COLUMNS}, CAST(s.valid_from AS VARCHAR) AS since FROM person_spells s
              JOIN person_spells p ON p.pid = s.pid AND p.valid_from <= CAST(? AS DATE) AND (p.valid_to IS NULL OR p.valid_to > CAST(? AS DATE))
              WHERE ${OPEN_AT} AND starts_with(s.village_code, ?) AND s.poverty_alleviated
                AND s.employment_status NOT IN ${transfer} AND p.employment_status IN ${transfer} AND p.poverty_alleviated
              ORDER BY s.village_code, s.pid`,
        params: [before, before, end, end, regionPrefix(alert.region)],
      };
    },
  },
];

export function alertWorklistByRule(rule: string): AlertWorklistDefinition | undefined {
  return ALERT_WORKLISTS.find((w) => w.rule === rule);
}
