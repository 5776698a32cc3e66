/**
 * County boundaries in the Mercator plane, computed once per boundary set (the answers are
 * cached for the page's life: the same object every time): d3-geo's geoMercator streams
 * every point through spherical clipping and resampling on each fit, path and centroid,
 * ~0.25 s for the 183 counties on the target machines; on planar coordinates, a
 * geoIdentity projection only scales and translates. Same shapes: Mercator's raw formula
 * (geoMercatorRaw) with y pointing down, as geoMercator draws it. Sichuan does not cross the
 * antimeridian, where only the spherical clipping would differ.
 */
import { geoMercatorRaw } from 'd3-geo';
import type { FeatureCollection, GeoJsonProperties, MultiPolygon, Polygon, Position } from 'geojson';

const RAD = Math.PI / 180;
const planarCache = new WeakMap<object, FeatureCollection>();

function project(p: Position): Position {
  const [x, y] = geoMercatorRaw(p[0] * RAD, p[1] * RAD);
  return [x, -y];
}

export function planarMercator<P extends GeoJsonProperties>(fc: FeatureCollection<Polygon | MultiPolygon, P>): FeatureCollection<Polygon | MultiPolygon, P> {
  const hit = planarCache.get(fc);
  if (hit) return hit as FeatureCollection<Polygon | MultiPolygon, P>;
  const out: FeatureCollection<Polygon | MultiPolygon, P> = {
    type: 'FeatureCollection',
    features: fc.features.map((f) => ({
      ...f,
      geometry:
        f.geometry.type === 'Polygon'
          ? { type: 'Polygon', coordinates: f.geometry.coordinates.map((ring) => ring.map(project)) }
          : { type: 'MultiPolygon', coordinates: f.geometry.coordinates.map((poly) => poly.map((ring) => ring.map(project))) },
    })),
  };
  planarCache.set(fc, out);
  return out;
}
