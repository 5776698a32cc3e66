/**
 * One computed figure: its value, and for rates and ratios the numerator and the
 * denominator it was divided from (never a bare rate).
 */
import type { MetricId } from './catalogue.ts';

export interface MetricValue {
  readonly value: number | null;
  readonly numerator?: number | null;
  readonly denominator?: number | null;
}

/** One figure of one region in one period. */
export interface MetricCell {
  readonly region: string;
  readonly period: string;
  readonly metric: MetricId;
  readonly value: MetricValue;
}

/** numerator / denominator, null when either is missing or the denominator is 0. */
export function fraction(numerator: number | null, denominator: number | null): MetricValue {
  const value = numerator === null || denominator === null || denominator === 0 ? null : numerator / denominator;
  return { value, numerator, denominator };
}
