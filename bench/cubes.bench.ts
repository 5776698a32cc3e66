/**
 * Month-cubes benchmark (issue 3 §7, the refresh's `cubes` step): `buildMonthCubes` of
 * this commit against the one of a baseline commit, on a copy of a real 1 M warehouse
 * build, every month of its history recomputed (what a full refresh does).
 *
 *   npx tsx bench/cubes.bench.ts [--build FILE.duckdb] [--baseline REV] [--runs 3] [--work DIR]
 *
 * --build defaults to the first build under bench/out/api-1000000-1c/data/warehouse/builds/
 * (1 M persons, 2025-04 … 2026-03). The baseline is warehouse/model/build-aggregates.ts at
 * --baseline (default b6d9622, the code before this change), extracted with
 * `git show` into bench/out/ and imported as is. Each run copies the build to --work,
 * opens it exactly as a refresh does (openBuildSession: scratch database as default
 * catalog, the build attached as `wh`, validation macros installed), fills recompute_months
 * with every month from meta.first_month to meta.data_as_of (monthEnds, as
 * derive-warehouse.ts does), then times buildMonthCubes (wall, and CPU of this process,
 * which includes DuckDB's threads) and the CHECKPOINT of the build after it. Old and new
 * alternate within a run, swapping which goes first, so both see the same machine load;
 * the 1-minute load average is printed before each measurement.
 *
 * After the first run the two results are compared: for each cube table, the rows of the
 * recomputed months as multisets (EXCEPT ALL both ways must give 0 rows, and the counts must
 * be equal). A difference fails the bench.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { openBuildSession } from '../warehouse/refresh/build-session.ts';
import { buildMonthCubes } from '../warehouse/model/build-aggregates.ts';
import { monthEnds } from '../warehouse/model/month-calendar.ts';
import { isoDate } from '../warehouse/model/named-params.ts';

const ROOT = resolve(import.meta.dirname, '..');
const argv = process.argv.slice(2);
const arg = (name: string, dflt: string): string => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] ? argv[i + 1] : dflt;
};
const defaultBuild = (): string => {
  const dir = join(ROOT, 'bench/out/api-1000000-1c/data/warehouse/builds');
  const f = existsSync(dir) ? readdirSync(dir).filter((n) => n.endsWith('.duckdb')).sort()[0] : undefined;
  if (!f) throw new Error(`no build in ${dir}: pass --build FILE.duckdb`);
  return join(dir, f);
};
const build = resolve(arg('build', '') || defaultBuild());
const baseline = arg('baseline', 'b6d9622');
const runs = Number(arg('runs', '3'));
const work = resolve(arg('work', '/tmp/cubes-bench'));
const CUBES = ['cube_month', 'cube_destination', 'cube_service_need', 'cube_county'] as const;

type Impl = (conn: DuckDBConnection) => Promise<void>;

async function loadBaseline(): Promise<Impl> {
  const src = execFileSync('git', ['show', `${baseline}:warehouse/model/build-aggregates.ts`], { cwd: ROOT, encoding: 'utf8' })
    .replaceAll("from '../", "from '../../warehouse/")
    .replaceAll("from './", "from '../../warehouse/model/");
  const file = join(ROOT, 'bench/out', `build-aggregates-${baseline}.ts`);
  writeFileSync(file, src);
  const mod = (await import(file)) as { buildMonthCubes: Impl };
  return mod.buildMonthCubes;
}

interface Measure {
  wallS: number;
  cpuS: number;
  checkpointS: number;
  load1: number;
}

async function measure(impl: Impl, name: string, keep: boolean): Promise<Measure> {
  const buildFile = join(work, `${name}.duckdb`);
  rmSync(buildFile, { force: true });
  rmSync(`${buildFile}.wal`, { force: true });
  const s = await openBuildSession({ buildFile, copyFrom: build, tmpDir: join(work, 'tmp'), runId: name });
  try {
    const meta = Object.fromEntries(
      (await s.conn.runAndReadAll("SELECT key, value FROM wh.meta WHERE key IN ('first_month', 'data_as_of')")).getRowsJS().map((r) => [String(r[0]), String(r[1])]),
    );
    await s.conn.run('CREATE OR REPLACE TABLE recompute_months (month VARCHAR, month_end DATE)');
    for (const m of monthEnds(meta.first_month, meta.data_as_of)) {
      await s.conn.run('INSERT INTO recompute_months VALUES ($month, $end)', { month: m.month, end: isoDate(m.end) });
    }
    const load1 = loadavg()[0];
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await impl(s.conn);
    const t1 = performance.now();
    const c1 = process.cpuUsage(c0);
    await s.conn.run('CHECKPOINT wh');
    const t2 = performance.now();
    await s.finish();
    if (!keep) rmSync(buildFile, { force: true });
    return { wallS: (t1 - t0) / 1000, cpuS: (c1.user + c1.system) / 1e6, checkpointS: (t2 - t1) / 1000, load1 };
  } catch (e) {
    s.abandon();
    throw e;
  }
}

async function compare(oldFile: string, newFile: string): Promise<void> {
  const inst = await DuckDBInstance.create(':memory:');
  const c = await inst.connect();
  await c.run(`ATTACH '${oldFile.replaceAll("'", "''")}' AS o (READ_ONLY)`);
  await c.run(`ATTACH '${newFile.replaceAll("'", "''")}' AS n (READ_ONLY)`);
  for (const t of CUBES) {
    const r = (
      await c.runAndReadAll(`SELECT (SELECT count(*) FROM o.${t}), (SELECT count(*) FROM n.${t}),
        (SELECT count(*) FROM (SELECT * FROM o.${t} EXCEPT ALL SELECT * FROM n.${t})),
        (SELECT count(*) FROM (SELECT * FROM n.${t} EXCEPT ALL SELECT * FROM o.${t}))`)
    ).getRowsJS()[0].map(Number);
    console.log(`  ${t}: rows old ${r[0].toLocaleString('en')}, new ${r[1].toLocaleString('en')}; old EXCEPT ALL new ${r[2]}, new EXCEPT ALL old ${r[3]}`);
    if (r[0] !== r[1] || r[2] !== 0 || r[3] !== 0) throw new Error(`${t}: the new cubes differ from the baseline's`);
  }
  c.closeSync();
  inst.closeSync();
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const f = (x: number): string => x.toFixed(1);

mkdirSync(work, { recursive: true });
const old = await loadBaseline();
console.log(`machine: ${cpus().length} × ${cpus()[0]?.model}, ${Math.round(totalmem() / 2 ** 30)} GiB; node ${process.version}`);
console.log(`build: ${build}\nbaseline: ${baseline}; runs: ${runs}; work: ${work}`);
const results: Record<'old' | 'new', Measure[]> = { old: [], new: [] };
for (let run = 0; run < runs; run++) {
  const order: ('old' | 'new')[] = run % 2 === 0 ? ['old', 'new'] : ['new', 'old'];
  for (const name of order) {
    const m = await measure(name === 'old' ? old : buildMonthCubes, name, run === 0);
    results[name].push(m);
    console.log(`run ${run + 1} ${name}: step ${f(m.wallS)} s wall, ${f(m.cpuS)} s CPU; checkpoint ${f(m.checkpointS)} s; load average (1 min) before ${m.load1.toFixed(2)}`);
  }
  if (run === 0) {
    console.log('comparing the cube tables of old and new (multisets):');
    await compare(join(work, 'old.duckdb'), join(work, 'new.duckdb'));
    for (const n of ['old', 'new']) rmSync(join(work, `${n}.duckdb`), { force: true });
  }
}
for (const name of ['old', 'new'] as const) {
  const r = results[name];
  console.log(`${name}: median step ${f(median(r.map((m) => m.wallS)))} s wall, ${f(median(r.map((m) => m.cpuS)))} s CPU, checkpoint ${f(median(r.map((m) => m.checkpointS)))} s; load ${r.map((m) => m.load1.toFixed(1)).join(' / ')}`);
}
rmSync(work, { recursive: true, force: true });
