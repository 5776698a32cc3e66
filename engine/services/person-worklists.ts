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
      return {
        sql: `WITH returned AS (
                SELECT e.pid, max(e.event_date) AS returned_on FROM events e
                WHERE e.reason = '返乡' AND e.event_date BETWEEN CAST(? AS DATE) AND CAST(? AS DATE) AND starts_with(e.village_code, ?)
                GROUP BY e.pid)
              SELECT ${COLUMNS}, CAST(r.returned_on AS VARCHAR) AS since FROM returned r
              JOIN person_spells s ON s.pid = r.pid AND ${OPEN_AT}
              WHERE s.presence = '在乡'
              ORDER BY s.village_code, s.pid`,
        params: [from, d30, regionPrefix(region), d30, d30],
      };
    },
  },
];

export function worklistById(id: string): WorklistDefinition | undefined {
  return WORKLISTS.find((w) => w.id === id);
}
