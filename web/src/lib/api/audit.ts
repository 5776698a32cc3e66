/** The audit log (GET /api/audit, /api/audit/verify, /api/audit/export; administrators only). */
import { apiGet, apiUrl } from './http.js';

export interface AuditEntry {
  readonly seq: number;
  readonly at: string;
  readonly actor: string | null;
  readonly action: string;
  readonly region: string | null;
  readonly target: string | null;
  /** JSON text. */
  readonly detail: string;
  readonly ip: string | null;
  readonly prev_hash: string;
  readonly hash: string;
}

export interface AuditFilter {
  readonly actor?: string;
  readonly action?: string;
  readonly limit?: number;
  readonly offset?: number;
}

export type AuditVerification = { ok: true; entries: number } | { ok: false; seq: number; problem: string };

export async function fetchAudit(filter: AuditFilter, signal?: AbortSignal): Promise<AuditEntry[]> {
  return (await apiGet<{ entries: AuditEntry[] }>('/api/audit', { ...filter }, signal)).entries;
}

export function verifyAudit(signal?: AbortSignal): Promise<AuditVerification> {
  return apiGet<AuditVerification>('/api/audit/verify', undefined, signal);
}

/** The address of the CSV export of the filtered log (a plain download link: the cookie goes with it). */
export function auditExportUrl(filter: AuditFilter): string {
  return apiUrl('/api/audit/export', { actor: filter.actor, action: filter.action, limit: 1000 });
}
