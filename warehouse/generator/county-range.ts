/**
 * Generates a contiguous range of counties into one "part" of every streamed file
 * (persons snapshots, rosters, changes): part 0 writes the final files with their
 * headers, part k > 0 writes `<file>.part<k>` continuations that the main thread
 * appends in order. Returns the part's ground-truth counts, dirty rows and
 * reconciliation findings with part-relative row numbers.
 */
import { join } from 'node:path';
import type { CountyContext } from './county-context.ts';
import { CsvWriter } from './csv-writer.ts';
import { isoOf } from './day-numbers.ts';
import { DirtyPlanter } from './dirty-rows.ts';
import { PointCounts, generateCounty } from './generate-county.ts';
import { IdAllocator } from './id-allocator.ts';
import { mobilePhone } from './names.ts';
import { F, YES, type PersonRecord } from './person-record.ts';
import { createPerson } from './population.ts';
import { streamedFiles, type ProvinceSetup, type StreamedFile } from './province-setup.ts';
import { StreamKey } from './random.ts';
import { emptyShockCounts, type ShockCounts } from './shocks.ts';
import { TruthAccumulator, type DirtyRow, type ReconciliationFinding } from './truth.ts';

export const POVERTY_SOURCE = '四川省乡村振兴局';
export const RELOCATED_SOURCE = '四川省发展和改革委员会';

export interface PartResult {
  readonly part: number;
  readonly files: readonly { readonly file: string; readonly rows: number; readonly bytes: number }[];
  readonly monthEnd: Int32Array;
  readonly flows: Int32Array;
  readonly festival: Int32Array;
  readonly pointCounts: Int32Array;
  readonly shockCounts: {
    readonly layoffEligible: [string, number][];
    readonly layoffAffected: [string, number][];
    readonly povertyEligible: number;
    readonly povertyAffected: number;
    readonly lagReturned: number;
    readonly lagDelayed: number;
  };
  readonly dirtyRows: DirtyRow[];
  readonly reconciliation: ReconciliationFinding[];
  readonly personsSimulated: number;
}

export function partPath(out: string, file: string, part: number): string {
  return part === 0 ? join(out, file) : `${join(out, file)}.part${part}`;
}

