/**
 * API benchmark: the server (`engine/cli.ts serve`, a child process, as in production)
 * on a published warehouse, loaded with autocannon from this process.
 *
 *   npx tsx bench/api.bench.ts --data DIR                 (an existing data folder)
 *   npx tsx bench/api.bench.ts --persons 1000000 --from 2025-04 --to 2026-03 [--seed 1]
 *       (generates and refreshes into bench/out/api-<persons>-<seed> first, unless it exists)
 *
 * Dashboard endpoints (values, series, rankings), each for --duration seconds at
 * --connections connections, with the requests rotating over every county (values,
 * series) or every city (rankings) and several months, so that the server's cache (per
 * warehouse version) serves only repeats: the first request of each distinct URL is a
 * cold query. Reports req/s and latency p50/p95/p99 (from every response time), and the
 * share of distinct URLs. Then the explorer: a county-level slice for one year (12
 * months × employment status, uncached by design), sequential runs, median latency.
 * Targets (issue 4, on the 30 M warehouse): p95 ≤ 50 ms and ≥ 500 req/s at 32
 * connections; explorer county × one year ≤ 1 s.
 *
 * autocannon runs every connection through the same list of paths from its start, so the 32
 * connections move through the distinct URLs nearly together: most requests of a URL find the
 * first one's result in the cache or join its execution, and the cold request of each URL
 * sets the pace. Alert rules not yet evaluated on the warehouse are evaluated before the load.
 */
import { execFileSync, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { cpus, loadavg, totalmem } from 'node:os';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { parseArgs, type Options } from '../engine/commands/args.ts';
import { readCurrentWarehouse } from '../warehouse/publish/current-warehouse.ts';
import { loadRegions } from '../warehouse/reference/regions.ts';

interface AutocannonResult {
  requests: { average: number; total: number };
  non2xx: number;
  errors: number;
  timeouts: number;
  duration: number;
}
interface AutocannonInstance extends PromiseLike<AutocannonResult> {
  on(event: 'response', fn: (client: unknown, status: number, bytes: number, ms: number) => void): void;
}
type Autocannon = (opts: Record<string, unknown>) => AutocannonInstance;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

const OPTIONS = {
  data: { type: 'string', description: 'data folder with a published warehouse' },
  persons: { type: 'int', description: 'generate and refresh a province of this size first' },
  from: { type: 'month', description: 'first month (with --persons)', default: '2025-04' },
  to: { type: 'month', description: 'last month (with --persons)', default: '2026-03' },
  seed: { type: 'int', description: 'seed (with --persons)', default: 1 },
  port: { type: 'int', description: 'server port', default: 18_090 },
  connections: { type: 'int', description: 'concurrent connections', default: 32 },
  duration: { type: 'int', description: 'seconds per endpoint', default: 20 },
  explorerRuns: { type: 'int', description: 'sequential explorer runs', default: 5 },
} satisfies Options;

const args = parseArgs(process.argv.slice(2), OPTIONS);
const REPO = resolve(import.meta.dirname, '..');
const TSX = join(REPO, 'node_modules/tsx/dist/cli.mjs');
const CLI = join(REPO, 'engine/cli.ts');
const PASSWORD = 'Bench-Password-42';

function cli(argv: string[], env: Record<string, string> = {}): void {
  execFileSync(process.execPath, [TSX, CLI, ...argv], { cwd: REPO, stdio: 'inherit', env: { ...process.env, UV_THREADPOOL_SIZE: '4', ...env } });
}

let dataDir = args.data ? resolve(args.data) : '';
if (!dataDir) {
  if (!args.persons) throw new Error('give --data DIR or --persons N');
  const root = join(REPO, 'bench', 'out', `api-${args.persons}-${args.seed}`);
  dataDir = join(root, 'data');
  if (!readCurrentWarehouse(dataDir)) {
    mkdirSync(root, { recursive: true });
    const t0 = performance.now();
    cli(['generate', '--out', join(root, 'inbox'), '--persons', String(args.persons), '--seed', String(args.seed), '--from', args.from, '--to', args.to, '--dirty', '0']);
    const t1 = performance.now();
    cli(['refresh', '--data', dataDir, '--inbox', join(root, 'inbox')]);
    console.log(`generated in ${((t1 - t0) / 1000).toFixed(0)} s, refreshed in ${((performance.now() - t1) / 1000).toFixed(0)} s`);
  }
}
const current = readCurrentWarehouse(dataDir);
if (!current) throw new Error(`no published warehouse in ${dataDir}`);

// A server starting on a warehouse the alerts have not evaluated yet evaluates it in the
// background (engine/services/alert-scheduler.ts: minutes of CPU at 1 M persons), which would
// run during the load; evaluate it first, outside the measurement.
function alertsEvaluated(version: string): boolean {
  const file = join(dataDir, 'state', 'state.sqlite');
  if (!existsSync(file)) return false;
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare("SELECT 1 FROM alert_runs WHERE warehouse_version = ? AND result <> 'failed' AND trigger <> 'cron' LIMIT 1").get(version) !== undefined;
  } catch {
    return false; // no alert tables yet
  } finally {
    db.close();
  }
}
if (!alertsEvaluated(current.version)) {
  console.log(`evaluating the alert rules on ${current.version} before the load (as the server would at start) …`);
  cli(['alerts', 'evaluate', '--data', dataDir, '--no-notify']);
}

