/**
 * Monthly update rate and on-time rate of collection points per region: for report
 * month M (once the data cover its deadline), the points due (established by the end
 * of M), those that submitted as of the data, and those that submitted by the deadline.
 */
import type { QuantitySource } from './quantity-source.ts';
import type { AlertLevel } from '../alert-level.ts';
import { quantitiesOf, stringList } from './sql-values.ts';
import { lastDay, submissionDeadline } from '../month.ts';

const QUANTITIES = {
  points_due: 'collection points established by the end of the month',
  points_submitted: 'of these, points with a submission for the month as of the data',
  points_on_time: 'of these, points that submitted by the deadline',
  update_rate: 'points_submitted / points_due',
  on_time_rate: 'points_on_time / points_due',
} as const;
const NAMES = Object.keys(QUANTITIES);

const LEVEL_KEYS: Partial<Record<AlertLevel, string>> = {
  province: "'510000'",
  city: "substr(county_code, 1, 4) || '00'",
  county: 'county_code',
  township: 'township_code',
};

export const pointRatesSource: QuantitySource = {
  id: 'point_rates',
  description: 'Share of collection points that submitted (update rate) and submitted on time, per region',
  levels: ['province', 'city', 'county', 'township'],
  quantities: QUANTITIES,
  notApplicable(period, coverage, settings) {
    const deadline = submissionDeadline(period, settings.deadlineDay);
    if (period < coverage.firstMonth) return `no data before ${coverage.firstMonth}`;
    if (coverage.dataAsOf < deadline) return `the deadline ${deadline} for ${period} is after the data (${coverage.dataAsOf})`;
    return undefined;
  },
  async query(wh, q) {
    const out = [];
    for (const period of q.periods) {
      for (const level of q.levels) {
        const key = LEVEL_KEYS[level];
        if (!key) continue;
        const rows = await wh.query(
          `WITH pts AS (
             SELECT point_code, arg_max(township_code, as_of) AS township_code, arg_max(county_code, as_of) AS county_code,
                    arg_max(established_on, as_of) AS established_on
             FROM points GROUP BY point_code
           ),
           sub AS (
             SELECT point_code,
                    max(CASE WHEN submitted_on IS NOT NULL AND status <> '未报送' THEN 1 ELSE 0 END) AS submitted,
                    max(CASE WHEN submitted_on IS NOT NULL AND status <> '未报送' AND CAST(submitted_on AS DATE) <= CAST($deadline AS DATE) THEN 1 ELSE 0 END) AS on_time
             FROM submissions WHERE month = $month GROUP BY ALL
           ),
           due AS (
             SELECT ${key} AS region, p.point_code, coalesce(s.submitted, 0) AS submitted, coalesce(s.on_time, 0) AS on_time
             FROM pts p LEFT JOIN sub s USING (point_code)
             WHERE p.established_on IS NULL OR CAST(p.established_on AS DATE) <= CAST($month_end AS DATE)
           )
           SELECT region, CAST(count(*) AS DOUBLE) AS points_due, CAST(sum(submitted) AS DOUBLE) AS points_submitted,
                  CAST(sum(on_time) AS DOUBLE) AS points_on_time,
                  sum(submitted) / count(*) AS update_rate, sum(on_time) / count(*) AS on_time_rate
           FROM due ${q.regions ? 'WHERE list_contains($regions, region)' : ''}
           GROUP BY ALL`,
          {
            month: period,
            month_end: lastDay(period),
            deadline: submissionDeadline(period, q.settings.deadlineDay),
            ...(q.regions ? { regions: stringList(q.regions) } : {}),
          },
        );
        for (const r of rows) out.push({ region: String(r.region), level, period, scope: String(r.region), q: quantitiesOf(r, NAMES) });
      }
    }
    return out;
  },
};
