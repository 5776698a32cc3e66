/**
 * The planted shocks: chosen deterministically from the seed, always in the last 12
 * months up to --to, so that earlier years serve as baseline. The plan is fixed before
 * any person is generated (county profiles depend on it); the truth entries are built
 * after generation with the affected counts.
 */
import { monthEnd, monthLabel, monthOfDay, monthStart, isoOf } from './day-numbers.ts';
import { HIGH_UNEMPLOYMENT_FACTOR, OUT_OF_PROVINCE_DESTINATIONS, POVERTY_SHARE, SHOCKS } from './calibration.ts';
import { isFestivalFreeMonth, lastTwelveMonths, type Festival, type Period } from './period.ts';
import { StreamKey, type Rng } from './random.ts';
import type { County, Geography } from './villages-and-points.ts';

export interface ShockPlan {
  readonly layoff: { readonly city: string; readonly cityName: string; readonly counties: readonly string[]; readonly month: number; readonly share: number };
  readonly poverty: { readonly county: string; readonly month: number; readonly share: number; readonly hasBaseline: boolean };
  readonly festivalLag: { readonly city: string; readonly festival: Festival } | null;
  readonly points: { readonly codes: readonly string[]; readonly month: number };
  readonly highUnemployment: { readonly county: string; readonly factor: number };
}

export interface ShockTruth {
  readonly rule: string;
  readonly region: string;
  readonly regionLevel: 'point' | 'county' | 'city';
  readonly period: string;
  readonly description: string;
  readonly affected: number;
  readonly [extra: string]: unknown;
}

/** Seeded pick among the first `top` items (already in preference order). */
function pickTop<T>(rng: Rng, items: readonly T[], top: number): T {
  return items[rng.int(Math.min(top, items.length))];
}

function byWeight(a: County, b: County): number {
  return b.weight - a.weight || (a.code < b.code ? -1 : 1);
}

export function planShocks(geo: Geography, period: Period, seed: number): ShockPlan {
  const rng = new StreamKey(seed, 'shocks').rng();
  const last12 = lastTwelveMonths(period);
  const withBaseline = last12.filter((m) => m - 12 >= period.fromMonth);
  const free = (ms: number[]) => ms.filter((m) => isFestivalFreeMonth(period, m));
  const choose = (...lists: number[][]) => {
    for (const l of lists) if (l.length) return l[rng.int(l.length)];
    return period.toMonth;
  };

  // 1. Mass layoff at one destination, hitting three big counties of 达州/南充/广安.
  const layoffMonth = choose(free(withBaseline).filter((m) => m < period.toMonth), free(withBaseline), free(last12), last12);
  const eastern = geo.counties.filter((c) => ['5117', '5113', '5116'].includes(c.city)).sort(byWeight).slice(0, 8);
  const layoffCounties: string[] = [];
  while (layoffCounties.length < SHOCKS.layoffCounties) {
    const c = pickTop(rng, eastern.filter((x) => !layoffCounties.includes(x.code)), 8);
    layoffCounties.push(c.code);
  }
  layoffCounties.sort();
  const cityName = OUT_OF_PROVINCE_DESTINATIONS.find((d) => d[0] === SHOCKS.layoffCity)?.[1] ?? SHOCKS.layoffCity;

  // 2. Poverty-alleviated labour in work falls in one county of the poverty areas.
  const povertyMonth = choose(free(withBaseline).filter((m) => m !== layoffMonth), free(withBaseline), withBaseline, [period.toMonth]);
  const povertyCandidates = geo.counties
    .filter((c) => c.formerPoverty && !layoffCounties.includes(c.code))
    .sort((a, b) => b.weight * povertyWeight(b) - a.weight * povertyWeight(a) || (a.code < b.code ? -1 : 1));
  const povertyCounty = pickTop(rng, povertyCandidates, 5).code;

  // 3. Post-festival departures lag in one city, in the last festival whose day 30 is exported.
  // Only a festival whose whole return window and day 30 lie in the exported history
  // (--from .. --to); with shorter periods no lag shock is planted.
  const lagFestival = [...period.festivals].reverse().find((f) => f.day + 30 <= period.toEnd && f.day - 31 >= period.fromDay) ?? null;
  const lagCities = ['5113', '5119', '5116', '5109', '5120', '5110', '5117'].filter((c) => !layoffCounties.some((x) => x.startsWith(c)));
  const lagCity = lagCities[rng.int(lagCities.length)];

  // 4. Collection points stop reporting (the month's deadline must fall before E).
  const pointMonths = last12.filter((m) => m < period.toMonth);
  const pointMonth = choose(pointMonths.filter((m) => m >= period.toMonth - 6), pointMonths, [period.toMonth]);
  const excluded = new Set([...layoffCounties, povertyCounty]);
  const pointCounties = geo.counties.filter((c) => !excluded.has(c.code) && c.regionType === 'other').sort(byWeight).slice(0, 30);
  const pointCodes: string[] = [];
  const usedCounties = new Set<string>();
  while (pointCodes.length < SHOCKS.pointsNotReporting) {
    const c = pointCounties[rng.int(pointCounties.length)];
    if (usedCounties.has(c.code)) continue;
    usedCounties.add(c.code);
    const pts = c.points.map((i) => geo.points[i]).filter((p) => p.villages.length >= 1);
    pointCodes.push(pts[rng.int(pts.length)].code);
  }
  pointCodes.sort();

  // 5. One county with persistently high unemployment.
  const highCandidates = geo.counties
    .filter((c) => c.regionType === 'other' && !excluded.has(c.code) && !usedCounties.has(c.code))
    .sort(byWeight);
  const highCounty = pickTop(rng, highCandidates, 12).code;

  return {
    layoff: { city: SHOCKS.layoffCity, cityName, counties: layoffCounties, month: layoffMonth, share: SHOCKS.layoffShare },
    poverty: { county: povertyCounty, month: povertyMonth, share: SHOCKS.povertyDropShare, hasBaseline: povertyMonth - 12 >= period.fromMonth },
    festivalLag: lagFestival ? { city: lagCity, festival: lagFestival } : null,
    points: { codes: pointCodes, month: pointMonth },
    highUnemployment: { county: highCounty, factor: HIGH_UNEMPLOYMENT_FACTOR },
  };
}

