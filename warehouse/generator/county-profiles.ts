/**
 * Per-county parameters derived from the calibration and the shock plan: status share
 * tables by (age band, sex, poverty), the stationary transition tables, destination
 * tables, poverty and relocation shares.
 *
 * Status dynamics: a person leaves status i at monthly rate r_i and the next status is
 * drawn with weights π_j · r_j (π = the person's target shares). That chain's stationary
 * distribution is exactly π, so the registry's status mix is stable across years apart
 * from the seasonal festival moves and the planted shocks.
 */
import {
  AGE_BANDS, FAVOURITE_DESTINATIONS_PER_COUNTY, FAVOURITE_DESTINATION_BOOST, FEMALE_MULTIPLIERS, OUT_OF_PROVINCE_DESTINATIONS,
  POVERTY_MULTIPLIERS, POVERTY_SHARE, RELOCATED_SHARE, SHOCKS, STATUS_EXIT_RATES, STATUS_ORDER, STATUS_SHARES,
  inProvinceDestinationWeight,
} from './calibration.ts';
import { shortPlaceName } from './names.ts';
import { StreamKey, WeightedTable, cumulativeOf } from './random.ts';
import type { ShockPlan } from './shocks.ts';
import type { County, Geography } from './villages-and-points.ts';

export interface CountyProfile {
  readonly county: County;
  readonly shortName: string;
  readonly partnerCode: string;
  readonly povertyShare: number;
  readonly relocatedShare: number;
  /** Cumulative π by table index (see tableIndex). */
  readonly statusCum: readonly Float64Array[];
  /** Cumulative π·r by table index. */
  readonly transitionCum: readonly Float64Array[];
  /** Index into OUT_OF_PROVINCE_DESTINATIONS. */
  readonly outOfProvince: WeightedTable<number>;
  /** Sichuan county codes other than the home county. */
  readonly inProvince: WeightedTable<string>;
}

export function ageBand(age: number): number {
  let b = 0;
  for (let i = 0; i < AGE_BANDS.length; i++) if (age >= AGE_BANDS[i][0]) b = i;
  return b;
}

export function tableIndex(band: number, female: boolean, poverty: boolean): number {
  return band * 4 + (female ? 2 : 0) + (poverty ? 1 : 0);
}

export function buildCountyProfiles(geo: Geography, plan: ShockPlan, partners: ReadonlyMap<string, string>, seed: number): CountyProfile[] {
  const shortNames = new Map(geo.counties.map((c) => [c.code, shortPlaceName(c.name)]));
  const inProvinceAll = geo.counties.map((c) => [c.code, inProvinceDestinationWeight(c.code, c.isCityCentre)] as const);
  return geo.counties.map((county) => {
    const rng = new StreamKey(seed, 'county-profile', county.code).rng();
    const base = [...STATUS_SHARES[county.regionType]];
    if (county.code === plan.highUnemployment.county) base[6] *= plan.highUnemployment.factor;
    const statusCum: Float64Array[] = [];
    const transitionCum: Float64Array[] = [];
    for (let band = 0; band < AGE_BANDS.length; band++) {
      for (const female of [false, true]) {
        for (const poverty of [false, true]) {
          const pi = base.map((s, i) => s * AGE_BANDS[band][1][i] * (female ? FEMALE_MULTIPLIERS[i] : 1) * (poverty ? POVERTY_MULTIPLIERS[i] : 1));
          statusCum[tableIndex(band, female, poverty)] = cumulativeOf(pi);
          transitionCum[tableIndex(band, female, poverty)] = cumulativeOf(pi.map((p, i) => p * STATUS_EXIT_RATES[i]));
        }
      }
    }
    const weights = OUT_OF_PROVINCE_DESTINATIONS.map((d) => d[2]);
    for (let k = 0; k < FAVOURITE_DESTINATIONS_PER_COUNTY; k++) weights[rng.int(weights.length)] *= FAVOURITE_DESTINATION_BOOST;
    const layoffIdx = OUT_OF_PROVINCE_DESTINATIONS.findIndex((d) => d[0] === plan.layoff.city);
    if (plan.layoff.counties.includes(county.code)) {
      weights[layoffIdx] = 0;
      const others = weights.reduce((a, b) => a + b, 0);
      weights[layoffIdx] = (others * SHOCKS.layoffCityShareInCounty) / (1 - SHOCKS.layoffCityShareInCounty);
    }
    const kind = county.city === '5134' ? 'liangshan' : county.regionType === 'ethnic' ? 'ethnic' : county.formerPoverty ? 'formerPoverty' : 'other';
    return {
      county,
      shortName: shortNames.get(county.code)!,
      partnerCode: partners.get(county.code)!,
      povertyShare: POVERTY_SHARE[kind],
      relocatedShare: RELOCATED_SHARE[kind],
      statusCum,
      transitionCum,
      outOfProvince: new WeightedTable(weights.map((w, i) => [i, w] as const)),
      inProvince: new WeightedTable(inProvinceAll.filter(([code]) => code !== county.code)),
    };
  });
}

export const STATUSES = STATUS_ORDER;
