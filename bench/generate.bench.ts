/**
 * Generator benchmark: runs `engine/cli.ts generate` as a child process under
 * /usr/bin/time -v (wall time, CPU time, peak RSS of the whole process including its
 * worker threads), measures the output (bytes, rows from truth.json) and deletes it.
 * Prints each run and the median.
 *
 *   npx tsx bench/generate.bench.ts [--persons 1000000] [--from 2023-10] [--to 2026-10]
 *                                   [--dirty 0.005] [--runs 3] [--out bench/out/generate] [--keep]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from '../engine/commands/args.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OPTIONS = {
  persons: { type: 'int', description: 'persons', default: 1_000_000 },
  from: { type: 'month', description: 'first month', default: '2023-10' },
  to: { type: 'month', description: 'last month', default: '2026-10' },
  dirty: { type: 'number', description: 'dirty rate', default: 0.005 },
  seed: { type: 'int', description: 'seed', default: 1 },
  runs: { type: 'int', description: 'runs (median reported)', default: 3 },
  out: { type: 'string', description: 'output folder (deleted after each run)', default: 'bench/out/generate' },
  keep: { type: 'boolean', description: 'keep the output of the last run' },
} as const;

interface Run {
  seconds: number;
  cpuSeconds: number;
  maxRssMiB: number;
  bytes: number;
  rows: number;
  files: number;
  loadBefore: number;
}

function du(dir: string): number {
  const r = spawnSync('du', ['-sb', dir], { encoding: 'utf8' });
  return Number(r.stdout.split('\t')[0]);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

const args = parseArgs(process.argv.slice(2), OPTIONS);
const out = resolve(ROOT, args.out);
const cpu = cpus()[0]?.model ?? 'unknown';
console.log(`Machine: ${cpus().length} CPUs (${cpu}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, Node ${process.version}`);
console.log(`Command: node --import tsx engine/cli.ts generate --out ${args.out} --persons ${args.persons} --from ${args.from} --to ${args.to} --dirty ${args.dirty} --seed ${args.seed}`);
const runs: Run[] = [];
for (let k = 1; k <= args.runs; k++) {
  rmSync(out, { recursive: true, force: true });
  const loadBefore = loadavg()[0];
  const t0 = performance.now();
  const r = spawnSync('/usr/bin/time', ['-v', process.execPath, '--import', 'tsx', join(ROOT, 'engine/cli.ts'), 'generate',
    '--out', out, '--persons', String(args.persons), '--from', args.from, '--to', args.to, '--dirty', String(args.dirty), '--seed', String(args.seed)],
  { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 << 20 });
  const seconds = (performance.now() - t0) / 1000;
  if (r.status !== 0) {
    console.error(r.stdout, r.stderr);
    throw new Error(`generate exited with ${r.status}`);
  }
  const field = (name: string) => Number(new RegExp(`${name}: ([\\d.]+)`).exec(r.stderr)?.[1] ?? NaN);
  const truth = JSON.parse(readFileSync(join(out, 'truth.json'), 'utf8')) as { files: { rows: number }[] };
  const run: Run = {
    seconds, cpuSeconds: field('User time \\(seconds\\)') + field('System time \\(seconds\\)'), maxRssMiB: field('Maximum resident set size \\(kbytes\\)') / 1024,
    bytes: du(out), rows: truth.files.reduce((a, f) => a + f.rows, 0), files: truth.files.length + 1, loadBefore,
  };
  runs.push(run);
  console.log(`run ${k}: ${run.seconds.toFixed(1)} s wall, ${run.cpuSeconds.toFixed(1)} s CPU, peak RSS ${run.maxRssMiB.toFixed(0)} MiB, ` +
    `${(run.bytes / 2 ** 30).toFixed(2)} GiB in ${run.files} files, ${run.rows.toLocaleString('en')} rows, ${Math.round(run.rows / run.seconds).toLocaleString('en')} rows/s ` +
    `(load average before: ${loadBefore.toFixed(1)})`);
  if (!(args.keep && k === args.runs)) rmSync(out, { recursive: true, force: true });
}
const m = {
  seconds: median(runs.map((r) => r.seconds)), cpu: median(runs.map((r) => r.cpuSeconds)), rss: median(runs.map((r) => r.maxRssMiB)),
  bytes: median(runs.map((r) => r.bytes)), rows: median(runs.map((r) => r.rows)),
};
console.log(`median of ${runs.length}: ${m.seconds.toFixed(1)} s wall, ${m.cpu.toFixed(1)} s CPU, peak RSS ${m.rss.toFixed(0)} MiB, ` +
  `${(m.bytes / 2 ** 30).toFixed(2)} GiB, ${m.rows.toLocaleString('en')} rows, ${Math.round(m.rows / m.seconds).toLocaleString('en')} rows/s`);
if (!existsSync(out)) console.log('output deleted');
