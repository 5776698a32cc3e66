/** The metric catalogue and figures as the API returns them (warehouse/metrics/catalogue.ts). */
export type MetricKind = 'stock' | 'flow' | 'rate' | 'ratio';
export type MetricUnit = 'persons' | 'events' | 'share' | 'ratio' | 'score';

export interface Bilingual {
  readonly en: string;
  readonly zh: string;
}

export interface MetricDefinition {
  readonly id: string;
  readonly zh: string;
  readonly en: string;
  readonly group: string;
  readonly kind: MetricKind;
  readonly unit: MetricUnit;
  readonly definition: Bilingual;
  readonly population: Bilingual;
  readonly numerator?: Bilingual;
  readonly denominator?: Bilingual;
  readonly period: Bilingual;
  readonly dimensions: readonly string[];
  /** Whether a higher value is the better one (absent: neutral). */
  readonly higherIsBetter?: boolean;
}

export interface DimensionValue {
  readonly code: string;
  readonly zh: string;
  readonly en: string;
}

/** A dimension figures can be broken down by (explorer, festival groups). */
export interface DimensionDefinition {
  readonly id: string;
  readonly zh: string;
  readonly en: string;
  readonly type: 'text' | 'boolean';
  readonly values?: readonly DimensionValue[];
}

/** One figure; rates and ratios carry their numerator and denominator. */
export interface MetricValue {
  readonly value: number | null;
  readonly numerator?: number | null;
  readonly denominator?: number | null;
}

export interface SeriesPoint extends MetricValue {
  readonly period: string;
}

export interface RankingRow {
  readonly code: string;
  readonly name: string;
  /** Null for regions without a value (listed last). */
  readonly rank: number | null;
  readonly value: MetricValue;
}

export interface Comparison {
  readonly current: MetricValue;
  /** The period before (month-on-month for months). */
  readonly previous?: SeriesPoint;
  /** The same period a year before. */
  readonly lastYear?: SeriesPoint;
}
