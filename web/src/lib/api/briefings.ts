/** Briefings (a later issue): GET /api/briefings → { briefings: [{ id, title, period, … }] }; reported as 404 (not available yet) while the API has no such route. */
import { apiGet } from './http.js';
import { requireRoute } from './openapi-routes.js';

export interface Briefing {
  readonly id: string | number;
  readonly title: string;
  readonly period: string;
}

export async function fetchBriefings(signal?: AbortSignal): Promise<Briefing[]> {
  await requireRoute('/api/briefings');
  const r = await apiGet<{ briefings: Briefing[] }>('/api/briefings', undefined, signal);
  return r.briefings;
}