// Users: serve (production) needs an administrator; the load runs as a province analyst.
for (const [username, role] of [['bench-admin', 'admin'], ['bench-analyst', 'province_analyst']]) {
  try {
    execFileSync(process.execPath, [TSX, CLI, 'users', 'add', '--data', dataDir, '--username', username, '--password', PASSWORD, '--role', role, '--region', '510000'], { cwd: REPO, stdio: 'pipe' });
  } catch {
    // already there
  }
}

const base = `http://127.0.0.1:${args.port}`;
const server = spawn(process.execPath, [TSX, CLI, 'serve', '--data', dataDir, '--port', String(args.port)], {
  cwd: REPO,
  stdio: ['ignore', 'ignore', 'inherit'],
  env: { ...process.env, UV_THREADPOOL_SIZE: '8', LOG_LEVEL: 'warn', NODE_ENV: 'production' },
});
const stop = () => server.kill('SIGTERM');
process.on('exit', stop);

async function waitForServer(): Promise<void> {
  for (let i = 0; i < 300; i++) {
    try {
      const r = await fetch(`${base}/api/health`);
      if (r.ok) return;
    } catch {
      // not yet listening
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('server did not start');
}
await waitForServer();
const loadBefore = loadavg()[0];

const login = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'bench-analyst', password: PASSWORD }) });
if (!login.ok) throw new Error(`login failed: ${login.status} ${await login.text()}`);
const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
const csrf = ((await login.json()) as { csrfToken: string }).csrfToken;
const headers = { cookie };

const meta = (await (await fetch(`${base}/api/metrics/series?region=510000&metrics=labour_force&from=${args.from}&to=${args.to}`, { headers })).json()) as { points?: { period: string; values: { labour_force: { value: number | null } } }[] };
const months = (meta.points ?? []).filter((p) => p.values.labour_force.value !== null).map((p) => p.period);
if (months.length === 0) throw new Error(`the warehouse has no months between --from ${args.from} and --to ${args.to}; pass the data's range`);
const lastMonths = months.slice(-6);
const tree = loadRegions();

interface Row {
  endpoint: string;
  requests: number;
  distinct: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  /** Responses other than 2xx, connection errors, and requests without an answer within autocannon's 10 s timeout. */
  non2xx: number;
  errors: number;
  timeouts: number;
}

function percentile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

async function load(endpoint: string, paths: string[]): Promise<Row> {
  const times: number[] = [];
  const instance = autocannon({
    url: base,
    connections: args.connections,
    duration: args.duration,
    headers,
    requests: paths.map((path) => ({ method: 'GET', path })),
  });
  instance.on('response', (_c, _status, _bytes, ms) => times.push(ms));
  const result = await instance;
  times.sort((a, b) => a - b);
  const row = {
    endpoint,
    requests: result.requests.total,
    distinct: paths.length,
    rps: result.requests.average,
    p50: percentile(times, 0.5),
    p95: percentile(times, 0.95),
    p99: percentile(times, 0.99),
    non2xx: result.non2xx,
    errors: Math.max(0, result.errors - result.timeouts),
    timeouts: result.timeouts,
  };
  console.log(JSON.stringify(row));
  return row;
}

