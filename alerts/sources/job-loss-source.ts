/**
 * Clustered job loss: for each region and work destination (the city of the previous
 * work region; municipalities and abroad as a whole), the people who lost their job in
 * the month (状态变更 from an employed status to 40 失业) against the workers the region
 * had there at the end of the previous month, and against the loss expected at the
 * province's rate for that destination and month (the region itself excluded).
 *
 * Losses: the events table (one month of events, filtered by date); workers:
 * cube_destination rolled up from villages. A region has one row per destination with
 * a loss; the evaluation keeps its worst.
 */
import type { QuantitySource, SourceRow } from './quantity-source.ts';
import type { AlertLevel } from '../alert-level.ts';
import { quantitiesOf, stringList } from './sql-values.ts';
import { addMonths, firstDay } from '../month.ts';

const QUANTITIES = {
  lost: 'people of the region who went from an employed status to 40 (unemployed) at this destination in the month',
  workers: 'people of the region employed at this destination at the end of the previous month',
  share: 'lost / workers',
  province_share: 'the same share for the whole province without this region',
  expected: 'province_share × workers: losses expected at the province rate',
} as const;
const NAMES = Object.keys(QUANTITIES);

/** Destination key of a work region code (SQL over a column name that is a constant here). */
const dest = (col: string) => `CASE
    WHEN ${col} IS NULL OR ${col} = '' THEN 'local'
    WHEN ${col} = '990000' THEN '990000'
    WHEN substr(${col}, 3, 4) = '0000' THEN ${col}
    WHEN substr(${col}, 1, 2) IN ('11', '12', '31', '50') THEN substr(${col}, 1, 2) || '0000'
    ELSE substr(${col}, 1, 4) || '00' END`;

/**
 * Region codes are prefixes of the village code: each level's code from a key that is
 * at least as fine (SQL over the column `k`; whitelist).
 */
const LEVEL_KEYS: Partial<Record<AlertLevel, { fineness: number; key: (col: string) => string }>> = {
  city: { fineness: 1, key: (col) => `substr(${col}, 1, 4) || '00'` },
  county: { fineness: 2, key: (col) => `substr(${col}, 1, 6)` },
  township: { fineness: 3, key: (col) => `substr(${col}, 1, 9)` },
  village: { fineness: 4, key: (col) => col },
};
/** The grouping key of the finest level asked for, from a village code (a prefix of it). */
const BASE_KEYS = ['', 'substr(village_code, 1, 4)', 'substr(village_code, 1, 6)', 'substr(village_code, 1, 9)', 'village_code'];

const EMPLOYED = ['10', '21', '22', '23', '24', '30'];

export const jobLossSource: QuantitySource = {
  id: 'job_loss',
  description: 'Job losses per region and destination in the month against workers there and the province rate',
  levels: ['city', 'county', 'township', 'village'],
  quantities: QUANTITIES,
  notApplicable(period, coverage) {
    if (period <= coverage.firstMonth || period > coverage.lastMonth) return `no previous-month stock for ${period}`;
    return undefined;
  },
  // One query for every period and level: losses and workers are first summed per finest
  // region and raw destination (the person-grain tables are read once), then mapped to
  // destinations and rolled up to each level. Rows come ordered by level, region and
  // destination, so that the evaluation's choice among equally judged rows is stable.
  async query(wh, q) {
    const levels = q.levels.filter((l) => LEVEL_KEYS[l]);
    if (levels.length === 0 || q.periods.length === 0) return [];
    const base = BASE_KEYS[Math.max(...levels.map((l) => LEVEL_KEYS[l]!.fineness))];
    const perLevel = (cte: string, value: string) =>
      levels.map((l) => `SELECT CAST($level_${l} AS VARCHAR) AS level, ${LEVEL_KEYS[l]!.key('k')} AS region, dest, ${value} FROM ${cte}`).join('\n UNION ALL ');
    const out: SourceRow[] = [];
    for (const period of q.periods) {
      const rows = await wh.query(
        `WITH ev0 AS (
           SELECT ${base} AS k, work_region_before AS raw, count(*) AS n
           FROM events
           WHERE event_date >= CAST($start AS DATE) AND event_date < CAST($end AS DATE)
             AND event_type = '状态变更' AND status_after = '40' AND list_contains($employed, status_before)
           GROUP BY ALL
         ),
         ev AS (SELECT k, ${dest('raw')} AS dest, sum(n) AS n FROM ev0 GROUP BY ALL),
         wk0 AS (
           SELECT ${base} AS k, coalesce(dest_city, dest_province) AS raw, sum(count) AS n
           FROM cube_destination
           WHERE month = $prev AND list_contains($employed, employment_status)
           GROUP BY ALL
         ),
         wk1 AS (SELECT k, ${dest('raw')} AS dest, sum(n) AS n FROM wk0 GROUP BY ALL),
         loss AS (SELECT level, region, dest, CAST(sum(n) AS DOUBLE) AS lost FROM (${perLevel('ev', 'n')}) GROUP BY ALL),
         -- Workers only where there is a loss (the only pairs reported).
         wk AS (
           SELECT w.level, w.region, w.dest, CAST(sum(w.n) AS DOUBLE) AS workers
           FROM (${perLevel('wk1', 'n')}) w SEMI JOIN loss l ON l.level = w.level AND l.region = w.region AND l.dest = w.dest
           GROUP BY ALL
         ),
         tot_loss AS (SELECT dest, CAST(sum(n) AS DOUBLE) AS lost FROM ev GROUP BY ALL),
         tot_wk AS (SELECT dest, CAST(sum(n) AS DOUBLE) AS workers FROM wk1 GROUP BY ALL)
         SELECT l.level, l.region, l.dest, l.lost, coalesce(w.workers, 0) AS workers,
                l.lost / nullif(w.workers, 0) AS share,
                (tl.lost - l.lost) / nullif(tw.workers - coalesce(w.workers, 0), 0) AS province_share,
                (tl.lost - l.lost) / nullif(tw.workers - coalesce(w.workers, 0), 0) * coalesce(w.workers, 0) AS expected
         FROM loss l
         LEFT JOIN wk w ON w.level = l.level AND w.region = l.region AND w.dest = l.dest
         JOIN tot_loss tl ON tl.dest = l.dest
         LEFT JOIN tot_wk tw ON tw.dest = l.dest
         ${q.regions ? 'WHERE list_contains($regions, l.region)' : ''}
         ORDER BY l.level, l.region, l.dest`,
        {
          ...Object.fromEntries(levels.map((l) => [`level_${l}`, l])),
          start: firstDay(period),
          end: firstDay(addMonths(period, 1)),
          prev: addMonths(period, -1),
          employed: stringList(EMPLOYED),
          ...(q.regions ? { regions: stringList(q.regions) } : {}),
        },
      );
      for (const r of rows) {
        out.push({
          region: String(r.region),
          level: r.level as AlertLevel,
          period,
          scope: String(r.region),
          q: quantitiesOf(r, NAMES),
          labels: { destination: String(r.dest) },
        });
      }
    }
    return out;
  },
};
