/** GET /api/health: the warehouse version served, its data date and the months it covers (no login needed). */
import { apiGet } from './http.js';

export interface Health {
  readonly status: 'ok';
  readonly warehouse: {
    readonly version: string | null;
    readonly dataAsOf: string | null;
    readonly publishedAt?: string | null;
    readonly firstMonth?: string | null;
    readonly lastMonth?: string | null;
  };
}

let pending: Promise<Health> | undefined;

/** How long an answer is reused: the banner, the page basics and the period pickers of one page load ask within this. */
const REUSE_MS = 2_000;

/** Callers within REUSE_MS of each other (banner, coverage) share one request; a failure is not reused. */
export function fetchHealth(): Promise<Health> {
  if (!pending) {
    const p = apiGet<Health>('/api/health');
    pending = p;
    const clear = () => {
      if (pending === p) pending = undefined;
    };
    p.then(() => setTimeout(clear, REUSE_MS), clear);
  }
  return pending;
}
