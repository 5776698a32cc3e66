/**
 * The county map's planar Mercator: fitted with geoIdentity, every county's path equals
 * d3's geoMercator (no resampling) fitted to the same box, to a hundredth of a pixel, for
 * the province's 183 committed boundaries and a city's.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { geoIdentity, geoMercator, geoPath } from 'd3-geo';
import type { FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { planarMercator } from '../../web/src/lib/charts/planar-mercator.ts';
import { COUNTIES_GEO_FILE } from '../../engine/routes/api/geo/index.ts';

type Counties = FeatureCollection<Polygon | MultiPolygon, { code: string }>;
const all = JSON.parse(readFileSync(COUNTIES_GEO_FILE, 'utf8')) as Counties;
const numbers = (d: string | null) => (d ?? '').match(/-?\d+(\.\d+)?/g)!.map(Number);

describe('planarMercator', () => {
  for (const [name, fc] of [
    ['province', all],
    ['city 511700', { ...all, features: all.features.filter((f) => f.properties.code.startsWith('5117')) }],
  ] as const) {
    test(`${name}: same paths and centroids as geoMercator`, () => {
      const box: [[number, number], [number, number]] = [
        [4, 4],
        [696, 456],
      ];
      const spherical = geoPath(geoMercator().precision(0).fitExtent(box, fc));
      const planarFc = planarMercator(fc);
      const planar = geoPath(geoIdentity().fitExtent(box, planarFc));
      expect(planarFc.features.length).toBe(fc.features.length);
      planarFc.features.forEach((f, i) => {
        const a = numbers(spherical(fc.features[i]));
        const b = numbers(planar(f));
        expect(b.length, f.properties.code).toBe(a.length);
        for (let k = 0; k < a.length; k++) expect(Math.abs(a[k] - b[k])).toBeLessThan(0.01);
        const [ax, ay] = spherical.centroid(fc.features[i]);
        const [bx, by] = planar.centroid(f);
        expect(Math.hypot(ax - bx, ay - by)).toBeLessThan(0.01);
      });
      expect(planarMercator(fc)).toBe(planarFc); // computed once per boundary set
    });
  }
});
