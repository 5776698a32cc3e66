/**
 * Collection points (采集点) and their monthly submissions (月度报送). For a report month
 * M the deadline is day `deadlineDay` (default 5) of M+1; the source applies once the
 * data cover the deadline. A point is missing for M when, as of the data, it has no
 * submission for M (no row, no submission date, or status 未报送). Points established
 * after M are not due. The point structure is the latest points file (as the metric
 * catalogue's point_update_rate).
 */
import type { QuantitySource, SourceRow } from './quantity-source.ts';
import { quantitiesOf, stringList } from './sql-values.ts';
import { addMonths, daysBetween, lastDay, monthRange } from '../month.ts';

const LOOKBACK = 12;
import { submissionDeadline } from '../../warehouse/metrics/submission-deadline.ts';
import { deadlineNotPassed } from './deadline-not-passed.ts';

const QUANTITIES = {
  missing: '1 when the point has no submission for the month as of the data, else 0',
  months_missing: 'consecutive report months up to this one the point has missed (counted back at most 12 months)',
  days_overdue: 'days from the deadline to the last day the data cover',
} as const;
const NAMES = Object.keys(QUANTITIES);

export const pointsSource: QuantitySource = {
  id: 'points',
  description: 'Monthly submission of every collection point by the deadline',
  levels: ['point'],
  quantities: QUANTITIES,
  notApplicable: (period, coverage, settings) => deadlineNotPassed(period, coverage, settings.deadlineDay),
  async query(wh, q) {
    const periods = [...q.periods].sort();
    // Consecutive months missed are counted back at most LOOKBACK months (the top severity needs 3).
    const first = wh.meta.first_month ?? periods[0];
    const from = addMonths(periods[0], -LOOKBACK);
    const months = monthRange(first > from ? first : from, periods[periods.length - 1]).filter(
      (m) => submissionDeadline(m, q.settings.deadlineDay) <= q.dataAsOf,
    );
    if (months.length === 0) return [];
    const rows = await wh.query(
      `WITH months AS (SELECT unnest($months) AS month, CAST(unnest($month_ends) AS DATE) AS month_end),
       pts AS (
         SELECT point_code, point_name, township_code, county_code, established_on
         FROM points WHERE as_of = (SELECT max(as_of) FROM points)
       ),
       -- For each point and period: missing now? and the last month (within the lookback,
       -- not before the point existed) it did submit; consecutive months missed = the gap.
       due AS (
         SELECT p.point_code, p.point_name, p.township_code, p.county_code, m.month,
                CAST(substr(m.month, 1, 4) AS INTEGER) * 12 + CAST(substr(m.month, 6, 2) AS INTEGER) AS mi,
                CASE WHEN p.established_on IS NULL THEN NULL
                     ELSE year(CAST(p.established_on AS DATE)) * 12 + month(CAST(p.established_on AS DATE)) END AS est_mi
         FROM pts p CROSS JOIN months m
         WHERE list_contains($periods, m.month) AND (p.established_on IS NULL OR CAST(p.established_on AS DATE) <= m.month_end)
           ${q.regions ? 'AND list_contains($regions, p.point_code)' : ''}
       ),
       -- Months in which a point submitted (any of its rows for the month).
       done AS (
         SELECT point_code, CAST(substr(month, 1, 4) AS INTEGER) * 12 + CAST(substr(month, 6, 2) AS INTEGER) AS mi
         FROM submissions
         WHERE list_contains($months, month) AND submitted_on IS NOT NULL AND status <> '未报送'
       ),
       -- Per point and period month (a handful of months, not a join with every due point-month).
       period_mi AS (SELECT DISTINCT mi FROM due),
       last_done AS (
         SELECT x.point_code, p.mi, max(x.mi) AS last_mi, bool_or(x.mi = p.mi) AS submitted_now
         FROM done x JOIN period_mi p ON x.mi <= p.mi
         GROUP BY x.point_code, p.mi
       )
       SELECT d.point_code, d.point_name, d.township_code, d.county_code, d.month,
              CASE WHEN coalesce(l.submitted_now, false) THEN 0 ELSE 1 END AS missing,
              CASE WHEN coalesce(l.submitted_now, false) THEN 0
                   ELSE d.mi - greatest(coalesce(l.last_mi, 0), coalesce(d.est_mi, 0) - 1, d.mi - $lookback) END AS months_missing
       FROM due d LEFT JOIN last_done l ON l.point_code = d.point_code AND l.mi = d.mi`,
      {
        months: stringList(months),
        month_ends: stringList(months.map(lastDay)),
        lookback: LOOKBACK,
        periods: stringList(periods),
        ...(q.regions ? { regions: stringList(q.regions) } : {}),
      },
    );
    const overdue = new Map(periods.map((p) => [p, daysBetween(submissionDeadline(p, q.settings.deadlineDay), q.dataAsOf)]));
    return rows.map((r): SourceRow => {
      const period = String(r.month);
      const quantities = quantitiesOf(r, NAMES);
      quantities.days_overdue = overdue.get(period) ?? daysBetween(submissionDeadline(period, q.settings.deadlineDay), q.dataAsOf);
      return {
        region: String(r.point_code),
        level: 'point',
        period,
        scope: String(r.township_code),
        q: quantities,
        labels: { point_name: String(r.point_name ?? ''), township: String(r.township_code), county: String(r.county_code) },
      };
    });
  },
};
