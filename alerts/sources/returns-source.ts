/**
 * Returns home (状态变更 / 返乡) outside the Spring Festival window, against the
 * seasonal baseline: the same calendar month of up to three earlier years, as a rate
 * per person away at the start of the month and per day outside the window, so that
 * years whose festival falls differently compare fairly.
 *
 * returns: agg_flows; festival-window returns: festival_daily (days −45..+60) mapped to
 * months with the festival of each year; away at the start of the month: agg_region_month
 * (away at the end of the previous month).
 */
import type { QuantitySource } from './quantity-source.ts';
import { intList, quantitiesOf, stringList } from './sql-values.ts';
import { addDays, addMonths } from '../month.ts';
import { festivalWindowDays } from '../festival-window.ts';
import { FESTIVAL_WINDOW, springFestivalDate } from '../../warehouse/reference/festival.ts';
import { REGION_MONTH_SQL } from '../../warehouse/metrics/region-month-metrics.ts';

/** Earlier months count in the baseline only with at least this many days outside the window. */
export const MIN_OUTSIDE_DAYS = 7;

const QUANTITIES = {
  returns: 'returns home (状态变更 返乡) with event date in the month',
  festival_returns: 'of these, returns on days inside a festival window (day −45..+60)',
  returns_outside: 'returns − festival_returns',
  away_start: 'persons away (在外) at the end of the previous month',
  outside_days: 'days of the month outside every festival window',
  baseline_rate: 'median over up to 3 earlier years (same calendar month, ≥ 7 outside days) of returns_outside / (away_start × outside_days)',
  baseline_years: 'number of earlier years in baseline_rate',
  expected: 'baseline_rate × away_start × outside_days: returns outside the window expected this month',
} as const;
const NAMES = Object.keys(QUANTITIES);

export const returnsSource: QuantitySource = {
  id: 'returns',
  description: 'Returns home outside the festival window against the same month of earlier years',
  levels: ['province', 'city', 'county', 'township', 'village'],
  quantities: QUANTITIES,
  notApplicable(period, coverage) {
    if (period < coverage.firstMonth || period > coverage.lastMonth) return `no data for ${period}`;
    if (festivalWindowDays(period).outside === 0) return `${period} lies entirely inside the Spring Festival window`;
    return undefined;
  },
  async query(wh, q) {
    const periods = [...q.periods].sort();
    // Only the months compared: each period and the same month of up to 3 earlier years.
    const months = [...new Set(periods.flatMap((p) => [0, -12, -24, -36].map((k) => addMonths(p, k))))].sort();
    const win = months.map(festivalWindowDays);
    const years = [...new Set(months.map((m) => Number(m.slice(0, 4))))];
    const fyears = [years[0] - 1, ...years, years[years.length - 1] + 1];
    const wanted = new Set(months);
    const fdays: { year: number; day: number; month: string }[] = [];
    for (const year of fyears) {
      const f = springFestivalDate(year);
      for (let day = -FESTIVAL_WINDOW.before; day <= FESTIVAL_WINDOW.after; day++) {
        const month = addDays(f, day).slice(0, 7);
        if (wanted.has(month)) fdays.push({ year, day, month });
      }
    }
    if (fdays.length === 0) fdays.push({ year: -1, day: 0, month: '' }); // typed, matchless
    const regionFilter = q.regions ? 'AND list_contains($regions, region_code)' : '';
    const rows = await wh.query(
      `WITH months AS (
         SELECT unnest($months) AS month, unnest($outside) AS outside_days, unnest($inside) AS inside_days
       ),
       -- The festival days (day −45..+60 of the festivals around the months) that fall in
       -- the months compared, with their month: festival_daily is joined to this small list
       -- instead of computing a date for each of its rows.
       fdays AS (SELECT unnest($fd_years) AS festival_year, unnest($fd_days) AS day, unnest($fd_months) AS month),
       away AS (
         SELECT region_code AS region, level,
                strftime(strptime(month || '-01', '%Y-%m-%d') + INTERVAL 1 MONTH, '%Y-%m') AS month,
                CAST(${REGION_MONTH_SQL.away.value} AS DOUBLE) AS away_start
         FROM agg_region_month
         WHERE list_contains($levels, level) AND list_contains($prev_months, month) ${regionFilter}
       ),
       flows AS (
         SELECT region_code AS region, month, CAST(sum(count) AS DOUBLE) AS returns
         FROM agg_flows
         WHERE list_contains($levels, level) AND list_contains($months, month)
           AND event_type = '状态变更' AND reason = '返乡' ${regionFilter}
         GROUP BY ALL
       ),
       fw AS (
         SELECT fd.region_code AS region, fdays.month, CAST(sum(fd.returned) AS DOUBLE) AS festival_returns
         FROM festival_daily fd JOIN fdays USING (festival_year, day)
         WHERE list_contains($levels, fd.level) ${regionFilter.replace('region_code', 'fd.region_code')}
         GROUP BY ALL
       ),
       s AS (
         SELECT a.region, a.level, a.month,
                CAST(substr(a.month, 1, 4) AS INTEGER) * 12 + CAST(substr(a.month, 6, 2) AS INTEGER) - 1 AS mi,
                m.outside_days, a.away_start,
                coalesce(f.returns, 0) AS returns,
                CASE WHEN m.inside_days = 0 THEN 0 ELSE fw.festival_returns END AS festival_returns
         FROM away a JOIN months m USING (month)
         LEFT JOIN flows f ON f.region = a.region AND f.month = a.month
         LEFT JOIN fw ON fw.region = a.region AND fw.month = a.month
       ),
       r AS (
         SELECT *, returns - festival_returns AS returns_outside,
                CASE WHEN outside_days >= $min_days AND away_start > 0
                     THEN (returns - festival_returns) / (away_start * outside_days) END AS obs_rate
         FROM s
       ),
       -- Baselines by an inner equi-join on the region (a hash join), then attached to the periods.
       base AS (
         SELECT c.region, c.mi, median(b.obs_rate) AS baseline_rate, count(b.obs_rate) AS baseline_years
         FROM r c JOIN r b ON b.region = c.region
         WHERE list_contains($periods, c.month) AND b.mi IN (c.mi - 12, c.mi - 24, c.mi - 36)
         GROUP BY c.region, c.mi
       )
       SELECT *, baseline_rate * away_start * outside_days AS expected FROM (
         SELECT c.region, c.level, c.month, c.returns, c.festival_returns, c.returns_outside, c.away_start, c.outside_days,
                base.baseline_rate, coalesce(base.baseline_years, 0) AS baseline_years
         FROM r c LEFT JOIN base USING (region, mi)
         WHERE list_contains($periods, c.month)
       )`,
      {
        months: stringList(months),
        outside: intList(win.map((w) => w.outside)),
        inside: intList(win.map((w) => w.inside)),
        prev_months: stringList(months.map((m) => addMonths(m, -1))),
        fd_years: intList(fdays.map((d) => d.year)),
        fd_days: intList(fdays.map((d) => d.day)),
        fd_months: stringList(fdays.map((d) => d.month)),
        levels: stringList(q.levels),
        periods: stringList(periods),
        min_days: MIN_OUTSIDE_DAYS,
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
