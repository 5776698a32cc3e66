/**
 * Alert evaluation benchmark: every rule, for every region of its levels (all cities,
 * counties and townships, all collection points), for one month, on a published
 * warehouse — the target is ≤ 10 s on the 30 M warehouse.
 *
 *   npx tsx bench/alerts.bench.ts --data DIR [--month YYYY-MM] [--runs 3]
 *   npx tsx bench/alerts.bench.ts --persons 1000000 --from 2023-10 --to 2026-10 [--seed 1]
 *       (generates and refreshes into bench/out/alerts-<persons>-<seed> first, unless it exists)
 *
 * Prints the machine, the warehouse size, per-rule and total times (median of the runs)
 * of the set-based evaluation (SQL + judging every region), and one full run
 * (evaluation, evidence, state-machine transaction) into a fresh state database.
 */
import { execFileSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { tmpdir } from 'node:os';
import { parseArgs, type Options } from '../engine/commands/args.ts';
import { readCurrentWarehouse } from '../warehouse/publish/current-warehouse.ts';
import { openWarehouseFile } from '../alerts/warehouse-reader.ts';
import { coverageOf, evaluatePlan } from '../alerts/evaluate.ts';
import { SOURCES } from '../alerts/sources/sources.ts';
import { loadRules } from '../alerts/load-rules.ts';
import { addMonths, lastCompleteMonth } from '../alerts/month.ts';
import { runAlertEvaluation } from '../alerts/run-evaluation.ts';
import { DEFAULT_ALERT_SETTINGS } from '../alerts/alert-settings.ts';

const OPTIONS = {
  data: { type: 'string', description: 'data folder with a published warehouse' },
  month: { type: 'month', description: 'month to evaluate (default: the last complete month of the data)' },
  runs: { type: 'int', description: 'timed runs', default: 3 },
  persons: { type: 'int', description: 'generate and refresh a province of this size first' },
  from: { type: 'month', description: 'first month (with --persons)', default: '2023-10' },
  to: { type: 'month', description: 'last month (with --persons)', default: '2026-10' },
  seed: { type: 'int', description: 'seed (with --persons)', default: 1 },
} satisfies Options;

const args = parseArgs(process.argv.slice(2), OPTIONS);
const REPO = resolve(import.meta.dirname, '..');

function cli(argv: string[]): void {
  execFileSync(process.execPath, ['--import', 'tsx', join(REPO, 'engine/cli.ts'), ...argv], { cwd: REPO, stdio: 'inherit', env: { ...process.env, UV_THREADPOOL_SIZE: '4' } });
}

let dataDir = args.data ? resolve(args.data) : '';
if (!dataDir) {
  if (!args.persons) throw new Error('give --data DIR or --persons N');
  dataDir = join(REPO, 'bench', 'out', `alerts-${args.persons}-${args.seed}`);
  if (!readCurrentWarehouse(join(dataDir, 'data'))) {
    rmSync(dataDir, { recursive: true, force: true });
    cli(['generate', '--out', join(dataDir, 'inbox'), '--persons', String(args.persons), '--seed', String(args.seed), '--from', args.from, '--to', args.to, '--dirty', '0']);
    cli(['refresh', '--data', join(dataDir, 'data'), '--inbox', join(dataDir, 'inbox')]);
  }
  dataDir = join(dataDir, 'data');
}
const current = readCurrentWarehouse(dataDir);
if (!current) throw new Error(`no published warehouse in ${dataDir}`);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rules = loadRules().rules.filter((r) => r.enabled);
const settings = { deadlineDay: DEFAULT_ALERT_SETTINGS.deadlineDay, festivalLagDay: DEFAULT_ALERT_SETTINGS.festivalLagDay };

const wh = await openWarehouseFile(current.file, { threads: cpus().length });
const month = args.month || lastCompleteMonth(wh.meta.data_as_of);
const counts = await wh.query<{ n: number; t: string }>(
  `SELECT 'events' AS t, count(*) AS n FROM events UNION ALL SELECT 'agg_region_month', count(*) FROM agg_region_month
   UNION ALL SELECT 'cube_destination', count(*) FROM cube_destination UNION ALL SELECT 'points', count(*) FROM points
   UNION ALL SELECT 'registered (province, month)', max(labour_force) FROM agg_region_month WHERE level = 'province' AND month = $m`,
  { m: month },
);

console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}`);
console.log(`warehouse: ${current.file} (${(statSync(current.file).size / 2 ** 30).toFixed(2)} GiB), version ${current.version}, data as of ${wh.meta.data_as_of}`);
for (const c of counts) console.log(`  ${c.t}: ${Number(c.n).toLocaleString('en')}`);
// Each rule at the latest month ≤ month it applies to (points: deadline passed; festival: the month of day +30).
const coverage = coverageOf(wh);
const plan = new Map<string, string[]>();
for (const r of rules) {
  let m = month;
  for (let k = 0; k < 12 && SOURCES[r.source].notApplicable(m, coverage, settings); k++) m = addMonths(month, -k - 1);
  plan.set(r.id, [m]);
}
console.log(`month ${month}; ${rules.length} rules (${[...plan].filter(([, [m]]) => m !== month).map(([id, [m]]) => `${id} at ${m}`).join(', ') || 'all at that month'}); runs ${args.runs}`);

const totals: number[] = [];
const perRule = new Map<string, number[]>();
let regions = 0;
for (let i = 0; i < args.runs; i++) {
  const t0 = performance.now();
  const res = await evaluatePlan(wh, plan, rules, settings);
  totals.push(performance.now() - t0);
  regions = res.reduce((n, r) => n + r.observations.length, 0);
  for (const r of res) perRule.set(r.rule.id, [...(perRule.get(r.rule.id) ?? []), r.ms]);
  const errors = res.filter((r) => r.status === 'error');
  if (errors.length) throw new Error(`evaluation errors: ${errors.map((e) => `${e.rule.id}: ${e.message}`).join('; ')}`);
  if (i === 0) for (const r of res) if (r.status !== 'ok') console.log(`  ${r.rule.id}: ${r.status} (${r.message})`);
}
wh.close();
console.log(`\nper rule (median ms; rules sharing a source share its query):`);
for (const [rule, ms] of perRule) console.log(`  ${rule.padEnd(38)}${median(ms)}`);
console.log(`ALL RULES, one month: median ${(median(totals) / 1000).toFixed(2)} s (runs: ${totals.map((t) => (t / 1000).toFixed(2)).join(', ')}), ${regions.toLocaleString('en')} region × rule results`);

const state = mkdtempSync(join(tmpdir(), 'rlm-alert-bench-'));
try {
  const s = await runAlertEvaluation({ dataDir: state, trigger: 'bench', warehouseFile: current.file, month, notify: false });
  console.log(`full run into a fresh state database (evaluate + evidence + transaction): ${(s.ms.total / 1000).toFixed(2)} s (evaluate ${s.ms.evaluate} ms, evidence ${s.ms.evidence} ms, persist ${s.ms.persist} ms); ${s.opened} alerts opened`);
} finally {
  rmSync(state, { recursive: true, force: true });
}
if (existsSync(state)) rmSync(state, { recursive: true, force: true });
