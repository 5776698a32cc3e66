/**
 * Everything derived from the options before any person is generated: period, batches,
 * geography, shock plan, county profiles, persons per county, the snapshot and change
 * files and their formats. Deterministic: the main thread and every worker build the
 * same setup from the same options.
 */
import { ROSTER_COLUMNS } from '../contract/columns.ts';
import { buildCountyProfiles, type CountyProfile } from './county-profiles.ts';
import { PLAIN_CSV, type CsvFormat } from './csv-writer.ts';
import { partnerCounties } from './id-allocator.ts';
import { shortPlaceName } from './names.ts';
import { buildBatches, personsFileName, rosterFileName, rosterFormat, type BatchSpec } from './output-layout.ts';
import { buildPeriod, type Period } from './period.ts';
import { CHANGE_HEADERS, PERSON_HEADERS } from './person-record.ts';
import { StreamKey } from './random.ts';
import { planShocks, type ShockPlan } from './shocks.ts';
import type { TruthFile } from './truth.ts';
import { allocatePersons, buildGeography, type Geography } from './villages-and-points.ts';

export interface ResolvedOptions {
  readonly out: string;
  readonly persons: number;
  readonly seed: number;
  readonly from: string;
  readonly to: string;
  readonly dirty: number;
  readonly daily: number;
}

/** A CSV file written county by county (possibly in parts by several workers). */
export interface StreamedFile {
  /** "<batch>/<name>" */
  readonly file: string;
  readonly kind: TruthFile['kind'];
  readonly header: readonly string[];
  readonly format: CsvFormat;
}

export interface ProvinceSetup {
  readonly o: ResolvedOptions;
  readonly dirty: boolean;
  readonly period: Period;
  readonly batches: readonly BatchSpec[];
  readonly geo: Geography;
  readonly plan: ShockPlan;
  readonly partners: ReadonlyMap<string, string>;
  readonly profiles: readonly CountyProfile[];
  readonly countyShortNames: ReadonlyMap<string, string>;
  readonly perCounty: readonly number[];
  /** Counties whose end snapshot gets reconciliation differences (dirty mode). */
  readonly reconCounties: ReadonlySet<string>;
  /** Persons files by snapshot index. */
  readonly persons: readonly StreamedFile[];
  /** Roster files by snapshot index (none for the base snapshot). */
  readonly rosters: readonly ({ readonly poverty: StreamedFile; readonly relocated: StreamedFile } | null)[];
  /** Changes files by batch index. */
  readonly changes: readonly StreamedFile[];
}

export function buildSetup(o: ResolvedOptions): ProvinceSetup {
  const dirty = o.dirty > 0;
  const period = buildPeriod(o.from, o.to, o.daily);
  const geo = buildGeography(o.seed, period.fromDay);
  const plan = planShocks(geo, period, o.seed);
  const partners = partnerCounties(geo.counties.map((c) => c.code));
  const profiles = buildCountyProfiles(geo, plan, partners, o.seed);
  const countyShortNames = new Map(geo.counties.map((c) => [c.code, shortPlaceName(c.name)]));
  const perCounty = allocatePersons(geo, o.persons);
  const batches = buildBatches(period, dirty);
  const snapBatch = (si: number): BatchSpec => batches.find((b) => b.snapshots.includes(si))!;
  const rosterHeader = ROSTER_COLUMNS.map((c) => c.header);
  const persons = period.snapshotDays.map((d, si): StreamedFile => ({ file: `${snapBatch(si).folder}/${personsFileName(d)}`, kind: 'persons', header: PERSON_HEADERS, format: PLAIN_CSV }));
  const rosters = period.snapshotDays.map((d, si) => si === 0 ? null : {
    poverty: { file: `${snapBatch(si).folder}/${rosterFileName('poverty', d)}`, kind: 'roster' as const, header: rosterHeader, format: rosterFormat(dirty, 'poverty') },
    relocated: { file: `${snapBatch(si).folder}/${rosterFileName('relocated', d)}`, kind: 'roster' as const, header: rosterHeader, format: rosterFormat(dirty, 'relocated') },
  });
  const changes = batches.map((b): StreamedFile => ({ file: `${b.folder}/${b.changes.name}`, kind: 'changes', header: CHANGE_HEADERS, format: b.changes.format }));
  return {
    o, dirty, period, batches, geo, plan, partners, profiles, countyShortNames, perCounty,
    reconCounties: reconciliationCounties(geo, perCounty, o.seed, dirty),
    persons, rosters, changes,
  };
}

/** All streamed files, in a fixed order. */
export function streamedFiles(s: ProvinceSetup): StreamedFile[] {
  return [...s.persons, ...s.rosters.flatMap((r) => (r ? [r.poverty, r.relocated] : [])), ...s.changes];
}

/** Two counties (seeded, among the 20 largest) whose end snapshot gets reconciliation differences. */
function reconciliationCounties(geo: Geography, perCounty: readonly number[], seed: number, dirty: boolean): Set<string> {
  if (!dirty) return new Set();
  const rng = new StreamKey(seed, 'reconciliation-plan').rng();
  const big = geo.counties.map((c) => c.index).sort((a, b) => perCounty[b] - perCounty[a] || a - b).slice(0, 20);
  const out = new Set<string>();
  while (out.size < 2) out.add(geo.counties[big[rng.int(big.length)]].code);
  return out;
}

/** Splits the counties (in code order) into `parts` contiguous ranges of about equal persons. */
export function countyRanges(perCounty: readonly number[], parts: number): [number, number][] {
  const total = perCounty.reduce((a, b) => a + b, 0);
  const out: [number, number][] = [];
  let start = 0, acc = 0;
  for (let p = 1; p <= parts; p++) {
    let end = start;
    const target = (total * p) / parts;
    while (end < perCounty.length && (acc + perCounty[end] <= target || end === start || p === parts)) acc += perCounty[end++];
    out.push([start, end]);
    start = end;
  }
  return out.filter(([a, b]) => b > a);
}
