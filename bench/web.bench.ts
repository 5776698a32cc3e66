/**
 * Web benchmark: the overview in real Chromium (Debian's /usr/bin/chromium) against the
 * production server (`engine/cli.ts serve`, a child process) on a published warehouse.
 *
 *   npx tsx bench/web.bench.ts --data DIR                  (an existing data folder)
 *   npx tsx bench/web.bench.ts --persons 300000 --from 2025-04 --to 2026-03 [--seed 1]
 *       (generates and refreshes into bench/out/web-<persons>-<seed> first, unless it exists)
 *
 * Measures, each over --runs runs (median, min, max):
 * - overview first load with a cold cache: a new browser context (empty HTTP cache) with a
 *   session cookie and the app's signed-in hint in localStorage (a returning user) opens `/`;
 *   done when the KPI tiles, the 183-county map, the ranking bars and the trend line are
 *   drawn and nothing is loading. The browser runs with tests/web/chromium-args.ts (its own
 *   address-bar UI is not preloaded in each new window);
 * - the JavaScript the overview loads (every script response of an untimed load before the
 *   timed ones): bytes as sent and gzip-compressed (zlib level 6, what a compressing proxy
 *   would send);
 * - redraws: metric change (map, ranking, trend) and drill-down to a city by a map click,
 *   from the user's action until the new figures are drawn (API round trips included; the
 *   server's cache is warm after the first run of each).
 * Targets (issue 6, on the 30 M warehouse): first load ≤ 1.5 s, overview JS ≤ 250 KB
 * gzipped, redraws ≤ 300 ms.
 *
 * --baseline uncompressed: a second server on the same data with RLM_COMPRESS=off (port + 1);
 * --baseline browser-ui: a second browser with playwright's switches only (each new window
 * preloads the browser's own UI). --baseline DIR: a second server run from another checkout
 * (e.g. `git worktree add DIR <commit>`, its node_modules linked and its web app built),
 * on the same data. The cold first loads alternate between the two, so both
 * medians come from the same conditions (reported as firstLoadBaselineMs).
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium, type Browser, type Page } from 'playwright-core';
import { parseArgs, type Options } from '../engine/commands/args.ts';
import { readCurrentWarehouse } from '../warehouse/publish/current-warehouse.ts';
import { ensureWebBuild } from '../tests/web/web-build.ts';
import { chromiumArgs, playwrightDisabledFeatures } from '../tests/web/chromium-args.ts';

/** The switches before this change: the browser's own UI preloaded in every new window (for comparison runs). */
function chromiumArgsWithBrowserUi(): string[] {
  return [...chromiumArgs().slice(0, -1), `--disable-features=${playwrightDisabledFeatures().join(',')}`];
}

const OPTIONS = {
  data: { type: 'string', description: 'data folder with a published warehouse' },
  persons: { type: 'int', description: 'generate and refresh a province of this size first' },
  from: { type: 'month', description: 'first month (with --persons)', default: '2025-04' },
  to: { type: 'month', description: 'last month (with --persons)', default: '2026-03' },
  seed: { type: 'int', description: 'seed (with --persons)', default: 1 },
  port: { type: 'int', description: 'server port', default: 18_190 },
  runs: { type: 'int', description: 'runs of each measurement', default: 7 },
  baseline: { type: 'string', description: "'uncompressed': also time first loads from a server with RLM_COMPRESS=off; 'browser-ui': from a browser that preloads its own UI in every window; a folder: from the server and built app of another checkout" },
} satisfies Options;

const args = parseArgs(process.argv.slice(2), OPTIONS);
const REPO = resolve(import.meta.dirname, '..');
const TSX = join(REPO, 'node_modules/tsx/dist/cli.mjs');
const CLI = join(REPO, 'engine/cli.ts');
const PASSWORD = 'Bench-Password-42';
const CHROMIUM_ARGS = chromiumArgs();

function cli(argv: string[], stdio: 'inherit' | 'pipe' = 'inherit'): void {
  execFileSync(process.execPath, [TSX, CLI, ...argv], { cwd: REPO, stdio, env: { ...process.env, UV_THREADPOOL_SIZE: '4' } });
}

let dataDir = args.data ? resolve(args.data) : '';
if (!dataDir) {
  if (!args.persons) throw new Error('give --data DIR or --persons N');
  const root = join(REPO, 'bench', 'out', `web-${args.persons}-${args.seed}`);
  dataDir = join(root, 'data');
  if (!readCurrentWarehouse(dataDir)) {
    mkdirSync(root, { recursive: true });
    cli(['generate', '--out', join(root, 'inbox'), '--persons', String(args.persons), '--seed', String(args.seed), '--from', args.from, '--to', args.to, '--dirty', '0']);
    cli(['refresh', '--data', dataDir, '--inbox', join(root, 'inbox')]);
  }
}
if (!readCurrentWarehouse(dataDir)) throw new Error(`no published warehouse in ${dataDir}`);