function povertyWeight(c: County): number {
  if (c.city === '5134') return POVERTY_SHARE.liangshan;
  if (c.city === '5132' || c.city === '5133') return POVERTY_SHARE.ethnic;
  return POVERTY_SHARE.formerPoverty;
}

/** Counts of persons affected, gathered during generation. */
export interface ShockCounts {
  /** Per layoff county: workers at the layoff city at the start of the month, and those laid off. */
  layoffEligible: Map<string, number>;
  layoffAffected: Map<string, number>;
  povertyEligible: number;
  povertyAffected: number;
  lagReturned: number;
  lagDelayed: number;
}

export function emptyShockCounts(): ShockCounts {
  return { layoffEligible: new Map(), layoffAffected: new Map(), povertyEligible: 0, povertyAffected: 0, lagReturned: 0, lagDelayed: 0 };
}

export function shockTruth(plan: ShockPlan, geo: Geography, period: Period, counts: ShockCounts): ShockTruth[] {
  const out: ShockTruth[] = [];
  const name = (code: string) => geo.tree.byCode.get(code)?.name ?? code;
  const m = monthLabel(plan.layoff.month);
  for (const county of plan.layoff.counties) {
    const common = {
      regionLevel: 'county' as const, period: m, countyName: name(county), destination: plan.layoff.city, destinationName: plan.layoff.cityName,
      eligible: counts.layoffEligible.get(county) ?? 0, affected: counts.layoffAffected.get(county) ?? 0,
      firstDay: isoOf(monthStart(plan.layoff.month)), lastDay: isoOf(monthEnd(plan.layoff.month)),
    };
    out.push({ rule: 'mass_return', region: county, ...common,
      description: `${name(county)}: ${common.affected} of ${common.eligible} workers in ${plan.layoff.cityName} lost their jobs and returned home (返乡) in ${m}, outside the Spring Festival window` });
    out.push({ rule: 'unemployment_jump', region: county, ...common,
      description: `${name(county)}: unemployed (40) jump by the ${common.affected} laid-off workers in ${m}` });
    out.push({ rule: 'clustered_job_loss', region: county, ...common,
      description: `${name(county)}: ${common.affected} job losses (就业变动 23 → 40) at one destination (${plan.layoff.city} ${plan.layoff.cityName}) in ${m}` });
  }
  const pm = monthLabel(plan.poverty.month);
  out.push({
    rule: 'poverty_employment_below_last_year', region: plan.poverty.county, regionLevel: 'county', period: pm,
    countyName: name(plan.poverty.county), comparedWith: monthLabel(plan.poverty.month - 12), hasBaseline: plan.poverty.hasBaseline,
    eligible: counts.povertyEligible, affected: counts.povertyAffected, periodFrom: pm, periodTo: monthLabel(period.truthMonths.at(-1) ?? period.toMonth),
    description: `${name(plan.poverty.county)}: ${counts.povertyAffected} of ${counts.povertyEligible} poverty-alleviated persons in transfer employment leave it in ${pm} (back to farming, out of the labour force or unemployed) and stay out: poverty_transfer below the same month last year from ${pm} on`,
  });
  if (plan.festivalLag) {
    const f = plan.festivalLag.festival;
    out.push({
      rule: 'festival_return_lag', region: `${plan.festivalLag.city}00`, regionLevel: 'city', period: String(f.year),
      cityName: name(`${plan.festivalLag.city}00`), festivalDay: isoOf(f.day), day30: isoOf(f.day + 30), day30Month: monthLabel(monthOfDay(f.day + 30)),
      returned: counts.lagReturned, affected: counts.lagDelayed,
      description: `${name(`${plan.festivalLag.city}00`)}: after the ${f.year} festival (${isoOf(f.day)}) ${counts.lagDelayed} of ${counts.lagReturned} returned workers leave late (day 31-75) instead of days 3-21: share not departed at day 30 far above earlier years`,
    });
  }
  const ptm = monthLabel(plan.points.month);
  for (const code of plan.points.codes) {
    const p = geo.pointByCode.get(code)!;
    const county = geo.counties[p.county].code;
    out.push({
      rule: 'point_not_reporting', region: code, regionLevel: 'point', period: ptm, pointCode: code, countyCode: county, townshipCode: p.township,
      countyName: name(county), deadline: isoOf(monthStart(plan.points.month + 1) + 4), affected: 1,
      description: `collection point ${code} (${p.name}, ${name(county)}) submits nothing from ${ptm} on (未报送, empty dates)`,
    });
  }
  const hc = plan.highUnemployment.county;
  out.push({
    rule: 'unemployment_rate_high', region: hc, regionLevel: 'county', period: monthLabel(period.toMonth), periodFrom: monthLabel(period.fromMonth),
    periodTo: monthLabel(period.truthMonths.at(-1) ?? period.toMonth), countyName: name(hc), factor: plan.highUnemployment.factor, affected: 0,
    description: `${name(hc)}: unemployment share ${plan.highUnemployment.factor}× the normal profile throughout the period (persistently high unemployment rate)`,
  });
  return out;
}
