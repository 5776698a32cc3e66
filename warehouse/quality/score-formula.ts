/**
 * The data-quality score (数据质量评分) formula, 0-100 (docs/quality.md):
 *
 *   score = 100 × Σ wᵢ cᵢ / Σ wᵢ   over the components cᵢ ∈ [0, 1] that have data
 *
 * Components and weights (sum 100):
 *   coverage          15  villages covered by exactly one point, and with a point of their own
 *                         when they have largeVillageThreshold+ registered / villages
 *   timeliness        15  points that submitted by the deadline / points due (months whose deadline passed)
 *   review            10  points whose submission the county re-verified / points due (same months)
 *   currency          10  1 − records not verified for staleMonths+ / active records (period end)
 *   quarantine        10  1 − (quarantined rows of the period's files / active records) / 2 %
 *   plausibility      10  1 − (record-check findings / active records) / 5 %
 *   consistency        5  1 − (表库不符 differences of the period's snapshots / active records) / 1 %
 *   cross_department  10  roster agreement: matched / (roster persons + registry-flagged persons − matched)
 *   sampling          15  1 − (1 − sampled accuracy) / 20 %   (only where a sampling evaluation has results)
 *
 * "x / tolerance" components fall linearly from 1 (no problem) to 0 at the tolerance and
 * stay 0 beyond it. A component without data (no due points, no snapshot in the period,
 * no sampling results, quarantine not attributable to the region) is left out and the
 * other weights rescale, so the score says how good what we know is; the response lists
 * which components were used.
 */
export const SCORE_COMPONENTS = [
  { id: 'coverage', weight: 15, zh: '采集点覆盖', en: 'Point coverage' },
  { id: 'timeliness', weight: 15, zh: '按时报送', en: 'On-time submission' },
  { id: 'review', weight: 10, zh: '县级复核', en: 'County re-verification' },
  { id: 'currency', weight: 10, zh: '按月核实', en: 'Monthly verification' },
  { id: 'quarantine', weight: 10, zh: '数据格式合规', en: 'Rows not quarantined' },
  { id: 'plausibility', weight: 10, zh: '数据合理性', en: 'Plausibility' },
  { id: 'consistency', weight: 5, zh: '表库相符', en: 'Snapshot consistency' },
  { id: 'cross_department', weight: 10, zh: '部门数据比对', en: 'Cross-department agreement' },
  { id: 'sampling', weight: 15, zh: '抽样准确率', en: 'Sampled accuracy' },
] as const;

export type ScoreComponentId = (typeof SCORE_COMPONENTS)[number]['id'];

/** Problem rates at which a component reaches 0. */
export const SCORE_TOLERANCES = { quarantine: 0.02, plausibility: 0.05, consistency: 0.01, sampling: 0.2 } as const;

export interface ComponentValue {
  /** 0-1, or null without data. */
  readonly value: number | null;
  readonly weight: number;
  /** The counts behind it (e.g. on-time points and due points). */
  readonly numerator: number | null;
  readonly denominator: number | null;
}

export interface ScoreValue {
  readonly score: number | null;
  /** Σ wᵢ cᵢ × 100 and Σ wᵢ over the available components. */
  readonly numerator: number | null;
  readonly denominator: number | null;
  readonly components: Readonly<Record<ScoreComponentId, ComponentValue>>;
}

const clamp01 = (x: number) => Math.min(1, Math.max(0, x));

/** A "good / all" share, or null when there is nothing to count. */
export function shareComponent(good: number | null, all: number | null): number | null {
  if (good === null || all === null || all <= 0) return null;
  return clamp01(good / all);
}

/** 1 − (problems / base) / tolerance, clamped; null without a base. */
export function toleranceComponent(problems: number | null, base: number | null, tolerance: number): number | null {
  if (problems === null || base === null || base <= 0) return null;
  return clamp01(1 - problems / base / tolerance);
}

/** The sampling component from an accuracy rate (null = no evaluation). */
export function samplingComponent(accuracy: number | null): number | null {
  return accuracy === null ? null : clamp01(1 - (1 - accuracy) / SCORE_TOLERANCES.sampling);
}

export function combineScore(parts: Readonly<Record<ScoreComponentId, { value: number | null; numerator: number | null; denominator: number | null }>>): ScoreValue {
  let num = 0;
  let den = 0;
  const components = {} as Record<ScoreComponentId, ComponentValue>;
  for (const c of SCORE_COMPONENTS) {
    const p = parts[c.id];
    components[c.id] = { value: p.value, weight: c.weight, numerator: p.numerator, denominator: p.denominator };
    if (p.value === null) continue;
    num += c.weight * p.value * 100;
    den += c.weight;
  }
  return den === 0 ? { score: null, numerator: null, denominator: null, components } : { score: num / den, numerator: num, denominator: den, components };
}