export function runCountyRange(s: ProvinceSetup, range: readonly [number, number], part: number, log: (line: string) => void = () => {}): PartResult {
  const { o, period, geo, plan } = s;
  const started = performance.now();
  const writers = new Map<string, CsvWriter>();
  for (const f of streamedFiles(s)) writers.set(f.file, new CsvWriter(partPath(o.out, f.file, part), part === 0 ? f.header : null, f.format));
  const w = (f: StreamedFile) => writers.get(f.file)!;
  const truth = new TruthAccumulator(geo.counties.map((c) => c.code), period);
  const pointCounts = new PointCounts(geo.points.length, period.submissionMonths);
  const counts: ShockCounts = emptyShockCounts();
  const dirtyRows: DirtyRow[] = [];
  const reconciliation: ReconciliationFinding[] = [];
  let personsSimulated = 0;

  for (let ci = range[0]; ci < range[1]; ci++) {
    const county = geo.counties[ci];
    const ctx: CountyContext = {
      seed: o.seed, geo, profile: s.profiles[ci], period, plan,
      ids: new IdAllocator(county.code, s.partners.get(county.code)!),
      countyShortNames: s.countyShortNames,
      isLayoffCounty: plan.layoff.counties.includes(county.code),
      isPovertyShockCounty: plan.poverty.county === county.code,
      isLagCity: plan.festivalLag !== null && county.city === plan.festivalLag.city,
    };
    const planter = (file: string) => new DirtyPlanter(ctx, new StreamKey(o.seed, 'dirty', file, county.code).rng(), o.dirty, file, dirtyRows);
    const personPlanters = s.persons.map((p) => planter(p.file));
    const personWriters = s.persons.map(w);
    const rosterWriters = s.rosters.map((r) => (r ? { poverty: w(r.poverty), relocated: w(r.relocated) } : null));
    const reconRng = new StreamKey(o.seed, 'reconciliation', county.code).rng();
    const isReconCounty = s.reconCounties.has(county.code);
    let reconRows = 0;
    // A person's consecutive snapshots often hold the same record object: join it once.
    let lastRec: PersonRecord | null = null;
    let lastLine = '';

    const writeRosters = (si: number, rec: PersonRecord, day: number) => {
      const r = rosterWriters[si];
      if (!r) return;
      if (rec[F.poverty] === YES) r.poverty.writeRow([rec[F.id], rec[F.name], rec[F.village], '脱贫劳动力', POVERTY_SOURCE, isoOf(day)]);
      if (rec[F.relocated] === YES) r.relocated.writeRow([rec[F.id], rec[F.name], rec[F.village], '易地搬迁', RELOCATED_SOURCE, isoOf(day)]);
    };
    const snapshot = (si: number, rec: PersonRecord) => {
      const pw = personWriters[si];
      const day = period.snapshotDays[si];
      personPlanters[si].beforePersonsRow(pw, day);
      if (si === 1 && isReconCounty) {
        const file = s.persons[1].file;
        const k = reconRows++;
        if (k === 5) {
          reconciliation.push({ file, kind: 'missing', id_number: rec[F.id], column: null });
          writeRosters(si, rec, day);
          return;
        }
        if (k === 10) {
          const changed = rec.slice();
          changed[F.phone] = mobilePhone(reconRng);
          reconciliation.push({ file, kind: 'field', id_number: rec[F.id], column: 'phone', expected: rec[F.phone], actual: changed[F.phone], row: pw.nextRowNumber });
          pw.writeRow(changed);
          writeRosters(si, rec, day);
          return;
        }
        if (k === 15) {
          const c = ctx.profile.county;
          const extra = createPerson(ctx, reconRng, 'fake', day - reconRng.between(30, 900), c.villages[reconRng.cumulative(c.villageCum)]).rec;
          reconciliation.push({ file, kind: 'extra', id_number: extra[F.id], column: null, row: pw.nextRowNumber });
          pw.writeRow(extra);
        }
      }
      if (rec !== lastRec) {
        lastRec = rec;
        lastLine = rec.join(',');
      }
      pw.writeLine(lastLine);
      writeRosters(si, rec, day);
    };

    const result = generateCounty(ctx, s.perCounty[ci], truth, pointCounts, counts, snapshot);
    personsSimulated += result.personsSimulated;

    // Change rows: the history file for recorded days up to --to's end, then one file per daily batch.
    const changePlanters = new Map<number, DirtyPlanter>();
    for (const row of result.changes) {
      const bi = row.rec <= period.toEnd ? 0 : row.rec - period.toEnd;
      const cw = w(s.changes[bi]);
      let pl = changePlanters.get(bi);
      if (!pl) changePlanters.set(bi, (pl = planter(s.changes[bi].file)));
      pl.beforeChangeRow(cw, s.batches[bi].changes.from, s.batches[bi].changes.to, result.stable);
      cw.writeLine(row.line);
    }
    if ((ci + 1) % 20 === 0 || ci === range[1] - 1) {
      log(`  part ${part}: counties ${ci + 1 - range[0]}/${range[1] - range[0]}, persons simulated ${personsSimulated.toLocaleString('en')}, ${((performance.now() - started) / 1000).toFixed(0)} s`);
    }
  }
  const files = [...writers.entries()].map(([file, wr]) => {
    wr.close();
    return { file, rows: wr.rows, bytes: wr.bytes };
  });
  return {
    part, files, monthEnd: truth.monthEnd, flows: truth.flows, festival: truth.festival, pointCounts: pointCounts.counts,
    shockCounts: {
      layoffEligible: [...counts.layoffEligible], layoffAffected: [...counts.layoffAffected], povertyEligible: counts.povertyEligible,
      povertyAffected: counts.povertyAffected, lagReturned: counts.lagReturned, lagDelayed: counts.lagDelayed,
    },
    dirtyRows, reconciliation, personsSimulated,
  };
}
