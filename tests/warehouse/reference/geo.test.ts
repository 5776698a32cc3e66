import { test, expect, describe } from 'vitest';
import { readFileSync } from 'node:fs';
import { geoArea, geoContains, geoBounds } from 'd3';
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { loadRegions, cityOf } from '../../../warehouse/reference/regions.ts';
import { GEO_FILE } from '../../../warehouse/reference/extract-geo.ts';

type CountyFeature = Feature<Polygon | MultiPolygon, { code: string; name: string; city: string }>;
const text = readFileSync(GEO_FILE, 'utf8');
const geo = JSON.parse(text) as FeatureCollection<Polygon | MultiPolygon, { code: string; name: string; city: string }>;
const features = geo.features as CountyFeature[];
const tree = loadRegions();
const polygonsOf = (f: CountyFeature) => (f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates);
/** Sichuan lies within about 97.3-108.6 E, 26.0-34.4 N. */
const BOX = { west: 97.3, east: 108.6, south: 26.0, north: 34.4 };
const EARTH_RADIUS_KM = 6371.0088;

describe('committed Sichuan county boundaries', () => {
  test('is a FeatureCollection well under 1 MB', () => {
    expect(geo.type).toBe('FeatureCollection');
    expect(Buffer.byteLength(text)).toBeLessThan(700_000);
  });

  test('one feature for each of the 183 counties of the region list, keyed and named like it', () => {
    expect(features).toHaveLength(183);
    const codes = features.map((f) => f.properties.code);
    expect(new Set(codes).size).toBe(183);
    expect([...codes].sort()).toEqual(tree.counties.map((c) => c.code).sort());
    for (const f of features) {
      const county = tree.byCode.get(f.properties.code);
      expect(county?.level, f.properties.code).toBe('county');
      expect(f.properties.name).toBe(county?.name);
      expect(f.properties.city).toBe(cityOf(f.properties.code));
      expect(f.properties.city).toBe(county?.parent);
      expect(Object.keys(f.properties).sort()).toEqual(['city', 'code', 'name']);
    }
  });

  test('closed rings of 4+ positions, rounded to 4 decimals, inside Sichuan\'s bounding box', () => {
    const problems: string[] = [];
    for (const f of features) {
      expect(['Polygon', 'MultiPolygon']).toContain(f.geometry.type);
      for (const poly of polygonsOf(f)) for (const ring of poly) {
        if (ring.length < 4) problems.push(`${f.properties.code}: ring of ${ring.length}`);
        const [a, b] = [ring[0], ring[ring.length - 1]];
        if (a[0] !== b[0] || a[1] !== b[1]) problems.push(`${f.properties.code}: ring not closed`);
        for (const [x, y] of ring) {
          if (!(x >= BOX.west && x <= BOX.east && y >= BOX.south && y <= BOX.north)) problems.push(`${f.properties.code}: ${x},${y} outside`);
          if (Math.round(x * 1e4) / 1e4 !== x || Math.round(y * 1e4) / 1e4 !== y) problems.push(`${f.properties.code}: ${x},${y} not 4 decimals`);
        }
      }
    }
    expect(problems).toEqual([]);
    const [[w, s], [e, n]] = geoBounds(geo);
    expect(w).toBeGreaterThan(97.3); expect(w).toBeLessThan(97.5);
    expect(e).toBeGreaterThan(108.4); expect(e).toBeLessThan(108.6);
    expect(s).toBeGreaterThan(26.0); expect(s).toBeLessThan(26.2);
    expect(n).toBeGreaterThan(34.2); expect(n).toBeLessThan(34.4);
  });

  test('wound for d3-geo: each county is small and the total is Sichuan\'s area (486,000 km²)', () => {
    let total = 0;
    for (const f of features) {
      const km2 = geoArea(f) * EARTH_RADIUS_KM ** 2;
      expect(km2, f.properties.name).toBeGreaterThan(50);
      expect(km2, f.properties.name).toBeLessThan(30_000);
      total += km2;
    }
    expect(total).toBeGreaterThan(486_000 * 0.98);
    expect(total).toBeLessThan(486_000 * 1.02);
  });

  test('known places fall in the right county, and in one only', () => {
    const places: Array<[string, number, number, string]> = [
      ['西昌', 102.264, 27.894, '513401'], ['康定', 101.964, 30.05, '513301'], ['马尔康', 102.206, 31.905, '513201'],
      ['乐山 市中区', 103.76, 29.55, '511102'], ['峨眉山', 103.48, 29.6, '511181'], ['九寨沟', 103.92, 33.2, '513225'],
      ['攀枝花 东区', 101.72, 26.58, '510402'], ['会理', 102.25, 26.66, '513402'], ['简阳', 104.55, 30.39, '510185'],
      ['天府广场', 104.0657, 30.6574, '510105'], ['新津', 103.81, 30.41, '510118'],
    ];
    for (const [name, lon, lat, code] of places) {
      const hits = features.filter((f) => geoContains(f, [lon, lat])).map((f) => f.properties.code);
      expect(hits, name).toEqual([code]);
    }
  });

  test('neighbours share their borders exactly (topology kept by the simplification)', () => {
    const owners = new Map<string, Set<string>>();
    for (const f of features) for (const poly of polygonsOf(f)) for (const ring of poly) {
      for (let i = 0; i + 1 < ring.length; i++) {
        const a = ring[i].join(','), b = ring[i + 1].join(',');
        const key = a < b ? `${a}|${b}` : `${b}|${a}`;
        let set = owners.get(key);
        if (!set) owners.set(key, (set = new Set()));
        set.add(f.properties.code);
      }
    }
    const shared = [...owners.values()].filter((s) => s.size === 2).length;
    expect(shared / owners.size).toBeGreaterThan(0.7);
    const between = (x: string, y: string) => [...owners.values()].filter((s) => s.has(x) && s.has(y)).length;
    expect(between('510104', '510108')).toBeGreaterThan(3); // 锦江区 | 成华区
    expect(between('511702', '511703')).toBeGreaterThan(10); // 通川区 | 达川区
  });
});
