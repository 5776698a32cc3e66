/**
 * Alert evaluation benchmark: every rule, for every region of its levels (all cities,
 * counties and townships, all collection points), for one month, on a published
 * warehouse — the target is ≤ 10 s on the 30 M warehouse.
 *
 *   npx tsx bench/alerts.bench.ts --data DIR [--month YYYY-MM] [--runs 3]
 *   npx tsx bench/alerts.bench.ts --persons 1000000 --from 2023-10 --to 2026-10 [--seed 1]
 *       (generates and refreshes into bench/out/alerts-<persons>-<seed> first, unless it exists)
 *   npx tsx bench/alerts.bench.ts --data DIR --compare OLD_CHECKOUT [--runs 3]
 *       (also times OLD_CHECKOUT's evaluatePlan — e.g. `git archive <commit> | tar -x -C /tmp/old`
 *       with node_modules symlinked — alternating old and new runs on their own readers, and
 *       fails unless both give identical results, compared as sorted JSON without timings)
 *
 * Prints the machine, the warehouse size, per-rule and total times (median of the runs)
 * of the set-based evaluation (SQL + judging every region), and one full run
 * (evaluation, evidence, state-machine transaction) into a fresh state database.
 */
import { execFileSync } from 'node:child_process';
import { cpus, loadavg, totalmem } from 'node:os';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { tmpdir } from 'node:os';
import { parseArgs, type Options } from '../engine/commands/args.ts';
import { readCurrentWarehouse } from '../warehouse/publish/current-warehouse.ts';
import { openWarehouseFile } from '../alerts/warehouse-reader.ts';
import { coverageOf, evaluatePlan } from '../alerts/evaluate.ts';
import type { Judgement } from '../alerts/judge-row.ts';
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
  compare: { type: 'string', description: 'another checkout whose evaluatePlan to time and compare against' },
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
console.log(`load average before the runs: ${loadavg().map((x) => x.toFixed(2)).join(", ")}`);
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

