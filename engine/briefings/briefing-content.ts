/**
 * The content of a briefing (月调度 monthly dispatch, 季通报 quarterly bulletin, 年考核
 * annual assessment): every number is a Figure carrying its source, metric id, region and
 * period, so anyone can trace it to the API (`api` is the request that answers it). The
 * sections refer to figures by key; a published briefing stores this object frozen.
 */
import type { Change } from '../services/metric-service.ts';

export const BRIEFING_KINDS = ['monthly', 'quarterly', 'annual'] as const;
export type BriefingKind = (typeof BRIEFING_KINDS)[number];

export const KIND_NAMES: Readonly<Record<BriefingKind, { zh: string; en: string }>> = {
  monthly: { zh: '月调度', en: 'Monthly dispatch' },
  quarterly: { zh: '季通报', en: 'Quarterly bulletin' },
  annual: { zh: '年考核', en: 'Annual assessment' },
};

/**
 * metrics: a catalogue metric, equal to GET /api/metrics/values?region&period&metrics=metric;
 * explore: a breakdown by a dimension, equal to the row of POST /api/explore;
 * alerts: a count of alerts, equal to `total` of GET /api/alerts?region&period[&workflow].
 */
export type FigureSource = 'metrics' | 'explore' | 'alerts';

export interface Figure {
  readonly key: string;
  readonly source: FigureSource;
  readonly metric: string;
  readonly region: string;
  readonly regionName: string;
  readonly period: string;
  readonly value: number | null;
  readonly numerator?: number | null;
  readonly denominator?: number | null;
  /** For explore figures: the dimension and its code (e.g. { reason: '死亡' }). */
  readonly dimension?: Readonly<Record<string, string>>;
  /** For alert counts: the workflow filter (undefined = every alert of the period). */
  readonly workflow?: 'open' | 'acknowledged' | 'closed';
  /** The API request that answers the same figure. */
  readonly api: string;
}

export interface KeyFigureRow {
  readonly metric: string;
  readonly current: string;
  readonly previous: string | null;
  readonly lastYear: string | null;
  readonly previousPeriod: string;
  readonly lastYearPeriod: string;
  readonly mom: Change | null;
  readonly yoy: Change | null;
}

export interface RankingTable {
  readonly metric: string;
  readonly order: 'asc' | 'desc';
  readonly items: readonly { readonly rank: number | null; readonly code: string; readonly name: string; readonly figure: string }[];
}

export interface ReasonRow {
  readonly direction: 'increases' | 'decreases';
  readonly reason: string;
  readonly figure: string;
}

export interface AlertCounts {
  readonly total: string;
  readonly open: string;
  readonly acknowledged: string;
  readonly closed: string;
}

export interface ChildRow {
  readonly code: string;
  readonly name: string;
  /** metric id → figure key */
  readonly figures: Readonly<Record<string, string>>;
}

export interface TrendSeries {
  readonly metric: string;
  readonly points: readonly string[];
}

/** A place commended or called in (约谈), with the rule it met and the figures behind it. */
export interface Listing {
  readonly code: string;
  readonly name: string;
  readonly rule: string;
  readonly ruleText: string;
  readonly figures: readonly string[];
}

export interface AssessmentItem {
  readonly indicator: string;
  readonly label: string;
  readonly weight: number;
  readonly figure: string;
  /** Points earned (0 … weight). */
  readonly points: number;
  /** How the points follow from the figure, in Chinese. */
  readonly rule: string;
}

export interface AssessmentRow {
  readonly code: string;
  readonly name: string;
  readonly level: string;
  readonly score: number;
  readonly rank: number;
  readonly grade: string;
  readonly items: readonly AssessmentItem[];
}

export interface Revision {
  readonly figure: string;
  readonly metric: string;
  readonly region: string;
  readonly regionName: string;
  readonly period: string;
  readonly old: number | null;
  readonly new: number | null;
  readonly oldVersion: string;
  readonly newVersion: string;
  readonly fromBriefing: number;
  readonly why: string;
}

export interface Sentence {
  readonly text: string;
  /** Keys of the figures the sentence states (never empty). */
  readonly figures: readonly string[];
}

export interface BriefingContent {
  readonly kind: BriefingKind;
  readonly region: string;
  readonly regionName: string;
  readonly regionLevel: string;
  readonly period: string;
  readonly title: string;
  readonly warehouseVersion: string;
  readonly dataAsOf: string;
  readonly generatedAt: string;
  readonly headline: readonly string[];
  readonly narrative: readonly Sentence[];
  readonly keyFigures: readonly KeyFigureRow[];
  readonly trend: readonly TrendSeries[];
  readonly rankings: readonly RankingTable[];
  readonly reasons: readonly ReasonRow[];
  readonly alerts: AlertCounts;
  readonly childLevel: string | null;
  readonly children: readonly ChildRow[];
  readonly childMetrics: readonly string[];
  readonly commended: readonly Listing[];
  readonly calledIn: readonly Listing[];
  readonly assessment: readonly AssessmentRow[];
  readonly assessmentScheme: { readonly name: string; readonly description: string } | null;
  readonly revisions: readonly Revision[];
  /** The briefing the revisions were checked against (null: none published for the previous period). */
  readonly revisionBase: { readonly id: number; readonly period: string; readonly warehouseVersion: string } | null;
  readonly figures: readonly Figure[];
  /** Names and units of the metrics the figures use (from the catalogue), for the page. */
  readonly metricNames: Readonly<Record<string, { readonly zh: string; readonly en: string; readonly unit: string }>>;
}
