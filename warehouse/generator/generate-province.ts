/**
 * generateProvince: writes the synthetic registry exports of the whole province
 * (initial batch, daily batches) and truth.json. County by county: each county's
 * persons are generated, simulated and written, then dropped, so memory stays bounded
 * by the largest county's change rows.
 */
import { closeSync, mkdirSync, openSync, readSync, statSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { startTsWorker } from '../workers/ts-worker.ts';
import { POINT_COLUMNS, SUBMISSION_COLUMNS } from '../contract/columns.ts';
import { runCountyRange, partPath, type PartResult } from './county-range.ts';
import { CsvWriter } from './csv-writer.ts';
import { isoOf, monthLabel, monthOfDay, monthOfIso, todayInShanghai } from './day-numbers.ts';
import { MAX_DAILY_BATCHES, PointCounts } from './generate-county.ts';
import { pointsFileName, pointsFormat, submissionsFileName, submissionsFormat, type FileFormatSpec } from './output-layout.ts';
import { buildSetup, countyRanges, streamedFiles, type ResolvedOptions } from './province-setup.ts';
import { StreamKey } from './random.ts';
import { emptyShockCounts, shockTruth } from './shocks.ts';
import { submissionStateAsOf, submissionTimeline } from './submissions.ts';
import { TruthAccumulator, festivalDatesJson, type DirtyRow, type ReconciliationFinding, type TruthFile } from './truth.ts';
import type { Geography } from './villages-and-points.ts';

export type { ResolvedOptions };

export const GENERATOR_VERSION = '1.0.0';
export const DEFAULT_FROM = '2023-01';
export const MIN_PERSONS = 1000;
export const MAX_DIRTY = 0.2;

export interface GenerateOptions {
  readonly out: string;
  readonly persons?: number;
  readonly seed?: number;
  readonly from?: string;
  readonly to?: string;
  readonly dirty?: number;
  readonly daily?: number;
  /** Progress lines (optional). */
  readonly log?: (line: string) => void;
  /** Clock for the default --to (tests). */
  readonly now?: Date;
  /** Worker threads (default: 2 on 2+ cores from 100,000 persons, else 1). The output does not depend on it. */
  readonly workers?: number;
}

export interface GenerateSummary {
  readonly out: string;
  readonly batches: readonly string[];
  readonly files: number;
  readonly rows: number;
  readonly bytes: number;
  readonly seconds: number;
  readonly personsSimulated: number;
  readonly dirtyRows: number;
}


/** The last complete month in Asia/Shanghai. */
export function defaultToMonth(now: Date = new Date()): string {
  return monthLabel(monthOfDay(todayInShanghai(now)) - 1);
}

/** Applies defaults and validates; returns the options or throws an Error with a one-line reason. */
export function resolveOptions(o: GenerateOptions): ResolvedOptions {
  const r: ResolvedOptions = {
    out: o.out, persons: o.persons ?? 300_000, seed: o.seed ?? 1, from: o.from ?? DEFAULT_FROM,
    to: o.to ?? defaultToMonth(o.now), dirty: o.dirty ?? 0.005, daily: o.daily ?? 0,
  };
  const problem = optionProblem(r);
  if (problem) throw new Error(problem);
  return r;
}

export function optionProblem(r: ResolvedOptions): string | undefined {
  const month = /^\d{4}-(0[1-9]|1[0-2])$/;
  if (!r.out) return '--out is required';
  if (!Number.isInteger(r.persons) || r.persons < MIN_PERSONS) return `--persons must be an integer ≥ ${MIN_PERSONS} (smaller provinces cannot hold the planted shocks with visible counts)`;
  if (!Number.isInteger(r.seed)) return '--seed must be an integer';
  if (!month.test(r.from)) return `--from must be a month YYYY-MM, got '${r.from}'`;
  if (!month.test(r.to)) return `--to must be a month YYYY-MM, got '${r.to}'`;
  if (monthOfIso(r.from) > monthOfIso(r.to)) return `--from (${r.from}) must not be after --to (${r.to})`;
  if (monthOfIso(r.from) < monthOfIso('2018-01')) return `--from must be 2018-01 or later (the registry starts in 2017), got '${r.from}'`;
  if (!(r.dirty >= 0 && r.dirty <= MAX_DIRTY)) return `--dirty must be between 0 and ${MAX_DIRTY}, got ${r.dirty}`;
  if (!Number.isInteger(r.daily) || r.daily < 0) return `--daily must be an integer ≥ 0, got ${r.daily}`;
  if (r.daily > MAX_DAILY_BATCHES) return `--daily must be at most ${MAX_DAILY_BATCHES} (one year of daily batches)`;
  return undefined;
}

interface WorkerMessage {
  readonly log?: string;
  readonly result?: PartResult;
}

/** Runs a county range in a worker thread (TypeScript loaded through tsx's loader API). */
function runInWorker(options: ResolvedOptions, range: [number, number], part: number, log: (line: string) => void, started: Worker[]): Promise<PartResult> {
  const worker = startTsWorker(new URL('./county-worker.ts', import.meta.url), { options, range, part });
  started.push(worker);
  return new Promise((resolve, reject) => {
    let done = false;
    worker.on('message', (m: WorkerMessage) => {
      if (m.log) log(m.log);
      if (m.result) {
        done = true;
        resolve(m.result);
        void worker.terminate();
      }
    });
    worker.on('error', reject);
    worker.on('exit', (code) => {
      if (!done) reject(new Error(`generator worker ${part} exited with code ${code} before finishing`));
    });
  });
}

/** Runs all ranges in workers; if one fails, the others are stopped and the error is thrown. */
async function runWorkers(o: ResolvedOptions, ranges: [number, number][], log: (line: string) => void): Promise<PartResult[]> {
  const started: Worker[] = [];
  try {
    return await Promise.all(ranges.map((r, k) => runInWorker(o, r, k, log, started)));
  } catch (err) {
    await Promise.all(started.map((w) => w.terminate()));
    throw err;
  }
}

/** Appends part files 1..n to part 0 (the final file) and removes them. */
function mergeParts(out: string, file: string, parts: number): void {
  if (parts <= 1) return;
  const fd = openSync(join(out, file), 'a');
  const buf = Buffer.allocUnsafe(8 << 20);
  try {
    for (let k = 1; k < parts; k++) {
      const path = partPath(out, file, k);
      const in_ = openSync(path, 'r');
      try {
        for (;;) {
          const n = readSync(in_, buf, 0, buf.length, null);
          if (n === 0) break;
          let off = 0;
          while (off < n) off += writeSync(fd, buf, off, n - off);
        }
      } finally {
        closeSync(in_);
      }
      unlinkSync(path);
    }
  } finally {
    closeSync(fd);
  }
}

export async function generateProvince(options: GenerateOptions): Promise<GenerateSummary> {
  const started = performance.now();
  const o = resolveOptions(options);
  const log = options.log ?? (() => {});
  const s = buildSetup(o);
  const { period, geo, plan, batches, dirty } = s;
  for (const b of batches) mkdirSync(join(o.out, b.folder), { recursive: true });

  const workers = Math.max(1, Math.min(options.workers ?? (o.persons >= 100_000 ? Math.min(2, availableParallelism()) : 1), 8));
  const ranges = countyRanges(s.perCounty, workers);
  const parts: PartResult[] = ranges.length === 1
    ? [runCountyRange(s, ranges[0], 0, log)]
    : await runWorkers(o, ranges, log);

  // Merge the parts: files appended in county order, counts summed, row numbers shifted.
  const truth = new TruthAccumulator(geo.counties.map((c) => c.code), period);
  const pointCounts = new PointCounts(geo.points.length, period.submissionMonths);
  const shockCounts = emptyShockCounts();
  const dirtyRows: DirtyRow[] = [];
  const reconciliation: ReconciliationFinding[] = [];
  const rowsBefore = new Map<string, number>();
  const fileTotals = new Map<string, { rows: number; bytes: number }>();
  let personsSimulated = 0;
  for (const p of parts) {
    truth.addCounts(p.monthEnd, p.flows, p.festival);
    for (let i = 0; i < p.pointCounts.length; i++) pointCounts.counts[i] += p.pointCounts[i];
    for (const [k, v] of p.shockCounts.layoffEligible) shockCounts.layoffEligible.set(k, (shockCounts.layoffEligible.get(k) ?? 0) + v);
    for (const [k, v] of p.shockCounts.layoffAffected) shockCounts.layoffAffected.set(k, (shockCounts.layoffAffected.get(k) ?? 0) + v);
    shockCounts.povertyEligible += p.shockCounts.povertyEligible;
    shockCounts.povertyAffected += p.shockCounts.povertyAffected;
    shockCounts.lagReturned += p.shockCounts.lagReturned;
    shockCounts.lagDelayed += p.shockCounts.lagDelayed;
    personsSimulated += p.personsSimulated;
    for (const d of p.dirtyRows) dirtyRows.push({ ...d, row: d.row + (rowsBefore.get(d.file) ?? 0) });
    for (const r of p.reconciliation) reconciliation.push(r.row === undefined ? r : { ...r, row: r.row + (rowsBefore.get(r.file) ?? 0) });
    for (const f of p.files) {
      rowsBefore.set(f.file, (rowsBefore.get(f.file) ?? 0) + f.rows);
      const t = fileTotals.get(f.file) ?? { rows: 0, bytes: 0 };
      fileTotals.set(f.file, { rows: t.rows + f.rows, bytes: t.bytes + f.bytes });
    }
  }
  const files: TruthFile[] = [];
  for (const f of streamedFiles(s)) {
    mergeParts(o.out, f.file, parts.length);
    const t = fileTotals.get(f.file)!;
    files.push({ file: f.file, kind: f.kind, format: 'csv', encoding: f.format.encoding, delimiter: f.format.delimiter, bom: f.format.bom, crlf: f.format.crlf, rows: t.rows, bytes: t.bytes });
  }

  // Points, submissions (after all counties: they need the per-point counts).
  const coverage = coveragePlan(geo, o.seed, dirty);
  const pointRows = geo.points.map((p) => {
    const villages = p.villages.map((v) => geo.villages[v].code).filter((c) => c !== coverage.uncovered?.village);
    if (coverage.duplicated && coverage.duplicated.points[1] === p.code) villages.push(coverage.duplicated.village);
    return [p.code, p.name, p.township, villages.join(';'), p.collector, p.collectorPhone, p.establishedOn];
  });
  const subKey = new StreamKey(o.seed, 'submissions');
  const notReporting = new Set(plan.points.codes);
  const submissionRows = (month: number, asOf: number): string[][] => {
    const mi = period.submissionMonths.indexOf(month);
    return geo.points.map((p) => {
      if (notReporting.has(p.code) && month >= plan.points.month) return [p.code, monthLabel(month), '', '', '', '未报送', '', '', ''];
      const s = submissionStateAsOf(submissionTimeline(subKey, p.index, month), asOf);
      const [verified, added, removed] = pointCounts.get(p.index, mi);
      const counts = s.status === '未报送' ? ['', '', ''] : [String(verified), String(added), String(removed)];
      return [p.code, monthLabel(month), s.submittedOn, s.townshipReviewedOn, s.countyVerifiedOn, s.status, ...counts];
    });
  };
  const writeTable = async (batch: string, name: string, kind: TruthFile['kind'], header: readonly string[], rows: string[][], spec: FileFormatSpec) => {
    const path = join(o.out, batch, name);
    if (spec.format === 'xlsx') {
      const { writeXlsx } = await import('./xlsx-writer.ts');
      const bytes = await writeXlsx(path, kind, header, rows);
      files.push({ file: `${batch}/${name}`, kind, format: 'xlsx', encoding: null, delimiter: null, bom: false, crlf: false, rows: rows.length, bytes });
    } else {
      const w = new CsvWriter(path, header, spec.csv);
      for (const r of rows) w.writeQuotedRow(r);
      w.close();
      files.push({ file: `${batch}/${name}`, kind, format: 'csv', encoding: spec.csv.encoding, delimiter: spec.csv.delimiter, bom: spec.csv.bom, crlf: spec.csv.crlf, rows: w.rows, bytes: w.bytes });
    }
  };
  for (const b of batches) {
    if (b.monthlyDay !== null) {
      const spec = pointsFormat(dirty);
      await writeTable(b.folder, pointsFileName(b.monthlyDay, spec.format), 'points', POINT_COLUMNS.map((c) => c.header), pointRows, spec);
    }
    for (const s of b.submissions) {
      const spec = submissionsFormat(dirty, s.month);
      await writeTable(b.folder, submissionsFileName(s.month, spec.format), 'submissions', SUBMISSION_COLUMNS.map((c) => c.header), submissionRows(s.month, s.asOf), spec);
    }
  }
  files.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));

  const shocks = shockTruth(plan, geo, period, shockCounts);
  const lastMi = period.truthMonths.length - 1;
  const hc = geo.countyByCode.get(plan.highUnemployment.county)!;
  const shocksOut = shocks.map((s) => (s.rule === 'unemployment_rate_high' && lastMi >= 0 ? { ...s, affected: truth.monthEndValue(hc.index, lastMi, '40') } : s));
  const truthJson = {
    generator: { version: GENERATOR_VERSION, options: { persons: o.persons, seed: o.seed, from: o.from, to: o.to, dirty: o.dirty, daily: o.daily } },
    period: {
      baseDate: isoOf(period.baseDay), from: isoOf(period.fromDay), to: isoOf(period.toEnd), initialBatch: isoOf(period.initialBatchDay),
      lastRecordedDay: isoOf(period.lastRecordDay), months: period.truthMonths.map(monthLabel),
    },
    batches: batches.map((b) => b.folder),
    files,
    festivals: festivalDatesJson(period.truthFestivals),
    monthEnd: truth.monthEndJson(),
    flows: truth.flowsJson(),
    festival: truth.festivalJson(),
    shocks: shocksOut,
    dirtyRows,
    reconciliation,
    coverage: { duplicated: coverage.duplicated ? [coverage.duplicated] : [], uncovered: coverage.uncovered ? [coverage.uncovered] : [], files: files.filter((f) => f.kind === 'points').map((f) => f.file) },
    points: { total: geo.points.length, villages: geo.villages.length },
    personsSimulated,
  };
  writeFileSync(join(o.out, 'truth.json'), JSON.stringify(truthJson));
  const bytes = files.reduce((a, f) => a + f.bytes, 0) + statSync(join(o.out, 'truth.json')).size;
  return {
    out: o.out, batches: batches.map((b) => b.folder), files: files.length + 1, rows: files.reduce((a, f) => a + f.rows, 0), bytes,
    seconds: (performance.now() - started) / 1000, personsSimulated, dirtyRows: dirtyRows.length,
  };
}

interface CoveragePlan {
  readonly duplicated: { readonly village: string; readonly points: readonly [string, string] } | null;
  readonly uncovered: { readonly village: string; readonly point: string } | null;
}

/** Dirty mode: one village listed by two points of its township, one village listed by none. */
function coveragePlan(geo: Geography, seed: number, dirty: boolean): CoveragePlan {
  if (!dirty) return { duplicated: null, uncovered: null };
  const rng = new StreamKey(seed, 'coverage').rng();
  const byTownship = new Map<string, number[]>();
  for (const p of geo.points) byTownship.set(p.township, [...(byTownship.get(p.township) ?? []), p.index]);
  const multi = [...byTownship.values()].filter((l) => l.length >= 2);
  const [a, b] = multi[rng.int(multi.length)];
  const village = geo.villages[geo.points[a].villages[0]].code;
  const merged = geo.points.filter((p) => p.villages.length >= 2 && p.index !== a && p.index !== b);
  const u = merged[rng.int(merged.length)];
  return {
    duplicated: { village, points: [geo.points[a].code, geo.points[b].code] },
    uncovered: { village: geo.villages[u.villages[u.villages.length - 1]].code, point: u.code },
  };
}
