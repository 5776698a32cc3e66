/**
 * Monthly stocks of every region (agg_region_month): unemployment rate and its
 * month-on-month rise, the Sahm-style gap (3-month average against its low of the
 * preceding 12 months), seasonal baselines (the same calendar month of up to three
 * earlier years), and poverty-alleviated labour in transfer employment against the same
 * month last year. One set-based query over all regions of the requested levels.
 */
import type { QuantitySource } from './quantity-source.ts';
import { intList, stringList, quantitiesOf } from './sql-values.ts';
import { addMonths, monthIndex } from '../month.ts';
import { REGION_MONTH_SQL } from '../../warehouse/metrics/region-month-metrics.ts';

// The catalogue's definitions (warehouse/metrics), as expressions over one agg_region_month row.
const M = REGION_MONTH_SQL;

const QUANTITIES = {
  registered: 'registered labour force at month end (all active persons, agg_region_month.labour_force)',
  employed: 'employed at month end (statuses 10, 21-24, 30)',
  unemployed: 'unemployed at month end (status 40)',
  rate_base: 'employed + unemployed (the denominator of the unemployment rate)',
  rate: 'unemployment rate = unemployed / (employed + unemployed) (catalogue: unemployment_rate)',
  province_rate: "the province's unemployment rate in the same month",
  prev_unemployed: 'unemployed at the end of the previous month',
  prev_rate_base: 'employed + unemployed at the end of the previous month',
  prev_rate: 'unemployment rate of the previous month',
  rise: 'rate − prev_rate (month-on-month rise)',
  seasonal_rise: 'median of the month-on-month rise in the same calendar month of up to 3 earlier years (null without history)',
  avg3_rate: 'unemployment rate of the last 3 months pooled (sum unemployed / sum base, months M-2..M)',
  low12_avg3_rate: 'lowest avg3_rate of the 12 preceding months',
  history_months: 'number of preceding months (of 12) with an avg3_rate',
  median12_avg3_rate: 'median avg3_rate of the 12 preceding months (the typical level, robust to noise dips)',
  seasonal_avg3_excess: 'median of avg3_rate − median12_avg3_rate in the same calendar month of up to 3 earlier years (null without history)',
  sahm_gap: 'avg3_rate − low12_avg3_rate (Sahm-style gap)',
  seasonal_sahm_gap: 'median of sahm_gap in the same calendar month of up to 3 earlier years (null without history)',
  seasonal_years: 'number of earlier years in the seasonal baselines',
  poverty_total: 'poverty-alleviated persons (脱贫劳动力) at month end',
  poverty_transfer: 'poverty-alleviated persons in transfer employment (statuses 21-24, 30) at month end',
  last_year_poverty_total: 'poverty_total in the same month last year',
  last_year_poverty_transfer: 'poverty_transfer in the same month last year',
} as const;

const NAMES = Object.keys(QUANTITIES);

