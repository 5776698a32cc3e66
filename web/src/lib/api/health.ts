/** GET /api/health: the warehouse version served and its data date (no login needed). */
import { apiGet } from './http.js';

export interface Health {
  readonly status: 'ok';
  readonly warehouse: { readonly version: string | null; readonly dataAsOf: string | null; readonly publishedAt?: string | null };
}

export function fetchHealth(signal?: AbortSignal): Promise<Health> {
  return apiGet<Health>('/api/health', undefined, signal);
}
