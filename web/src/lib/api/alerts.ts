/**
 * The alert inbox (issue 5, engine/routes/api/alerts): the list with filters, one alert
 * with its evidence and history, the workflow actions, and the counts of open alerts.
 * GET /api/alerts?region&state&rule&period → { alerts: [{ id, rule, region, period, severity, state, … }] }.
 */
import { apiGet, apiSend } from './http.js';

export interface Bilingual {
  readonly zh: string;
  readonly en: string;
}

export interface Alert {
  readonly id: number;
  readonly rule: string;
  readonly ruleName?: Bilingual;
  readonly region: string;
  readonly regionName?: string;
  readonly level?: string;
  readonly county?: string | null;
  readonly city?: string | null;
  readonly period: string;
  readonly lastPeriod?: string;
  readonly severity: string | null;
  readonly state: string;
  readonly reason?: string;
  readonly value?: number | null;
  readonly threshold?: number | null;
  readonly workflow?: string;
  readonly assignee?: string | null;
  readonly acknowledgedBy?: string | null;
  readonly outcome?: string | null;
  readonly escalation?: string;
  readonly firedAt?: string | null;
  readonly resolvedAt?: string | null;
}

export interface Evidence {
  readonly periods: readonly string[];
  readonly signals: readonly { id: string; name: Bilingual; unit: string; condition: 'above' | 'below'; thresholds: Readonly<Record<string, number>>; values: readonly (number | null)[] }[];
  readonly baseline: { name: Bilingual; values: readonly (number | null)[] } | null;
  readonly series: readonly { name: Bilingual; values: readonly (number | null)[] }[];
  readonly note?: Bilingual;
}

export interface HistoryEntry {
  readonly id: number;
  readonly at: string;
  readonly actor: string | null;
  readonly action: string;
  readonly fromState: string | null;
  readonly toState: string | null;
  readonly detail: Readonly<Record<string, unknown>>;
}

export interface AlertDetail {
  readonly alert: Alert;
  readonly rule: { id: string; name?: Bilingual; description?: Bilingual };
  readonly evidence: Partial<Evidence>;
  readonly history: readonly HistoryEntry[];
}

export interface AlertFilter {
  readonly region: string;
  readonly state?: string | null;
  readonly rule?: string | null;
  readonly period?: string | null;
  readonly limit?: number;
}

export async function fetchAlerts(filter: AlertFilter, signal?: AbortSignal): Promise<Alert[]> {
  const r = await apiGet<{ alerts: Alert[] }>('/api/alerts', { region: filter.region, state: filter.state, rule: filter.rule, period: filter.period, limit: filter.limit }, signal);
  return r.alerts;
}

export function fetchAlert(id: number, signal?: AbortSignal): Promise<AlertDetail> {
  return apiGet<AlertDetail>(`/api/alerts/${id}`, undefined, signal);
}

export interface AlertSummary {
  readonly region: string;
  readonly open: { readonly byState: Record<string, number>; readonly bySeverity: Record<string, number>; readonly byRule: Record<string, number> };
}

export function fetchAlertSummary(region: string, signal?: AbortSignal): Promise<AlertSummary> {
  return apiGet<AlertSummary>('/api/alerts/summary', { region }, signal);
}

export const OUTCOMES = ['handled', 'monitoring', 'false_alarm', 'data_error'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export type AlertAction =
  | { readonly kind: 'assign'; readonly assignee: string | null }
  | { readonly kind: 'acknowledge'; readonly note?: string }
  | { readonly kind: 'comment'; readonly text: string }
  | { readonly kind: 'resolve'; readonly outcome: Outcome; readonly note?: string };

/** POST /api/alerts/:id/{assign|acknowledge|comments|resolve} (with the CSRF header). */
export function actOnAlert(id: number, action: AlertAction): Promise<Alert> {
  switch (action.kind) {
    case 'assign':
      return apiSend<Alert>('POST', `/api/alerts/${id}/assign`, { assignee: action.assignee });
    case 'acknowledge':
      return apiSend<Alert>('POST', `/api/alerts/${id}/acknowledge`, action.note ? { note: action.note } : {});
    case 'comment':
      return apiSend<Alert>('POST', `/api/alerts/${id}/comments`, { text: action.text });
    case 'resolve':
      return apiSend<Alert>('POST', `/api/alerts/${id}/resolve`, action.note ? { outcome: action.outcome, note: action.note } : { outcome: action.outcome });
  }
}
