/**
 * Accuracy estimates of a sampling evaluation: per county, the share of verified sampled
 * records the third party found correct (结果一致), with a Wilson interval including the
 * finite-population correction for the county's registered population N. Records found
 * wrong (不一致) or not found (查无此人) count as inaccurate; sampled records without a
 * result yet are reported as pending and left out of the estimate.
 *
 * Within a county the sample is allocated to townships in proportion to their size, so
 * it is self-weighting and the plain proportion is the stratified estimate.
 *
 * For a city or the province the county estimates are combined as a stratified
 * estimate over the counties that have results: p = Σ W_c p_c with W_c = N_c / Σ N_c,
 * variance Σ W_c² (1 − n_c/N_c) p_c (1 − p_c) / (n_c − 1) (n_c = 1 contributes no
 * variance), and a normal interval clipped to [0, 1].
 */
import { wilsonInterval } from './wilson-interval.ts';
import { zForConfidence } from './normal-quantile.ts';
import type { SamplingStratum, SamplingUnit, VerificationResult } from './sampling-store.ts';

export interface CountyAccuracy {
  readonly countyCode: string;
  readonly population: number;
  readonly sampled: number;
  readonly verified: number;
  readonly pending: number;
  readonly matches: number;
  readonly mismatches: number;
  readonly notFound: number;
  readonly accuracy: number | null;
  readonly lower: number | null;
  readonly upper: number | null;
  /** How often each field was corrected. */
  readonly corrections: Readonly<Record<string, number>>;
}

export interface CombinedAccuracy {
  readonly population: number;
  readonly countiesWithResults: number;
  readonly counties: number;
  readonly verified: number;
  readonly accuracy: number | null;
  readonly lower: number | null;
  readonly upper: number | null;
}

export function countyAccuracy(
  strata: readonly SamplingStratum[],
  units: readonly SamplingUnit[],
  results: readonly VerificationResult[],
  confidence: number,
): CountyAccuracy[] {
  const population = new Map<string, number>();
  for (const s of strata) population.set(s.countyCode, (population.get(s.countyCode) ?? 0) + s.population);
  const byId = new Map(results.map((r) => [r.sampleId, r]));
  const acc = new Map<string, { sampled: number; match: number; mismatch: number; notFound: number; corrections: Record<string, number> }>();
  for (const code of [...population.keys()].sort()) acc.set(code, { sampled: 0, match: 0, mismatch: 0, notFound: 0, corrections: {} });
  for (const u of units) {
    const a = acc.get(u.countyCode);
    if (!a) throw new Error(`sampled unit ${u.sampleId} is in county ${u.countyCode}, which has no stratum`);
    a.sampled++;
    const r = byId.get(u.sampleId);
    if (!r) continue;
    if (r.result === 'match') a.match++;
    else if (r.result === 'mismatch') a.mismatch++;
    else a.notFound++;
    for (const c of r.corrections) a.corrections[c.field] = (a.corrections[c.field] ?? 0) + 1;
  }
  return [...acc].map(([countyCode, a]) => {
    const N = population.get(countyCode)!;
    const verified = a.match + a.mismatch + a.notFound;
    const w = verified > 0 ? wilsonInterval(a.match, verified, confidence, Math.max(N, verified)) : null;
    return {
      countyCode,
      population: N,
      sampled: a.sampled,
      verified,
      pending: a.sampled - verified,
      matches: a.match,
      mismatches: a.mismatch,
      notFound: a.notFound,
      accuracy: w?.estimate ?? null,
      lower: w?.lower ?? null,
      upper: w?.upper ?? null,
      corrections: a.corrections,
    };
  });
}

/** Combines county estimates (e.g. of one city) into a stratified estimate. */
export function combinedAccuracy(counties: readonly CountyAccuracy[], confidence: number): CombinedAccuracy {
  const withResults = counties.filter((c) => c.verified > 0);
  const population = counties.reduce((s, c) => s + c.population, 0);
  const covered = withResults.reduce((s, c) => s + c.population, 0);
  const verified = withResults.reduce((s, c) => s + c.verified, 0);
  if (withResults.length === 0 || covered === 0) {
    return { population, countiesWithResults: 0, counties: counties.length, verified: 0, accuracy: null, lower: null, upper: null };
  }
  let p = 0;
  let variance = 0;
  for (const c of withResults) {
    const W = c.population / covered;
    const pc = c.matches / c.verified;
    p += W * pc;
    if (c.verified > 1) variance += W * W * (1 - c.verified / Math.max(c.population, c.verified)) * ((pc * (1 - pc)) / (c.verified - 1));
  }
  const half = zForConfidence(confidence) * Math.sqrt(variance);
  return {
    population,
    countiesWithResults: withResults.length,
    counties: counties.length,
    verified,
    accuracy: p,
    lower: Math.max(0, p - half),
    upper: Math.min(1, p + half),
  };
}