const METRICS = 'labour_force,employed,transfer_employed,unemployed,unemployment_rate,employment_rate,at_home,away,increases,decreases,poverty_employed,poverty_employed_yoy';
const rows: Row[] = [];
rows.push(await load('values (county × month, 12 metrics)', tree.counties.flatMap((c) => lastMonths.map((m) => `/api/metrics/values?region=${c.code}&period=${m}&metrics=${METRICS}`))));
rows.push(await load('series (county, all months, 3 metrics)', tree.counties.map((c) => `/api/metrics/series?region=${c.code}&metrics=labour_force,unemployment_rate,increases&from=${months[0]}&to=${months[months.length - 1]}`)));
rows.push(await load('ranking (counties of a city, unemployment rate)', tree.cities.flatMap((c) => lastMonths.map((m) => `/api/metrics/ranking?region=${c.code}&period=${m}&metric=unemployment_rate`))));
rows.push(await load('ranking (cities of the province)', lastMonths.map((m) => `/api/metrics/ranking?region=510000&period=${m}&metric=unemployment_rate`)));

// Explorer: county level, one year (the last 12 months), by employment status; never cached.
const year = months.slice(-12);
const explorerBody = JSON.stringify({ level: 'county', periods: year, dimensions: ['employment_status'], measures: ['labour_force', 'unemployment_rate'], limit: 100_000 });
const explorerTimes: number[] = [];
let explorerRows = 0;
for (let i = 0; i < args.explorerRuns; i++) {
  const t = performance.now();
  const r = await fetch(`${base}/api/explore`, { method: 'POST', headers: { ...headers, 'x-csrf-token': csrf, 'content-type': 'application/json' }, body: explorerBody });
  const body = (await r.json()) as { rows: unknown[] };
  explorerTimes.push(performance.now() - t);
  explorerRows = body.rows.length;
}
explorerTimes.sort((a, b) => a - b);
const arrowTimes: number[] = [];
for (let i = 0; i < args.explorerRuns; i++) {
  const t = performance.now();
  const r = await fetch(`${base}/api/explore`, { method: 'POST', headers: { ...headers, 'x-csrf-token': csrf, 'content-type': 'application/json', accept: 'application/vnd.apache.arrow.stream' }, body: explorerBody });
  await r.arrayBuffer();
  arrowTimes.push(performance.now() - t);
}
arrowTimes.sort((a, b) => a - b);
stop();

const cpu = cpus()[0]?.model ?? 'unknown';
const warehouseBytes = statSync(current.file).size;
const summary = {
  machine: { cpus: cpus().length, cpu, memGiB: Math.round(totalmem() / 2 ** 30), node: process.version, loadAverageBefore: loadBefore, loadAverageAfter: loadavg()[0] },
  warehouse: { dataDir, version: current.version, dataAsOf: current.dataAsOf, months: months.length, bytes: warehouseBytes },
  connections: args.connections,
  durationSeconds: args.duration,
  endpoints: rows,
  explorer: { request: JSON.parse(explorerBody), rows: explorerRows, jsonMedianMs: explorerTimes[Math.floor(explorerTimes.length / 2)], arrowMedianMs: arrowTimes[Math.floor(arrowTimes.length / 2)], runs: args.explorerRuns },
};
const outDir = join(REPO, 'bench', 'out');
if (!existsSync(outDir)) mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, 'api-results.json'), `${JSON.stringify(summary, null, 2)}\n`);

console.log(`\nmachine: ${summary.machine.cpus} × ${cpu}, ${summary.machine.memGiB} GiB, Node ${process.version}; 1-min load average ${loadBefore.toFixed(1)} before, ${loadavg()[0].toFixed(1)} after`);
console.log(`warehouse: ${current.version}, ${months.length} months, ${(warehouseBytes / 2 ** 20).toFixed(0)} MiB, data as of ${current.dataAsOf}`);
console.log(`\n| endpoint | distinct URLs | requests | req/s | p50 ms | p95 ms | p99 ms | non-2xx | errors | timeouts |`);
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const r of rows) console.log(`| ${r.endpoint} | ${r.distinct} | ${r.requests} | ${r.rps.toFixed(0)} | ${r.p50.toFixed(1)} | ${r.p95.toFixed(1)} | ${r.p99.toFixed(1)} | ${r.non2xx} | ${r.errors} | ${r.timeouts} |`);
console.log(`\nexplorer county × ${year.length} months × employment status (${explorerRows} rows): JSON median ${summary.explorer.jsonMedianMs.toFixed(0)} ms, Arrow median ${summary.explorer.arrowMedianMs.toFixed(0)} ms (${args.explorerRuns} runs)`);
process.exit(0);
