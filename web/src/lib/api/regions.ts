/** The region hierarchy (/api/regions): one region with its path, its children, search. */
import { apiGet } from './http.js';

export type RegionLevel = 'province' | 'city' | 'county' | 'township' | 'village';
export const REGION_LEVELS: readonly RegionLevel[] = ['province', 'city', 'county', 'township', 'village'];

export interface Region {
  readonly code: string;
  readonly name: string;
  readonly level: RegionLevel;
  readonly parent: string | null;
}

export interface RegionWithPath extends Region {
  /** From the province down to and including this region. */
  readonly path: readonly Region[];
  readonly childCount: number;
}

const regionCache = new Map<string, Promise<RegionWithPath>>();
const childrenCache = new Map<string, Promise<readonly Region[]>>();

/** A region with its path (cached: the region list changes only with a new release). */
export function fetchRegion(code: string): Promise<RegionWithPath> {
  let p = regionCache.get(code);
  if (!p) {
    p = apiGet<RegionWithPath>(`/api/regions/${encodeURIComponent(code)}`);
    p.catch(() => regionCache.delete(code));
    regionCache.set(code, p);
  }
  return p;
}

export function fetchChildren(code: string): Promise<readonly Region[]> {
  let p = childrenCache.get(code);
  if (!p) {
    p = apiGet<{ children: Region[] }>(`/api/regions/${encodeURIComponent(code)}/children`).then((r) => r.children);
    p.catch(() => childrenCache.delete(code));
    childrenCache.set(code, p);
  }
  return p;
}

export async function searchRegions(q: string, limit = 20, signal?: AbortSignal): Promise<readonly Region[]> {
  const r = await apiGet<{ regions: Region[] }>('/api/regions', { q, limit }, signal);
  return r.regions;
}
