/**
 * Independent plain-TypeScript computation of every catalogue metric from the rows the
 * mini warehouse inserted (no SQL), for the metric and route tests.
 */
import type { MetricId } from '../../../warehouse/metrics/catalogue.ts';
import { addMonths, monthEndDate, type Period } from '../../../warehouse/metrics/period.ts';
import { springFestivalDate } from '../../../warehouse/reference/festival.ts';
import { addDays } from '../../../warehouse/metrics/festival-window.ts';
import { DATA_AS_OF, FIRST_MONTH, LAST_MONTH, type AggRow, type MiniWarehouse } from './mini-warehouse.ts';

type MiniData = Omit<MiniWarehouse, 'run' | 'conn' | 'close'>;

export type Expected = { value: number | null; numerator?: number | null; denominator?: number | null };
const frac = (n: number | null, d: number | null): Expected => ({ value: n === null || d === null || d === 0 ? null : n / d, numerator: n, denominator: d });

function covered(p: Period): string[] {
  return p.months.filter((m) => m >= FIRST_MONTH && m <= LAST_MONTH);
}

/** Independent computation of one metric from the fixture's rows. */
export function expectedMetric(w: MiniData, region: string, p: Period, metric: MetricId): Expected {
  const vs = w.regionVillages.get(region) ?? [];
  const months = covered(p);
  const isFraction = ['unemployment_rate', 'employment_rate', 'poverty_employed_yoy', 'festival_return_rate', 'point_coverage', 'point_update_rate', 'point_on_time_rate', 'quality_score'].includes(metric);
  if (months.length === 0) return isFraction ? { value: null, numerator: null, denominator: null } : { value: null };
  const end = months[months.length - 1];
  const stock = (c: keyof AggRow, m = end) => vs.reduce((a, v) => a + w.agg.get(`${v}|${m}`)![c], 0);
  const flow = (c: keyof AggRow) => months.reduce((a, m) => a + stock(c, m), 0);
  const festival = () => {
    const sf = springFestivalDate(p.year);
    const start = addDays(sf, -45);
    if (start < `${FIRST_MONTH}-01` || start > DATA_AS_OF) return undefined;
    const toDay = Math.min(Math.round((Date.parse(p.endDate) - Date.parse(sf)) / 86_400_000), 60);
    let returned = 0;
    let departed = 0;
    for (const f of w.festival) {
      if (f.festival_year !== p.year || f.day > toDay || !vs.includes(f.village)) continue;
      returned += f.returned;
      departed += f.departed;
    }
    return { returned, departed };
  };
  const regionPoints = () =>
    w.points.filter((pt) => (region.length === 12 ? pt.villages.includes(region) : pt.township_code.startsWith(region === '510000' ? '51' : region.endsWith('00') && region.length === 6 ? region.slice(0, 4) : region)));
  const pointMonths = () => {
    let expectedN = 0;
    let submitted = 0;
    let onTime = 0;
    for (const m of months) {
      for (const pt of regionPoints()) {
        if (pt.established_on > monthEndDate(m)) continue;
        expectedN++;
        const s = w.submissions.find((x) => x.point_code === pt.point_code && x.month === m);
        if (s && s.submitted_on && s.status !== '未报送') {
          submitted++;
          if (s.submitted_on <= `${addMonths(m, 1)}-05`) onTime++;
        }
      }
    }
    return { expectedN, submitted, onTime };
  };
  switch (metric) {
    case 'labour_force': return { value: stock('labour_force') };
    case 'employed': return { value: stock('s10') + stock('s21') + stock('s22') + stock('s23') + stock('s24') + stock('s30') };
    case 'transfer_employed': return { value: stock('s21') + stock('s22') + stock('s23') + stock('s24') + stock('s30') };
    case 'out_migrant_in_province': return { value: stock('s22') };
    case 'out_migrant_out_province': return { value: stock('s23') };
    case 'abroad': return { value: stock('s24') };
    case 'unemployed': return { value: stock('s40') };
    case 'not_in_labour_force': return { value: stock('s50') };
    case 'unemployment_rate': return frac(stock('s40'), stock('employed') + stock('s40'));
    case 'employment_rate': return frac(stock('employed'), stock('employed') + stock('s40'));
    case 'at_home': return { value: stock('at_home') };
    case 'away': return { value: stock('away') };
    case 'increases': return { value: flow('increases') };
    case 'decreases': return { value: flow('decreases') };
    case 'net_change': return { value: flow('increases') - flow('decreases') };
    case 'poverty_employed': return { value: stock('poverty_transfer') };
    case 'poverty_employed_yoy': {
      const ly = addMonths(end, -12);
      return frac(stock('poverty_transfer'), ly >= FIRST_MONTH ? stock('poverty_transfer', ly) : null);
    }
    case 'relocated_employed': return { value: stock('relocated_transfer') };
    case 'festival_returned': return { value: festival()?.returned ?? null };
    case 'festival_departed': return { value: festival()?.departed ?? null };
    case 'festival_not_departed': { const f = festival(); return { value: f ? f.returned - f.departed : null }; }
    case 'festival_return_rate': { const f = festival(); return f ? frac(f.departed, f.returned) : frac(null, null); }
    case 'point_coverage': {
      const all = region.length === 12 ? [region] : [...vs, ...(w.emptyVillage.startsWith(region === '510000' ? '51' : region.length === 6 && region.endsWith('00') ? region.slice(0, 4) : region) ? [w.emptyVillage] : [])];
      const cov = all.filter((v) => w.points.some((pt) => pt.villages.includes(v) && pt.established_on <= monthEndDate(end)));
      return frac(cov.length, all.length);
    }
    case 'point_update_rate': { const x = pointMonths(); return frac(x.submitted, x.expectedN); }
    case 'point_on_time_rate': { const x = pointMonths(); return frac(x.onTime, x.expectedN); }
    case 'quality_score': {
      const lf = stock('labour_force');
      const x = pointMonths();
      const comps: [number, number | null][] = [[0.2, x.expectedN ? x.submitted / x.expectedN : null], [0.2, x.expectedN ? x.onTime / x.expectedN : null]];
      if (region.length === 6) {
        const inRegion = (county: string) => region === '510000' || (region.endsWith('00') ? county.startsWith(region.slice(0, 4)) : county === region);
        let q = 0;
        for (const [county, n] of w.quarantineByCounty) if (inRegion(county)) q += n;
        const rec = w.reconciliation.filter((r) => inRegion(r.county_code) && r.snapshot_date >= `${months[0]}-01` && r.snapshot_date <= monthEndDate(end)).reduce((a, r) => a + r.count, 0);
        comps.unshift([0.4, lf ? 1 - Math.min(1, q / lf) : null]);
        comps.push([0.2, lf ? 1 - Math.min(1, rec / lf) : null]);
      }
      let n = 0;
      let d = 0;
      for (const [wt, c] of comps) if (c !== null) { n += wt * c * 100; d += wt; }
      return d ? frac(n, d) : frac(null, null);
    }
  }
}

