/**
 * Sample size for estimating a proportion (Cochran), with the finite-population
 * correction:
 *
 *   n0 = z² p (1 − p) / e²          (z from the confidence level, e the margin of error,
 *                                     p the expected proportion; 0.5 is the safe maximum)
 *   n  = ceil( n0 / (1 + (n0 − 1)/N) ), at most N
 *
 * e.g. e = 0.05, 95 %, p = 0.5: n0 = 384.1; N = 1,000 → 278; N = 100,000 → 383.
 */
import { zForConfidence } from './normal-quantile.ts';

export interface SampleSizeOptions {
  /** Persons in the stratum or domain (N). */
  readonly populationSize: number;
  /** Half-width of the confidence interval wanted, e.g. 0.05 for ±5 points. */
  readonly marginOfError: number;
  /** Confidence level, e.g. 0.95. */
  readonly confidence: number;
  /** Expected proportion (accuracy rate); 0.5 gives the largest, safest size. */
  readonly expectedProportion?: number;
}

export function sampleSize(o: SampleSizeOptions): number {
  const N = o.populationSize;
  if (!(Number.isInteger(N) && N >= 0)) throw new RangeError(`sampleSize: population size must be a non-negative integer, got ${N}`);
  if (!(o.marginOfError > 0 && o.marginOfError < 1)) throw new RangeError(`sampleSize: margin of error must be in (0, 1), got ${o.marginOfError}`);
  const p = o.expectedProportion ?? 0.5;
  if (!(p > 0 && p < 1)) throw new RangeError(`sampleSize: expected proportion must be in (0, 1), got ${p}`);
  if (N === 0) return 0;
  const z = zForConfidence(o.confidence);
  const n0 = (z * z * p * (1 - p)) / (o.marginOfError * o.marginOfError);
  const n = n0 / (1 + (n0 - 1) / N);
  // Guard against 383.0000000001 becoming 384 through floating-point noise.
  return Math.min(N, Math.max(1, Math.ceil(n - 1e-9)));
}