type Evaluate = typeof evaluatePlan;
type Variant = { name: string; evaluate: Evaluate; wh: typeof wh; totals: number[]; cpu: number[]; perRule: Map<string, number[]>; json?: string };
const variants: Variant[] = [{ name: 'new', evaluate: evaluatePlan, wh, totals: [], cpu: [], perRule: new Map() }];
if (args.compare) {
  const old = resolve(args.compare);
  const oldEvaluate = (await import(join(old, 'alerts/evaluate.ts'))) as { evaluatePlan: Evaluate };
  const oldReader = (await import(join(old, 'alerts/warehouse-reader.ts'))) as { openWarehouseFile: typeof openWarehouseFile };
  variants.unshift({ name: 'old', evaluate: oldEvaluate.evaluatePlan, wh: await oldReader.openWarehouseFile(current.file, { threads: cpus().length }), totals: [], cpu: [], perRule: new Map() });
}
/** Results without timings, sorted, as JSON (what must not change between versions). */
function resultsJson(res: Awaited<ReturnType<Evaluate>>): string {
  const rows = res.map((r) => JSON.stringify({ rule: r.rule.id, period: r.period, status: r.status, message: r.message, observations: r.observations }));
  return rows.sort().join('\n');
}
/** The first differing rule result of two resultsJson texts, or undefined when equal. */
function firstDifference(a: string, b: string): string | undefined {
  if (a === b) return undefined;
  const x = a.split('\n');
  const y = b.split('\n');
  const k = x.findIndex((line, j) => line !== y[j]);
  const at = (line: string | undefined, other: string | undefined) => {
    if (!line || !other) return String(line);
    let d = 0;
    while (d < line.length && line[d] === other[d]) d++;
    return `${line.slice(0, 60)} … ${line.slice(Math.max(0, d - 300), d + 300)}`;
  };
  return `${x.length} vs ${y.length} rule results; first difference at ${k}:\n first  ${at(x[k], y[k])}\n second ${at(y[k], x[k])}`;
}
let regions = 0;
for (let i = 0; i < args.runs; i++) {
  for (const v of i % 2 ? [...variants].reverse() : variants) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const res = await v.evaluate(v.wh, plan, rules, settings);
    v.totals.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    v.cpu.push((c.user + c.system) / 1000);
    regions = res.reduce((n, r) => n + r.observations.length, 0);
    for (const r of res) v.perRule.set(r.rule.id, [...(v.perRule.get(r.rule.id) ?? []), r.ms]);
    const errors = res.filter((r) => r.status === 'error');
    if (errors.length) throw new Error(`${v.name}: evaluation errors: ${errors.map((e) => `${e.rule.id}: ${e.message}`).join('; ')}`);
    if (i === 0) {
      v.json = resultsJson(res);
      if (v.name === 'new') for (const r of res) if (r.status !== 'ok') console.log(`  ${r.rule.id}: ${r.status} (${r.message})`);
    } else {
      const diff = firstDifference(v.json!, resultsJson(res));
      if (diff && v.name === 'new') throw new Error(`${v.name}: run ${i + 1} gave different results from run 1: ${diff}`);
    }
  }
}
for (const v of variants) if (v !== variants[0]) v.wh.close();
wh.close();
const load = () => loadavg().map((x) => x.toFixed(2)).join(', ');
console.log(`\nper rule (median ms; rules sharing a source share its query):${variants.length > 1 ? variants.map((v) => v.name.padStart(8)).join('') : ''}`);
for (const rule of variants[0].perRule.keys()) console.log(`  ${rule.padEnd(38)}${variants.map((v) => String(median(v.perRule.get(rule) ?? [NaN])).padStart(8)).join('')}`);
for (const v of variants) {
  console.log(`ALL RULES, one month${variants.length > 1 ? ` (${v.name})` : ''}: median ${(median(v.totals) / 1000).toFixed(2)} s (runs: ${v.totals.map((t) => (t / 1000).toFixed(2)).join(', ')}), ${regions.toLocaleString('en')} region × rule results; CPU (all threads of the process) median ${(median(v.cpu) / 1000).toFixed(2)} s (runs: ${v.cpu.map((t) => (t / 1000).toFixed(2)).join(', ')})`);
}
console.log(`load average after the runs: ${load()}`);
if (variants.length > 1) {
  const [a, b] = variants;
  const diff = firstDifference(a.json!, b.json!);
  if (!diff) console.log(`old and new results identical (${a.json!.length.toLocaleString('en')} characters of sorted JSON)`);
  else {
    // A region with several rows (job_loss: one per destination) keeps its worst; rows that tie
    // under that order (same outcome, severity and value) are interchangeable, and the old code
    // took whichever its unordered SQL returned first. Compare what the tie cannot change.
    const tieFree = (json: string) =>
      json
        .split('\n')
        .map((line) => {
          const r = JSON.parse(line) as { observations: { region: string; level: string; scope: string; period: string; judgement: Judgement }[] };
          const obs = r.observations.map((o) => ({ region: o.region, level: o.level, scope: o.scope, period: o.period, kind: o.judgement.outcome.kind, severity: o.judgement.outcome.kind === 'breach' ? o.judgement.outcome.severity : null, value: o.judgement.value }));
          return JSON.stringify({ ...r, observations: obs });
        })
        .join('\n');
    const tieDiff = firstDifference(tieFree(a.json!), tieFree(b.json!));
    if (tieDiff) throw new Error(`old and new results differ: ${diff}`);
    const lines = (json: string) => new Set(json.split('\n'));
    const oldLines = lines(a.json!);
    const differing = [...lines(b.json!)].filter((l) => !oldLines.has(l)).map((l) => (JSON.parse(l) as { rule: string }).rule);
    console.log(`old and new results identical up to ties between equally judged rows of one region (rule results not identical in full: ${differing.join(', ')}); see the source rows below`);
  }
  // The quantities themselves: every source's rows, old against new, as sorted multisets.
  const oldSources = ((await import(join(resolve(args.compare!), 'alerts/sources/sources.ts'))) as { SOURCES: typeof SOURCES }).SOURCES;
  const oldWh = await (((await import(join(resolve(args.compare!), 'alerts/warehouse-reader.ts'))) as { openWarehouseFile: typeof openWarehouseFile }).openWarehouseFile(current.file, { threads: cpus().length }));
  const newWh = await openWarehouseFile(current.file, { threads: cpus().length });
  try {
    for (const id of new Set(rules.map((r) => r.source))) {
      const group = rules.filter((r) => r.source === id);
      const q = { periods: [...new Set(group.flatMap((r) => plan.get(r.id)!))], levels: [...new Set(group.flatMap((r) => r.levels))], dataAsOf: coverage.dataAsOf, settings };
      const rowsJson = async (src: (typeof SOURCES)[string], w: typeof wh) => (await src.query(w, q)).map((r) => JSON.stringify(r)).sort().join('\n');
      const d = firstDifference(await rowsJson(oldSources[id], oldWh), await rowsJson(SOURCES[id], newWh));
      if (d) throw new Error(`source ${id}: old and new rows differ: ${d}`);
      console.log(`  source ${id}: old and new rows identical`);
    }
  } finally {
    oldWh.close();
    newWh.close();
  }
}


const state = mkdtempSync(join(tmpdir(), 'rlm-alert-bench-'));
try {
  const s = await runAlertEvaluation({ dataDir: state, trigger: 'bench', warehouseFile: current.file, month, notify: false });
  console.log(`full run into a fresh state database (evaluate + evidence + transaction): ${(s.ms.total / 1000).toFixed(2)} s (evaluate ${s.ms.evaluate} ms, evidence ${s.ms.evidence} ms, persist ${s.ms.persist} ms); ${s.opened} alerts opened`);
} finally {
  rmSync(state, { recursive: true, force: true });
}
if (existsSync(state)) rmSync(state, { recursive: true, force: true });
