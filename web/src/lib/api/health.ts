/** GET /api/health: the warehouse version served and its data date (no login needed). */
import { apiGet } from './http.js';

export interface Health {
  readonly status: 'ok';
  readonly warehouse: { readonly version: string | null; readonly dataAsOf: string | null; readonly publishedAt?: string | null };
}

let pending: Promise<Health> | undefined;

/** Concurrent callers (banner, coverage) share one request. */
export function fetchHealth(): Promise<Health> {
  if (!pending) {
    pending = apiGet<Health>('/api/health');
    const clear = () => (pending = undefined);
    pending.then(clear, clear);
  }
  return pending;
}
