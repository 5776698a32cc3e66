/**
 * Briefings (简报): GET /api/briefings (list, scoped), POST /api/briefings (generate a
 * draft), GET /api/briefings/:id, POST /api/briefings/:id/publish; the PDF and XLSX are
 * plain downloads of /api/briefings/:id/pdf and /xlsx. Types mirror
 * engine/briefings/briefing-content.ts.
 */
import { apiGet, apiSend } from './http.js';

export type BriefingKind = 'monthly' | 'quarterly' | 'annual';

export interface Briefing {
  readonly id: number;
  readonly kind: BriefingKind;
  readonly region: string;
  readonly regionName: string;
  readonly period: string;
  readonly title: string;
  readonly status: 'draft' | 'published';
  readonly warehouseVersion: string;
  readonly dataAsOf: string;
  readonly contentSha256: string;
  readonly createdBy: string;
  readonly createdAt: string;
  readonly publishedBy: string | null;
  readonly publishedAt: string | null;
}

export interface Figure {
  readonly key: string;
  readonly source: 'metrics' | 'explore' | 'alerts';
  readonly metric: string;
  readonly region: string;
  readonly regionName: string;
  readonly period: string;
  readonly value: number | null;
  readonly numerator?: number | null;
  readonly denominator?: number | null;
  readonly dimension?: Readonly<Record<string, string>>;
  readonly workflow?: string;
  readonly api: string;
}

export interface Change {
  readonly change: number | null;
  readonly relative: number | null;
}

export interface Listing {
  readonly code: string;
  readonly name: string;
  readonly rule: string;
  readonly ruleText: string;
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
  readonly narrative: readonly { readonly text: string; readonly figures: readonly string[] }[];
  readonly keyFigures: readonly {
    readonly metric: string;
    readonly current: string;
    readonly previous: string | null;
    readonly lastYear: string | null;
    readonly previousPeriod: string;
    readonly lastYearPeriod: string;
    readonly mom: Change | null;
    readonly yoy: Change | null;
  }[];
  readonly trend: readonly { readonly metric: string; readonly points: readonly string[] }[];
  readonly rankings: readonly {
    readonly metric: string;
    readonly order: 'asc' | 'desc';
    readonly items: readonly { readonly rank: number | null; readonly code: string; readonly name: string; readonly figure: string }[];
  }[];
  readonly reasons: readonly { readonly direction: 'increases' | 'decreases'; readonly reason: string; readonly figure: string }[];
  readonly alerts: { readonly total: string; readonly open: string; readonly acknowledged: string; readonly closed: string };
  readonly childLevel: string | null;
  readonly children: readonly { readonly code: string; readonly name: string; readonly figures: Readonly<Record<string, string>> }[];
  readonly childMetrics: readonly string[];
  readonly commended: readonly Listing[];
  readonly calledIn: readonly Listing[];
  readonly assessment: readonly {
    readonly code: string;
    readonly name: string;
    readonly level: string;
    readonly score: number;
    readonly rank: number;
    readonly grade: string;
    readonly items: readonly { readonly indicator: string; readonly label: string; readonly weight: number; readonly figure: string; readonly points: number; readonly rule: string }[];
  }[];
  readonly assessmentScheme: { readonly name: string; readonly description: string } | null;
  readonly revisions: readonly {
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
  }[];
  readonly revisionBase: { readonly id: number; readonly period: string; readonly warehouseVersion: string } | null;
  readonly figures: readonly Figure[];
  readonly metricNames: Readonly<Record<string, { readonly zh: string; readonly en: string; readonly unit: string }>>;
}

export interface BriefingWithContent extends Briefing {
  readonly content: BriefingContent;
}

export async function fetchBriefings(signal?: AbortSignal): Promise<Briefing[]> {
  const r = await apiGet<{ briefings: Briefing[] }>('/api/briefings', undefined, signal);
  return r.briefings;
}

export function fetchBriefing(id: number, signal?: AbortSignal): Promise<BriefingWithContent> {
  return apiGet<BriefingWithContent>(`/api/briefings/${id}`, undefined, signal);
}

export function createBriefing(kind: BriefingKind, region: string, period: string): Promise<BriefingWithContent> {
  return apiSend<BriefingWithContent>('POST', '/api/briefings', { kind, region, period });
}

export function publishBriefing(id: number): Promise<BriefingWithContent> {
  return apiSend<BriefingWithContent>('POST', `/api/briefings/${id}/publish`);
}

export const briefingDownloadUrl = (id: number, format: 'pdf' | 'xlsx') => `/api/briefings/${id}/${format}`;
