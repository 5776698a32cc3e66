/**
 * A generated province with the generator's planted problems (dirty rows, non-reporting
 * points, coverage defects, reconciliation differences) plus the record-level and
 * roster problems of plant-quality-problems.ts, refreshed into a published warehouse,
 * with the quality tables built (keys given, so the shared-phone check runs). Built once
 * and cached under /tmp keyed by a hash of the options and of the warehouse code and this
 * fixture's code, so the quality and engine tests share it; a lock directory keeps two
 * test processes from building it at once.
 */
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateProvince } from '../../../warehouse/generator/generate-province.ts';
import { runRefresh } from '../../../warehouse/refresh/run-refresh.ts';
import { readCurrentWarehouse } from '../../../warehouse/publish/current-warehouse.ts';
import { DEFAULT_QUALITY_SETTINGS, type QualitySettings } from '../../../warehouse/quality/quality-settings.ts';
import { readExport, type Truth } from './raw-export.ts';
import { replayRegistry } from './independent-quality.ts';
import { plantQualityProblems, type Planted } from './plant-quality-problems.ts';

export const GENERATED_OPTIONS = { persons: 8_000, seed: 5, from: '2025-10', to: '2026-03', dirty: 0.005 } as const;
/** How long a test may wait for the fixture (built once: generation and refresh take 1-3 minutes on 2 busy cores). */
export const FIXTURE_TIMEOUT_MS = 900_000;
/** At 8,000 persons (of ~28 M nominal) villages hold a few persons: a threshold of 2 makes the large-village rule bite. */
export const FIXTURE_SETTINGS: QualitySettings = { ...DEFAULT_QUALITY_SETTINGS, largeVillageThreshold: 2 };

export interface GeneratedFixture {
  readonly dataDir: string;
  readonly batchDir: string;
  readonly batch: string;
  readonly truth: Truth;
  readonly planted: Planted;
  readonly buildFile: string;
  readonly dataAsOf: string;
  readonly firstMonth: string;
  readonly lastMonth: string;
}

function codeHash(): string {
  const h = createHash('sha256').update(JSON.stringify([GENERATED_OPTIONS, FIXTURE_SETTINGS]));
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith('.ts') || name.endsWith('.tsv')) h.update(p).update(readFileSync(p));
    }
  };
  walk(new URL('../../../warehouse', import.meta.url).pathname);
  for (const f of ['generated-fixture.ts', 'plant-quality-problems.ts', 'independent-quality.ts', 'raw-export.ts']) h.update(readFileSync(new URL(f, import.meta.url)));
  return h.digest('hex').slice(0, 16);
}

async function build(dir: string): Promise<GeneratedFixture> {
  const gen = join(dir, 'gen');
  await generateProvince({ out: gen, ...GENERATED_OPTIONS, workers: 1 });
  const truth = JSON.parse(readFileSync(join(gen, 'truth.json'), 'utf8')) as Truth;
  const batch = truth.batches[0];
  const dataDir = join(dir, 'data');
  const batchDir = join(dataDir, 'inbox', batch);
  mkdirSync(join(dataDir, 'inbox'), { recursive: true });
  cpSync(join(gen, batch), batchDir, { recursive: true });
  const personsFiles = readdirSync(batchDir).filter((f) => f.startsWith('persons_')).sort();
  const end = personsFiles[personsFiles.length - 1];
  const iso = (name: string) => `${name.slice(8, 12)}-${name.slice(12, 14)}-${name.slice(14, 16)}`;
  const dataAsOf = iso(end);
  const firstMonth = `${GENERATED_OPTIONS.from}`;
  const lastMonth = GENERATED_OPTIONS.to;
  const dayBefore = `${dataAsOf.slice(0, 8)}${String(Number(dataAsOf.slice(8)) - 3).padStart(2, '0')}`;
  // The registry just before the planted events, and who has events after that (clean or dirty).
  const before = await replayRegistry({ batchDir, batch, truth, firstMonth, lastMonth, dataAsOf, settings: FIXTURE_SETTINGS, keepDays: [dayBefore] });
  const touchedLater = new Set<string>();
  for (const f of readdirSync(batchDir).filter((x) => x.startsWith('changes_'))) {
    for (const r of await readExport(join(batchDir, f))) {
      if (String(r.values['变动日期']) > dayBefore || String(r.values['录入日期']) > dayBefore) touchedLater.add(String(r.values['公民身份号码']).toUpperCase());
    }
  }
  const planted = await plantQualityProblems({ batchDir, batch, truth, stateBefore: before.stateAt.get(dayBefore)!, touchedLater });
  const result = await runRefresh({ dataDir, trigger: 'cli', quality: FIXTURE_SETTINGS });
  if (result.result !== 'published') throw new Error(`fixture refresh: ${result.result}: ${result.message}`);
  const quarantined = result.files.reduce((s, f) => s + (f.rowsQuarantined ?? 0), 0);
  if (quarantined !== truth.dirtyRows.length) throw new Error(`fixture refresh quarantined ${quarantined} rows, truth.json plants ${truth.dirtyRows.length}: a planted row was rejected`);
  const current = readCurrentWarehouse(dataDir)!;
  const fixture: GeneratedFixture = { dataDir, batchDir, batch, truth, planted, buildFile: current.file, dataAsOf, firstMonth, lastMonth };
  writeFileSync(join(dir, 'fixture.json'), JSON.stringify(fixture));
  return fixture;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function generatedQualityFixture(): Promise<GeneratedFixture> {
  const dir = join(tmpdir(), `rlm-dq-fixture-${codeHash()}`);
  const ready = join(dir, 'fixture.json');
  const lock = `${dir}.lock`;
  for (let waited = 0; ; waited += 1000) {
    if (existsSync(ready)) return JSON.parse(readFileSync(ready, 'utf8')) as GeneratedFixture;
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, 'pid'), String(process.pid));
      break;
    } catch {
      // A lock whose process is gone is debris of a killed run.
      const holder = Number(existsSync(join(lock, 'pid')) ? readFileSync(join(lock, 'pid'), 'utf8') : NaN);
      if (Number.isInteger(holder) && !processAlive(holder)) rmSync(lock, { recursive: true, force: true });
      if (waited > 900_000) throw new Error(`fixture lock ${lock} held for 15 minutes`);
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
  try {
    if (existsSync(ready)) return JSON.parse(readFileSync(ready, 'utf8')) as GeneratedFixture;
    // Drop fixtures of other code versions, and debris of an interrupted build.
    for (const name of readdirSync(tmpdir())) {
      if (name.startsWith('rlm-dq-fixture-') && !name.endsWith('.lock') && join(tmpdir(), name) !== dir && !existsSync(join(tmpdir(), `${name}.lock`))) {
        rmSync(join(tmpdir(), name), { recursive: true, force: true });
      }
    }
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    return await build(dir);
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
