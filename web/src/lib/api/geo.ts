/** County boundaries of Sichuan (GET /api/geo/counties[?city=CODE]) as GeoJSON. */
import type { FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { apiGet } from './http.js';

export interface CountyProperties {
  readonly code: string;
  readonly name: string;
  readonly city: string;
}

export type CountyCollection = FeatureCollection<Polygon | MultiPolygon, CountyProperties>;

const cache = new Map<string, Promise<CountyCollection>>();

/** All 183 counties, or one city's (cached: boundaries do not change while the page is open). */
export function fetchCounties(city?: string): Promise<CountyCollection> {
  const key = city ?? '';
  let p = cache.get(key);
  if (!p) {
    p = apiGet<CountyCollection>('/api/geo/counties', { city });
    p.catch(() => cache.delete(key));
    cache.set(key, p);
  }
  return p;
}
