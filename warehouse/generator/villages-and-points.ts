/**
 * The generator's geography: every village of the region extract gets a weight
 * (lognormal draw × area density) and a nominal full-scale population (province total
 * NOMINAL_PROVINCE_PERSONS, independent of --persons), and the collection points are
 * built from the nominal populations: a village with ≥ 1,000 gets its own point; smaller
 * villages are merged with their neighbours (code order) in the same township until the
 * group reaches 1,000 or the township ends. Every village is in exactly one point.
 */
import { loadRegions, type Region, type RegionTree } from '../reference/regions.ts';
import {
  CENTRAL_CHENGDU, CENTRAL_CHENGDU_DENSITY, CHENGDU_DISTRICT_DENSITY, CITY_DENSITY, ETHNIC_CITIES, EXPORT_CITIES,
  FORMER_POVERTY_COUNTY_NAMES, NOMINAL_PROVINCE_PERSONS, OWN_POINT_THRESHOLD, VILLAGE_WEIGHT_SIGMA, type RegionType,
} from './calibration.ts';
import { StreamKey } from './random.ts';
import { mobilePhone, personName, type NameStyle } from './names.ts';
import { dayOf, isoOf } from './day-numbers.ts';

export interface Village {
  readonly index: number;
  readonly code: string;
  readonly name: string;
  readonly township: string;
  readonly county: number;
  readonly weight: number;
  readonly nominal: number;
  point: number;
}

export interface CollectionPoint {
  readonly index: number;
  readonly code: string;
  readonly name: string;
  readonly township: string;
  readonly county: number;
  readonly villages: readonly number[];
  readonly collector: string;
  readonly collectorPhone: string;
  readonly establishedOn: string;
}

export interface County {
  readonly index: number;
  readonly code: string;
  readonly name: string;
  readonly city: string; // 4-digit city prefix, e.g. '5117'
  readonly regionType: RegionType;
  readonly formerPoverty: boolean;
  readonly isCityCentre: boolean;
  /** Share of persons with 彝族 / 藏族 names. */
  readonly nameStyles: readonly (readonly [NameStyle, number])[];
  readonly villages: readonly number[];
  readonly points: readonly number[];
  /** Cumulative village weights (same order as villages). */
  readonly villageCum: Float64Array;
  readonly weight: number;
  readonly nominal: number;
}

export interface Geography {
  readonly tree: RegionTree;
  readonly villages: readonly Village[];
  readonly points: readonly CollectionPoint[];
  readonly counties: readonly County[];
  readonly countyByCode: ReadonlyMap<string, County>;
  readonly pointByCode: ReadonlyMap<string, CollectionPoint>;
}

const STRONG_YI = ['513428', '513429', '513430', '513431', '513432', '513434', '513435', '513436', '513437'];
const WEAK_YI = ['513401', '513402', '513424', '513426', '513427', '513433'];

function regionTypeOf(code: string): RegionType {
  if (CENTRAL_CHENGDU.includes(code)) return 'core';
  if (code.startsWith('5101')) return 'chengdu';
  if (EXPORT_CITIES.includes(code.slice(0, 4))) return 'export';
  if (ETHNIC_CITIES.includes(code.slice(0, 4))) return 'ethnic';
  return 'other';
}

function nameStylesOf(code: string): readonly (readonly [NameStyle, number])[] {
  const city = code.slice(0, 4);
  if (city === '5134') {
    const yi = STRONG_YI.includes(code) ? 0.85 : WEAK_YI.includes(code) ? 0.2 : 0.55;
    return [['yi', yi], ['han', 1 - yi]];
  }
  if (city === '5133') return [['tibetan', 0.75], ['han', 0.25]];
  if (city === '5132') return [['tibetan', 0.5], ['han', 0.5]];
  return [['han', 1]];
}

/** Strips 村民委员会 / 社区居委会 / 居民委员会 … from a village name. */
export function shortVillageName(name: string): string {
  return name.replace(/(村民委员会|居民委员会|社区居委会|居委会|村委会)$/, (m) => (m.startsWith('村') ? '村' : m.startsWith('社区') ? '社区' : ''));
}

