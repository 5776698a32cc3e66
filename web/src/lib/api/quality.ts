/** Quarantine and reconciliation summaries of a region (GET /api/quality/quarantine, /api/quality/reconciliation). */
import { apiGet } from './http.js';

export interface QuarantineSummary {
  readonly region: string;
  readonly total: number;
  readonly byReason: readonly { reason: string; zh: string; en: string; count: number }[];
  readonly byFile: readonly { batch: string; file: string; count: number }[];
  readonly byCounty: readonly { code: string; name: string | null; count: number }[];
}

export interface ReconciliationCounts {
  readonly missing: number;
  readonly extra: number;
  readonly different: number;
}

export interface ReconciliationSummary {
  readonly region: string;
  readonly total: number;
  readonly bySnapshot: readonly (ReconciliationCounts & { snapshotDate: string })[];
  readonly byCounty: readonly (ReconciliationCounts & { code: string; name: string | null })[];
}

export function fetchQuarantine(region: string, signal?: AbortSignal): Promise<QuarantineSummary> {
  return apiGet<QuarantineSummary>('/api/quality/quarantine', { region }, signal);
}

export function fetchReconciliation(region: string, signal?: AbortSignal): Promise<ReconciliationSummary> {
  return apiGet<ReconciliationSummary>('/api/quality/reconciliation', { region }, signal);
}
