/**
 * The alert inbox (issue 5): GET /api/alerts?region&state&rule&period →
 * { alerts: [{ id, rule, region, period, severity, state, … }] } (fixed shape), scoped to
 * the user's region. Until that API exists it answers 404 and the page says so.
 */
import { apiGet } from './http.js';

export interface Alert {
  readonly id: number | string;
  readonly rule: string;
  readonly region: string;
  readonly period: string;
  readonly severity: string | null;
  readonly state: string;
  readonly regionName?: string;
  readonly ruleName?: { readonly zh: string; readonly en: string } | string;
  readonly value?: number | null;
  readonly threshold?: number | null;
  readonly reason?: string;
  readonly workflow?: string;
  readonly assignee?: string | null;
  readonly [field: string]: unknown;
}

export interface AlertFilter {
  readonly region: string;
  readonly state?: string | null;
  readonly rule?: string | null;
  readonly period?: string | null;
}

export async function fetchAlerts(filter: AlertFilter, signal?: AbortSignal): Promise<Alert[]> {
  const r = await apiGet<{ alerts: Alert[] }>('/api/alerts', { region: filter.region, state: filter.state, rule: filter.rule, period: filter.period }, signal);
  return r.alerts;
}
