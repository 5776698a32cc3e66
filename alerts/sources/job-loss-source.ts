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
import type { QuantitySource } from './quantity-source.ts';
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

/** Destination key of a work region code (SQL over a column expression that is a constant here). */
const dest = (col: string) => `CASE
    WHEN ${col} IS NULL OR ${col} = '' THEN 'local'
    WHEN ${col} = '990000' THEN '990000'
    WHEN substr(${col}, 3, 4) = '0000' THEN ${col}
    WHEN substr(${col}, 1, 2) IN ('11', '12', '31', '50') THEN substr(${col}, 1, 2) || '0000'
    ELSE substr(${col}, 1, 4) || '00' END`;

/** Region-code expressions per level over events' home codes and cube villages (whitelist). */
const LEVEL_KEYS: Partial<Record<AlertLevel, { events: string; cube: string }>> = {
  city: { events: 'home_city', cube: "substr(village_code, 1, 4) || '00'" },
  county: { events: 'home_county', cube: 'substr(village_code, 1, 6)' },
  township: { events: 'home_township', cube: 'substr(village_code, 1, 9)' },
  village: { events: 'home_village', cube: 'village_code' },
};

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
  async query(wh, q) {
    const out = [];
    for (const period of q.periods) {
      for (const level of q.levels) {
        const key = LEVEL_KEYS[level];
        if (!key) continue;
        const rows = await wh.query(
          `WITH ev AS (
             SELECT village_code AS home_village, substr(village_code, 1, 9) AS home_township,
                    substr(village_code, 1, 6) AS home_county, substr(village_code, 1, 4) || '00' AS home_city,
                    ${dest('work_region_before')} AS dest
             FROM events
             WHERE event_date >= CAST($start AS DATE) AND event_date < CAST($end AS DATE)
               AND event_type = '状态变更' AND status_after = '40' AND list_contains($employed, status_before)
           ),
           loss AS (SELECT ${key.events} AS region, dest, CAST(count(*) AS DOUBLE) AS lost FROM ev GROUP BY ALL),
           wk AS (
             SELECT ${key.cube} AS region, ${dest('coalesce(dest_city, dest_province)')} AS dest, CAST(sum(count) AS DOUBLE) AS workers
             FROM cube_destination
             WHERE month = $prev AND list_contains($employed, employment_status)
             GROUP BY ALL
           ),
           tot_loss AS (SELECT dest, sum(lost) AS lost FROM loss GROUP BY ALL),
           tot_wk AS (SELECT dest, sum(workers) AS workers FROM wk GROUP BY ALL)
           SELECT l.region, l.dest, l.lost, coalesce(w.workers, 0) AS workers,
                  l.lost / nullif(w.workers, 0) AS share,
                  (tl.lost - l.lost) / nullif(tw.workers - coalesce(w.workers, 0), 0) AS province_share,
                  (tl.lost - l.lost) / nullif(tw.workers - coalesce(w.workers, 0), 0) * coalesce(w.workers, 0) AS expected
           FROM loss l
           LEFT JOIN wk w ON w.region = l.region AND w.dest = l.dest
           JOIN tot_loss tl ON tl.dest = l.dest
           LEFT JOIN tot_wk tw ON tw.dest = l.dest
           ${q.regions ? 'WHERE list_contains($regions, l.region)' : ''}`,
          {
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
            level,
            period,
            scope: String(r.region),
            q: quantitiesOf(r, NAMES),
            labels: { destination: String(r.dest) },
          });
        }
      }
    }
    return out;
  },
};