export const regionMonthSource: QuantitySource = {
  id: 'region_month',
  description: 'Month-end stocks per region from agg_region_month, with month-on-month, 3-month, 12-month and year-on-year windows',
  levels: ['province', 'city', 'county', 'township', 'village'],
  quantities: QUANTITIES,
  notApplicable(period, coverage) {
    if (period < coverage.firstMonth) return `no data before ${coverage.firstMonth}`;
    if (period > coverage.lastMonth) return `no data after ${coverage.lastMonth}`;
    return undefined;
  },
  async query(wh, q) {
    const periods = [...q.periods].sort();
    const from = addMonths(periods[0], -40);
    const to = periods[periods.length - 1];
    const regionFilter = q.regions ? 'AND list_contains($regions, region_code)' : '';
    const rows = await wh.query(
      `WITH prov AS (
         SELECT month, CAST(${M.unemployment_rate.numerator} AS DOUBLE) / nullif(${M.unemployment_rate.denominator}, 0) AS province_rate
         FROM agg_region_month WHERE level = 'province' AND month BETWEEN $from AND $to
       ),
       base AS (
         SELECT region_code AS region, level, month,
                CAST(substr(month, 1, 4) AS INTEGER) * 12 + CAST(substr(month, 6, 2) AS INTEGER) - 1 AS mi,
                CAST(${M.labour_force.value} AS DOUBLE) AS registered,
                CAST(${M.employed.value} AS DOUBLE) AS employed,
                CAST(${M.unemployment_rate.numerator} AS DOUBLE) AS unemployed,
                CAST(${M.unemployment_rate.denominator} AS DOUBLE) AS rate_base,
                CAST(poverty_total AS DOUBLE) AS poverty_total,
                CAST(${M.poverty_employed.value} AS DOUBLE) AS poverty_transfer
         FROM agg_region_month
         WHERE list_contains($levels, level) AND month BETWEEN $from AND $to ${regionFilter}
       ),
       -- Neighbouring months by equi-joins on (region, month index): a missing month (a
       -- region without anybody) gives nulls.
       w1 AS (
         SELECT t.*, t.unemployed / nullif(t.rate_base, 0) AS rate,
                p1.unemployed AS prev_unemployed, p1.rate_base AS prev_rate_base,
                (t.unemployed + p1.unemployed + p2.unemployed) / nullif(t.rate_base + p1.rate_base + p2.rate_base, 0) AS avg3_rate
         FROM base t
         LEFT JOIN base p1 ON p1.region = t.region AND p1.mi = t.mi - 1
         LEFT JOIN base p2 ON p2.region = t.region AND p2.mi = t.mi - 2
       ),
       -- The months whose 12-month statistics are needed: the periods and the same month
       -- 1-3 years earlier (seasonal baselines). Joins, not framed window medians (slow).
       need AS (SELECT DISTINCT unnest($need) AS mi),
       y1 AS (
         SELECT t.region, t.mi, min(h.avg3_rate) AS low12_avg3_rate, median(h.avg3_rate) AS median12_avg3_rate,
                count(h.avg3_rate) AS history_months
         FROM w1 t JOIN need USING (mi)
         JOIN w1 h ON h.region = t.region AND h.mi BETWEEN t.mi - 12 AND t.mi - 1
         GROUP BY t.region, t.mi
       ),
       ly AS (
         SELECT t.region, t.mi, h.poverty_total AS last_year_poverty_total, h.poverty_transfer AS last_year_poverty_transfer
         FROM base t JOIN need USING (mi) JOIN base h ON h.region = t.region AND h.mi = t.mi - 12
       ),
       w3 AS (
         SELECT w1.*, ly.last_year_poverty_total, ly.last_year_poverty_transfer, y1.low12_avg3_rate, y1.median12_avg3_rate, coalesce(y1.history_months, 0) AS history_months,
                prev_unemployed / nullif(prev_rate_base, 0) AS prev_rate,
                rate - prev_unemployed / nullif(prev_rate_base, 0) AS rise,
                avg3_rate - y1.low12_avg3_rate AS sahm_gap, avg3_rate - y1.median12_avg3_rate AS avg3_excess
         FROM w1 JOIN need USING (mi) LEFT JOIN y1 USING (region, mi) LEFT JOIN ly USING (region, mi)
       ),
       seasonal AS (
         SELECT t.region, t.mi, median(e.rise) AS seasonal_rise, median(e.sahm_gap) AS seasonal_sahm_gap,
                median(e.avg3_excess) AS seasonal_avg3_excess, count(e.rise) AS seasonal_years
         FROM w3 t JOIN w3 e ON e.region = t.region AND e.mi IN (t.mi - 12, t.mi - 24, t.mi - 36)
         WHERE list_contains($periods, t.month)
         GROUP BY t.region, t.mi
       )
       SELECT w3.*, seasonal.seasonal_rise, seasonal.seasonal_sahm_gap, seasonal.seasonal_avg3_excess,
              coalesce(seasonal.seasonal_years, 0) AS seasonal_years, prov.province_rate
       FROM w3 LEFT JOIN seasonal USING (region, mi) LEFT JOIN prov USING (month)
       WHERE list_contains($periods, w3.month)`,
      {
        from,
        to,
        levels: stringList(q.levels),
        periods: stringList(periods),
        need: intList(periods.flatMap((p) => [0, 12, 24, 36].map((k) => monthIndex(p) - k))),
        ...(q.regions ? { regions: stringList(q.regions) } : {}),
      },
    );
    return rows.map((r) => ({
      region: String(r.region),
      level: r.level as never,
      period: String(r.month),
      scope: String(r.region),
      q: quantitiesOf(r, NAMES),
    }));
  },
};
