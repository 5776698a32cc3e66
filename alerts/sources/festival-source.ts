/**
 * The Spring Festival departure lag: the share of those who returned home in the
 * festival window who have not left again by day +N (N = festivalLagDay, default 30),
 * against the same share at the same festival-aligned day of up to three earlier
 * festivals. Evaluated in the month in which day +N falls (period = that month).
 *
 * From festival_daily (returned/departed per day relative to the festival).
 */
import type { QuantitySource } from './quantity-source.ts';
import { intList, quantitiesOf, stringList } from './sql-values.ts';
import { addDays } from '../month.ts';
import { festivalYearsWithDayIn } from '../festival-window.ts';
import { FESTIVAL_WINDOW, springFestivalDate } from '../../warehouse/reference/festival.ts';
import { FESTIVAL_SQL } from '../../warehouse/metrics/festival-metrics.ts';

// The catalogue's definition: not departed = returned − departed over the window so far.
const NOT_DEPARTED = FESTIVAL_SQL.festival_not_departed.value;

const QUANTITIES = {
  returned: 'returns home (返乡) on days −45..+N of this festival',
  departed: 'departures (外出) on days −45..+N of this festival',
  not_departed: 'returned − departed: not yet departed at day +N (catalogue: festival_not_departed)',
  share: 'not_departed / returned (1 − catalogue festival_return_rate)',
  baseline_returned: 'returned, summed over the earlier festivals in the baseline',
  baseline_not_departed: 'not_departed, summed over the earlier festivals in the baseline',
  baseline_share: 'median of share over up to 3 earlier festivals (same day +N)',
  baseline_years: 'number of earlier festivals in the baseline',
  lag_day: 'N, the festival day at which the lag is measured',
} as const;
const NAMES = Object.keys(QUANTITIES);

/** Whether the data covers a festival's window from day −45 through day `day`. */
function covered(year: number, day: number, coverage: { firstMonth: string; dataAsOf: string }): boolean {
  const f = springFestivalDate(year);
  return addDays(f, -FESTIVAL_WINDOW.before) >= `${coverage.firstMonth}-01` && addDays(f, day) <= coverage.dataAsOf;
}

export const festivalSource: QuantitySource = {
  id: 'festival',
  description: 'Share not yet departed at day +N after the Spring Festival against earlier festivals',
  levels: ['province', 'city', 'county', 'township', 'village'],
  quantities: QUANTITIES,
  notApplicable(period, coverage, settings) {
    const years = festivalYearsWithDayIn(period, settings.festivalLagDay);
    if (years.length === 0) return `day +${settings.festivalLagDay} of no Spring Festival falls in ${period}`;
    if (!covered(years[0], settings.festivalLagDay, coverage)) return `the data do not cover festival ${years[0]} from day −${FESTIVAL_WINDOW.before} to day +${settings.festivalLagDay}`;
    return undefined;
  },
  evidencePeriods(period, n, settings) {
    const years = festivalYearsWithDayIn(period, settings.festivalLagDay);
    if (years.length === 0) return [period];
    const out: string[] = [];
    for (let y = years[0] - n + 1; y <= years[0]; y++) out.push(addDays(springFestivalDate(y), settings.festivalLagDay).slice(0, 7));
    return out;
  },
  async query(wh, q) {
    const lag = q.settings.festivalLagDay;
    const coverage = { firstMonth: await firstMonth(wh), dataAsOf: q.dataAsOf };
    const current: { period: string; year: number }[] = [];
    for (const period of q.periods) for (const year of festivalYearsWithDayIn(period, lag)) current.push({ period, year });
    if (current.length === 0) return [];
    // Baseline festivals: the 3 before each current one, when the data cover them.
    const pairs: { year: number; base: number }[] = [];
    for (const c of current) for (const b of [c.year - 1, c.year - 2, c.year - 3]) if (covered(b, lag, coverage)) pairs.push({ year: c.year, base: b });
    if (pairs.length === 0) pairs.push({ year: -1, base: -1 }); // no baseline festival: a typed, matchless list
    const regionFilter = q.regions ? 'AND list_contains($regions, fd.region_code)' : '';
    const rows = await wh.query(
      `WITH cur AS (SELECT unnest($cur_years) AS festival_year, unnest($cur_periods) AS period),
       pairs AS (SELECT unnest($pair_years) AS festival_year, unnest($pair_bases) AS base_year),
       per_year AS (
         SELECT fd.region_code AS region, fd.level, fd.festival_year,
                CAST(sum(fd.returned) AS DOUBLE) AS returned, CAST(sum(fd.departed) AS DOUBLE) AS departed
         FROM festival_daily fd
         WHERE list_contains($levels, fd.level) AND fd.day <= $lag
           AND (list_contains($cur_years, fd.festival_year) OR list_contains($pair_bases, fd.festival_year)) ${regionFilter}
         GROUP BY ALL
       ),
       y AS (
         SELECT *, ${NOT_DEPARTED} AS not_departed,
                ${NOT_DEPARTED} / nullif(returned, 0) AS share
         FROM per_year
       ),
       base AS (
         SELECT p.festival_year, y.region, sum(y.returned) AS baseline_returned, sum(y.not_departed) AS baseline_not_departed,
                median(y.share) AS baseline_share, count(y.share) AS baseline_years
         FROM pairs p JOIN y ON y.festival_year = p.base_year
         GROUP BY ALL
       )
       SELECT cur.period, y.region, y.level, y.returned, y.departed, y.not_departed, y.share,
              base.baseline_returned, base.baseline_not_departed, base.baseline_share,
              coalesce(base.baseline_years, 0) AS baseline_years, $lag AS lag_day
       FROM cur JOIN y USING (festival_year)
       LEFT JOIN base ON base.festival_year = y.festival_year AND base.region = y.region`,
      {
        cur_years: intList(current.map((c) => c.year)),
        cur_periods: stringList(current.map((c) => c.period)),
        pair_years: intList(pairs.map((p) => p.year)),
        pair_bases: intList(pairs.map((p) => p.base)),
        levels: stringList(q.levels),
        lag,
        ...(q.regions ? { regions: stringList(q.regions) } : {}),
      },
    );
    return rows.map((r) => ({
      region: String(r.region),
      level: r.level as never,
      period: String(r.period),
      scope: String(r.region),
      q: quantitiesOf(r, NAMES),
    }));
  },
};

async function firstMonth(wh: { meta: Readonly<Record<string, string>> }): Promise<string> {
  return wh.meta.first_month ?? '0000-01';
}
