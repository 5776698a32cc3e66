/**
 * Refresh benchmark (issue 3 §7): a full initial refresh of a generated province against
 * the floor — DuckDB alone reading the same CSV files into tables (`CREATE TABLE … AS
 * SELECT * FROM read_csv(file, all_varchar = true)`, the least any loader must do) — and,
 * when the province has daily batches, the refresh of one daily batch on top.
 *
 *   npx tsx bench/refresh.bench.ts [--persons 1000000] [--from 2023-10] [--to 2026-10]
 *     [--daily 1] [--runs 3] [--inbox DIR] [--keep] [--floor-only]
 *
 * --inbox reuses an inbox generated earlier (e.g. a 30 M province) instead of generating.
 * --floor-only times only the floor (--runs times), for an inbox whose refresh was timed on
 * its own (a 30 M refresh takes most of an hour).
 * Each refresh runs as a child (`engine/cli.ts refresh`) under /usr/bin/time -v, for wall
 * time, CPU time and peak RSS of the whole process. Floor and refresh alternate within a
 * run so both see the same machine load; the ratio is per run, the table shows medians.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import iconv from 'iconv-lite';
import { createReadStream, createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';

const ROOT = resolve(import.meta.dirname, '..');
const argv = process.argv.slice(2);
const arg = (name: string, dflt: string): string => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] ? argv[i + 1] : dflt;
};
const persons = Number(arg('persons', '1000000'));
const from = arg('from', '2023-10');
const to = arg('to', '2026-10');
const daily = Number(arg('daily', '1'));
const runs = Number(arg('runs', '3'));
const keep = argv.includes('--keep');
const floorOnly = argv.includes('--floor-only');
const work = join(ROOT, 'bench', 'out', `refresh-${persons}`);
const inbox = resolve(arg('inbox', join(work, 'inbox')));

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const batchesOf = (dir: string): string[] => readdirSync(dir).filter((b) => /^\d{4}-\d{2}-\d{2}$/.test(b)).sort();
const bytesOf = (dir: string): number => readdirSync(dir).reduce((s, f) => s + statSync(join(dir, f)).size, 0);

interface Timed {
  wallS: number;
  cpuS: number;
  peakRssMiB: number;
  stdout: string;
}

function timed(args: string[], env: NodeJS.ProcessEnv = {}): Timed {
  const r = spawnSync('/usr/bin/time', ['-v', process.execPath, '--import', 'tsx', join(ROOT, 'engine/cli.ts'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, UV_THREADPOOL_SIZE: '8', ...env },
    maxBuffer: 64 * 2 ** 20,
  });
  if (r.status !== 0) throw new Error(`${args.join(' ')} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  const field = (label: string): string => {
    const m = new RegExp(`${label}: (.+)`).exec(r.stderr);
    if (!m) throw new Error(`no '${label}' in /usr/bin/time output`);
    return m[1].trim();
  };
  const clock = field('Elapsed \\(wall clock\\) time \\(h:mm:ss or m:ss\\)').split(':').map(Number);
  const wallS = clock.reduce((s, x) => s * 60 + x, 0);
  return {
    wallS,
    cpuS: Number(field('User time \\(seconds\\)')) + Number(field('System time \\(seconds\\)')),
    peakRssMiB: Number(field('Maximum resident set size \\(kbytes\\)')) / 1024,
    stdout: r.stdout,
  };
}

/** DuckDB alone: every CSV of the batch into an all-text table of a file database. */
async function floor(batchDir: string, dbFile: string): Promise<{ wallS: number; rows: number }> {
  rmSync(dbFile, { force: true });
  const instance = await DuckDBInstance.create(dbFile);
  const conn = await instance.connect();
  const started = performance.now();
  let rows = 0;
  try {
    for (const [i, f] of readdirSync(batchDir).filter((x) => x.endsWith('.csv')).sort().entries()) {
      const create = (file: string) => conn.run(`CREATE TABLE t${i} AS SELECT * FROM read_csv($file, all_varchar = true, header = true)`, { file });
      try {
        await create(join(batchDir, f));
      } catch (err) {
        // DuckDB reads only UTF-8 (and UTF-16/Latin-1) without its encodings extension: a
        // GB18030 file is transcoded first, and that time counts in the floor.
        if (!/not utf-8 encoded/i.test(String(err))) throw err;
        const utf8 = `${dbFile}.${i}.csv`;
        await pipeline(createReadStream(join(batchDir, f)), iconv.decodeStream('gb18030'), iconv.encodeStream('utf8'), createWriteStream(utf8));
        await create(utf8);
        rmSync(utf8);
      }
      rows += Number((await conn.runAndReadAll(`SELECT count(*)::BIGINT AS n FROM t${i}`)).getRowObjectsJS()[0].n);
    }
    await conn.run('CHECKPOINT');
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
  const wallS = (performance.now() - started) / 1000;
  rmSync(dbFile, { force: true });
  rmSync(`${dbFile}.wal`, { force: true });
  return { wallS, rows };
}

if (!existsSync(inbox)) {
  console.log(`generating ${persons} persons ${from}…${to} with ${daily} daily batch(es) into ${inbox} …`);
  const g = timed(['generate', '--out', inbox, '--persons', String(persons), '--from', from, '--to', to, '--daily', String(daily), '--seed', '1']);
  console.log(`generated in ${g.wallS.toFixed(0)} s`);
}
const batches = batchesOf(inbox);
const [initial, ...dailies] = batches;
const nonCsv = readdirSync(join(inbox, initial)).filter((f) => !f.endsWith('.csv'));
if (nonCsv.length > 0) console.log(`note: the floor reads only the CSV files (DuckDB has no XLSX reader offline); the refresh also loads ${nonCsv.length} XLSX file(s)`);
console.log(`inbox ${inbox}: initial batch ${initial} (${(bytesOf(join(inbox, initial)) / 2 ** 30).toFixed(2)} GiB), daily batches ${dailies.join(', ') || 'none'}`);

if (floorOnly) {
  const times: number[] = [];
  for (let run = 1; run <= runs; run++) {
    mkdirSync(work, { recursive: true });
    const f = await floor(join(inbox, initial), join(work, 'floor.duckdb'));
    times.push(f.wallS);
    console.log(JSON.stringify({ run, floorS: f.wallS, floorRows: f.rows, load: loadavg()[0] }));
  }
  console.log(`floor of ${initial}: median ${median(times).toFixed(1)} s of ${runs} (${times.map((t) => t.toFixed(1)).join(', ')})`);
  process.exit(0);
}

interface RunRow {
  floorS: number;
  floorRows: number;
  refresh: Timed;
  daily?: Timed;
}
const rows: RunRow[] = [];
const loadBefore = loadavg()[0];
for (let run = 1; run <= runs; run++) {
  const data = join(work, `data-${run}`);
  rmSync(data, { recursive: true, force: true });
  mkdirSync(join(data, 'inbox'), { recursive: true });
  cpSync(join(inbox, initial), join(data, 'inbox', initial), { recursive: true, preserveTimestamps: true });
  const f = await floor(join(inbox, initial), join(work, 'floor.duckdb'));
  const env = { RLM_PID_KEY: '11'.repeat(32), RLM_VAULT_KEY: '22'.repeat(32) };
  const refresh = timed(['refresh', '--data', data], env);
  const row: RunRow = { floorS: f.wallS, floorRows: f.rows, refresh };
  if (dailies.length > 0) {
    cpSync(join(inbox, dailies[0]), join(data, 'inbox', dailies[0]), { recursive: true, preserveTimestamps: true });
    row.daily = timed(['refresh', '--data', data], env);
  }
  rows.push(row);
  console.log(JSON.stringify({ run, floorS: f.wallS, floorRows: f.rows, refreshS: refresh.wallS, cpuS: refresh.cpuS, peakRssMiB: refresh.peakRssMiB,
    ratio: refresh.wallS / f.wallS, dailyS: row.daily?.wallS, dailyRssMiB: row.daily?.peakRssMiB }));
  console.log(refresh.stdout.split('\n').filter((l) => /: [\d.]+ s$|^refresh|rows:/.test(l)).join('\n'));
  if (!keep) rmSync(data, { recursive: true, force: true });
}

const cpu = cpus()[0]?.model ?? 'unknown CPU';
console.log(`\nmachine: ${cpus().length} × ${cpu}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}; 1-min load average ${loadBefore.toFixed(1)} before, ${loadavg()[0].toFixed(1)} after`);
console.log(`\n| measure | median of ${runs} | runs |`);
console.log('| --- | ---: | --- |');
const line = (label: string, xs: number[], unit: string, digits = 1) =>
  console.log(`| ${label} | ${median(xs).toFixed(digits)} ${unit} | ${xs.map((x) => x.toFixed(digits)).join(', ')} |`);
line('floor: read_csv all_varchar → tables', rows.map((r) => r.floorS), 's');
line('full initial refresh (wall)', rows.map((r) => r.refresh.wallS), 's');
line('full initial refresh (CPU)', rows.map((r) => r.refresh.cpuS), 's');
line('refresh / floor', rows.map((r) => r.refresh.wallS / r.floorS), '×', 2);
line('peak RSS of the refresh', rows.map((r) => r.refresh.peakRssMiB), 'MiB', 0);
if (rows[0].daily) {
  line(`daily batch ${dailies[0]} (wall)`, rows.map((r) => r.daily!.wallS), 's');
  line('daily batch peak RSS', rows.map((r) => r.daily!.peakRssMiB), 'MiB', 0);
}
console.log(`\nrows read by the floor: ${rows[0].floorRows}`);