export function buildGeography(seed: number, fromDay: number): Geography {
  const tree = loadRegions();
  const rng = new StreamKey(seed, 'geography').rng();
  const countyByCode = new Map<string, County>();
  const countyIdx = new Map<string, number>();
  tree.counties.forEach((c, i) => countyIdx.set(c.code, i));
  const povertyNames = new Set(FORMER_POVERTY_COUNTY_NAMES);

  const raw: { region: Region; county: number; weight: number }[] = [];
  let total = 0;
  const sortedVillages = [...tree.villages].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  for (const v of sortedVillages) {
    const countyCode = v.code.slice(0, 6);
    const ci = countyIdx.get(countyCode);
    if (ci === undefined) throw new Error(`village ${v.code} has no county in the region extract`);
    let density = CITY_DENSITY[countyCode.slice(0, 4)] ?? 1;
    if (CENTRAL_CHENGDU.includes(countyCode)) density *= CENTRAL_CHENGDU_DENSITY;
    else if (countyCode.startsWith('5101') && countyCode < '510120') density *= CHENGDU_DISTRICT_DENSITY;
    const weight = rng.lognormal(1, VILLAGE_WEIGHT_SIGMA) * density;
    raw.push({ region: v, county: ci, weight });
    total += weight;
  }
  const scale = NOMINAL_PROVINCE_PERSONS / total;
  const villages: Village[] = raw.map((r, index) => ({
    index, code: r.region.code, name: r.region.name, township: r.region.code.slice(0, 9), county: r.county,
    weight: r.weight, nominal: Math.round(r.weight * scale), point: -1,
  }));

  // Collection points, township by township in code order.
  const points: CollectionPoint[] = [];
  const latestEstablished = Math.min(dayOf('2022-12-31'), fromDay - 30);
  const earliestEstablished = Math.min(dayOf('2019-03-01'), latestEstablished - 365);
  const collectorRng = new StreamKey(seed, 'collectors').rng();
  let seqInTownship = 0;
  let group: number[] = [];
  let groupNominal = 0;
  const flush = () => {
    if (group.length === 0) return;
    const first = villages[group[0]];
    const county = tree.counties[first.county];
    const styles = nameStylesOf(county.code);
    const style = styles.length > 1 && collectorRng.chance(styles[0][1]) ? styles[0][0] : 'han';
    const index = points.length;
    seqInTownship++;
    points.push({
      index,
      code: `CJ${first.township}${String(seqInTownship).padStart(2, '0')}`,
      name: `${shortVillageName(first.name)}采集点`,
      township: first.township,
      county: first.county,
      villages: group,
      collector: personName(collectorRng, collectorRng.chance(0.45), style),
      collectorPhone: mobilePhone(collectorRng),
      establishedOn: isoOf(collectorRng.between(earliestEstablished, latestEstablished)),
    });
    for (const vi of group) villages[vi].point = index;
    group = [];
    groupNominal = 0;
  };
  for (let i = 0; i < villages.length; i++) {
    const v = villages[i];
    if (i > 0 && villages[i - 1].township !== v.township) {
      flush();
      seqInTownship = 0;
    }
    if (v.nominal >= OWN_POINT_THRESHOLD) {
      flush();
      group = [i];
      flush();
      continue;
    }
    group.push(i);
    groupNominal += v.nominal;
    if (groupNominal >= OWN_POINT_THRESHOLD) flush();
  }
  flush();

  const villagesOf: number[][] = tree.counties.map(() => []);
  for (const v of villages) villagesOf[v.county].push(v.index);
  const pointsOf: number[][] = tree.counties.map(() => []);
  for (const p of points) pointsOf[p.county].push(p.index);
  const counties: County[] = tree.counties.map((c, index) => {
    const vs = villagesOf[index];
    const cum = new Float64Array(vs.length);
    let s = 0;
    vs.forEach((vi, k) => (cum[k] = s += villages[vi].weight));
    const city = c.code.slice(0, 4);
    const cityCounties = tree.counties.filter((x) => x.code.startsWith(city));
    const centre = cityCounties.find((x) => /0[12]$/.test(x.code)) ?? cityCounties[0];
    const county: County = {
      index, code: c.code, name: c.name, city,
      regionType: regionTypeOf(c.code),
      formerPoverty: ETHNIC_CITIES.includes(city) || povertyNames.has(c.name),
      isCityCentre: centre.code === c.code,
      nameStyles: nameStylesOf(c.code),
      villages: vs,
      points: pointsOf[index],
      villageCum: cum,
      weight: s,
      nominal: vs.reduce((a, vi) => a + villages[vi].nominal, 0),
    };
    countyByCode.set(c.code, county);
    return county;
  });
  return { tree, villages, points, counties, countyByCode, pointByCode: new Map(points.map((p) => [p.code, p])) };
}

/** Persons per county for a province of `persons`: proportional to county weight, largest remainder. */
export function allocatePersons(geo: Geography, persons: number): number[] {
  const total = geo.counties.reduce((a, c) => a + c.weight, 0);
  const quotas = geo.counties.map((c) => (persons * c.weight) / total);
  const out = quotas.map(Math.floor);
  let rest = persons - out.reduce((a, b) => a + b, 0);
  const order = quotas.map((q, i) => [q - Math.floor(q), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let k = 0; rest > 0; k++, rest--) out[order[k % order.length][1]]++;
  return out;
}
