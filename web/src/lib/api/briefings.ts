/** Briefings (a later issue): GET /api/briefings → { briefings: [{ id, title, period, … }] }; 404 until it exists. */
import { apiGet } from './http.js';

export interface Briefing {
  readonly id: string | number;
  readonly title: string;
  readonly period: string;
}

export async function fetchBriefings(signal?: AbortSignal): Promise<Briefing[]> {
  const r = await apiGet<{ briefings: Briefing[] }>('/api/briefings', undefined, signal);
  return r.briefings;
}