console.log(ensureWebBuild() ? 'web app built' : 'web build up to date');
for (const [username, role] of [['bench-admin', 'admin'], ['bench-analyst', 'province_analyst']]) {
  try {
    cli(['users', 'add', '--data', dataDir, '--username', username, '--password', PASSWORD, '--role', role, '--region', '510000'], 'pipe');
  } catch {
    // already there
  }
}

const baselineRepo = args.baseline !== undefined && args.baseline !== 'uncompressed' && args.baseline !== 'browser-ui' ? resolve(args.baseline) : undefined;
if (baselineRepo && !existsSync(join(baselineRepo, 'web/build/index.html'))) throw new Error(`--baseline ${baselineRepo}: no built web app there (web/build/index.html)`);

/** A production server on the data folder; resolves when it answers /api/health. */
async function startServer(port: number, env: Record<string, string>, repo = REPO): Promise<{ base: string; kill: () => void }> {
  const child = spawn(process.execPath, [TSX, join(repo, 'engine/cli.ts'), 'serve', '--data', dataDir, '--port', String(port)], {
    cwd: repo,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, UV_THREADPOOL_SIZE: '8', LOG_LEVEL: 'warn', NODE_ENV: 'production', ...env },
  });
  process.on('exit', () => child.kill('SIGTERM'));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${url}/api/health`)).ok) break;
    } catch {
      // not yet listening
    }
    if (i > 300) throw new Error('server did not start');
    await new Promise((r) => setTimeout(r, 200));
  }
  return { base: url, kill: () => child.kill('SIGTERM') };
}

const server = await startServer(args.port, {});
const base = server.base;
const baselineServer = args.baseline === 'uncompressed' ? await startServer(args.port + 1, { RLM_COMPRESS: 'off' }) : baselineRepo ? await startServer(args.port + 1, {}, baselineRepo) : undefined;

const login = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'bench-analyst', password: PASSWORD }) });
if (!login.ok) throw new Error(`login failed: ${login.status}`);
const [cookieName, cookieValue] = (login.headers.get('set-cookie') ?? '').split(';')[0].split('=');

const browser: Browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
const baselineBrowser: Browser | undefined = args.baseline === 'browser-ui' ? await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: chromiumArgsWithBrowserUi() }) : undefined;

/** A page in a new context: empty HTTP cache, signed in by cookie (sessions live in the shared state database). */
async function coldPage(url = base, from: Browser = browser): Promise<Page> {
  const context = await from.newContext({ viewport: { width: 1400, height: 1000 }, baseURL: url });
  await context.addCookies([{ name: cookieName, value: cookieValue, url }]);
  // a returning user: the browser that holds the session cookie also holds the app's signed-in hint
  await context.addInitScript(() => (globalThis as unknown as { localStorage: { setItem(k: string, v: string): void } }).localStorage.setItem('rlm.signedInRegion', '510000'));
  return context.newPage();
}

/** The overview is drawn: tiles with values, map (183 counties or a city's), ranking, trend, nothing loading. */
async function overviewDrawn(page: Page, expect: { counties?: number; lastCrumb?: string; rankingSuffix?: string }): Promise<void> {
  await page.waitForFunction(
    (e) => {
      const doc = (globalThis as unknown as { document: { querySelector(s: string): { getAttribute(a: string): string | null } | null; querySelectorAll(s: string): { length: number; [i: number]: { getAttribute(a: string): string | null } } } }).document;
      if (doc.querySelector('[aria-busy="true"]')) return false;
      if (!doc.querySelector('[data-testid="kpi-labour_force"]')?.getAttribute('data-value')) return false;
      const paths = doc.querySelectorAll('path[data-code]').length;
      if (e.counties !== undefined ? paths !== e.counties : paths === 0) return false;
      const bars = doc.querySelectorAll('[data-testid="ranking"] [data-key]');
      if (bars.length === 0) return false;
      if (e.rankingSuffix && !(bars[0].getAttribute('aria-label') ?? '').endsWith(e.rankingSuffix)) return false;
      const crumbs = doc.querySelectorAll('[data-testid="breadcrumbs"] [data-code]');
      if (e.lastCrumb && crumbs[crumbs.length - 1]?.getAttribute('data-code') !== e.lastCrumb) return false;
      return doc.querySelector('#trend-title') !== null && doc.querySelectorAll('.card svg path').length > 0;
    },
    expect,
    { timeout: 60_000, polling: 'raf' },
  );
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const stats = (xs: number[]) => ({ median: Math.round(median(xs)), min: Math.round(Math.min(...xs)), max: Math.round(Math.max(...xs)), runs: xs.length });

const loadBefore = loadavg();

// 1. Cold first loads, with the scripts of the first one, split into phases: until the first
// API request (HTML and JavaScript), the API requests (first start to last end), and drawing
// after the last answer.
const loads: number[] = [];
const baselineLoads: number[] = [];
const phases = { assets: [] as number[], api: [] as number[], render: [] as number[] };
let scripts: { url: string; bytes: number; gzip: number }[] = [];
let apiCalls = 0;
{
  // An untimed load first: the scripts it loads (bodies fetched and compressed here, which
  // would take CPU from a timed load) and its API requests; it also warms the server's cache.
  const page = await coldPage();
  const seen: Promise<{ url: string; bytes: number; gzip: number }>[] = [];
  page.on('response', (r) => {
    if (r.request().resourceType() === 'script') seen.push(r.body().then((b) => ({ url: new URL(r.url()).pathname, bytes: b.length, gzip: gzipSync(b).length })));
    if (new URL(r.url()).pathname.startsWith('/api/')) apiCalls++;
  });
  await page.goto('/');
  await overviewDrawn(page, { counties: 183 });
  scripts = await Promise.all(seen);
  await page.context().close();
}
for (let i = 0; i < args.runs; i++) {
  const page = await coldPage();
  let firstApiStart = Infinity;
  let lastApiEnd = 0;
  page.on('request', (r) => {
    if (new URL(r.url()).pathname.startsWith('/api/')) firstApiStart = Math.min(firstApiStart, performance.now());
  });
  page.on('requestfinished', (r) => {
    if (new URL(r.url()).pathname.startsWith('/api/')) lastApiEnd = Math.max(lastApiEnd, performance.now());
  });
  const t0 = performance.now();
  await page.goto('/');
  await overviewDrawn(page, { counties: 183 });
  const done = performance.now();
  loads.push(done - t0);
  phases.assets.push(firstApiStart - t0);
  phases.api.push(lastApiEnd - firstApiStart);
  phases.render.push(Math.max(0, done - lastApiEnd));
  await page.context().close();
  if (baselineServer || baselineBrowser) {
    const other = await coldPage(baselineServer?.base ?? base, baselineBrowser ?? browser);
    const t1 = performance.now();
    await other.goto('/');
    await overviewDrawn(other, { counties: 183 });
    baselineLoads.push(performance.now() - t1);
    await other.context().close();
  }
}

// 2. Redraws on one page: metric change and drill-down by map click, alternating.
const metricChanges: number[] = [];
const drillDowns: number[] = [];
const page = await coldPage();
await page.goto('/');
await overviewDrawn(page, { counties: 183 });
const cityCounties = await (await fetch(`${base}/api/geo/counties?city=511700`, { headers: { cookie: `${cookieName}=${cookieValue}` } })).json() as { features: unknown[] };
for (let i = 0; i < args.runs; i++) {
  let t0 = performance.now();
  await page.getByTestId('metric-picker').selectOption('unemployment_rate');
  await overviewDrawn(page, { counties: 183, rankingSuffix: '%' });
  metricChanges.push(performance.now() - t0);
  await page.getByTestId('metric-picker').selectOption('labour_force');
  await overviewDrawn(page, { counties: 183 });

  t0 = performance.now();
  await page.locator('path[data-code="511702"]').click();
  await overviewDrawn(page, { lastCrumb: '511702', counties: cityCounties.features.length });
  drillDowns.push(performance.now() - t0);
  await page.goBack();
  await overviewDrawn(page, { counties: 183, lastCrumb: '510000' });
}
await page.context().close();
await browser.close();
await baselineBrowser?.close();
server.kill();
baselineServer?.kill();

const summary = {
  machine: { cpus: cpus().length, cpu: cpus()[0]?.model, memGiB: Math.round(totalmem() / 2 ** 30), node: process.version },
  data: dataDir,
  warehouse: readCurrentWarehouse(dataDir),
  loadAverage: { before: loadBefore.map((x) => Number(x.toFixed(1))), after: loadavg().map((x) => Number(x.toFixed(1))) },
  firstLoadMs: stats(loads),
  ...(baselineServer || baselineBrowser ? { firstLoadBaselineMs: { baseline: args.baseline, ...stats(baselineLoads) } } : {}),
  firstLoadPhasesMs: { assets: stats(phases.assets), api: stats(phases.api), renderAfterLastAnswer: stats(phases.render) },
  apiRequestsOnFirstLoad: apiCalls,
  javascript: {
    files: scripts.length,
    bytes: scripts.reduce((s, f) => s + f.bytes, 0),
    gzipBytes: scripts.reduce((s, f) => s + f.gzip, 0),
    largest: [...scripts].sort((a, b) => b.gzip - a.gzip).slice(0, 5),
  },
  metricChangeMs: stats(metricChanges),
  drillDownMs: stats(drillDowns),
};
mkdirSync(join(REPO, 'bench', 'out'), { recursive: true });
writeFileSync(join(REPO, 'bench', 'out', 'web-results.json'), `${JSON.stringify(summary, null, 2)}\n`);
console.log(JSON.stringify(summary, null, 2));
