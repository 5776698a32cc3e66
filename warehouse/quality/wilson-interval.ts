/**
 * The Wilson score interval of a proportion k/n, optionally with the finite-population
 * correction: sampling n of N without replacement shrinks the variance of k/n by
 * (N − n)/(N − 1), which is the same as using the effective sample size
 * n_eff = n (N − 1)/(N − n) in the Wilson formula. When the whole population was
 * checked (n = N) the proportion is exact and the interval collapses to it.
 *
 *   centre = (p + z²/(2 n_eff)) / (1 + z²/n_eff)
 *   half   = z sqrt(p(1 − p)/n_eff + z²/(4 n_eff²)) / (1 + z²/n_eff)
 */
import { zForConfidence } from './normal-quantile.ts';

export interface ProportionInterval {
  readonly estimate: number;
  readonly lower: number;
  readonly upper: number;
  readonly confidence: number;
}

export function wilsonInterval(successes: number, n: number, confidence = 0.95, populationSize?: number): ProportionInterval | null {
  if (!Number.isInteger(successes) || !Number.isInteger(n) || successes < 0 || successes > n) {
    throw new RangeError(`wilsonInterval: need integers 0 ≤ successes ≤ n, got ${successes}/${n}`);
  }
  if (n === 0) return null;
  const p = successes / n;
  if (populationSize !== undefined) {
    if (!(Number.isInteger(populationSize) && populationSize >= n)) throw new RangeError(`wilsonInterval: population size ${populationSize} is smaller than the sample ${n}`);
    if (populationSize === n) return { estimate: p, lower: p, upper: p, confidence };
  }
  const nEff = populationSize !== undefined && populationSize > 1 ? (n * (populationSize - 1)) / (populationSize - n) : n;
  const z = zForConfidence(confidence);
  const z2 = z * z;
  const denom = 1 + z2 / nEff;
  const centre = (p + z2 / (2 * nEff)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / nEff + z2 / (4 * nEff * nEff))) / denom;
  return { estimate: p, lower: Math.max(0, centre - half), upper: Math.min(1, centre + half), confidence };
}
