/**
 * Incremental refresh: loading an initial batch and then each daily batch in its own run
 * gives the same tables as loading all of them in one run; late events that change a
 * month already published are recorded as revisions whose final values are the figures;
 * re-sent submissions replace the month's rows; the figures equal truth.json.
 */
import { describe, expect, test, beforeAll, afterAll } from 'vitest';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateProvince } from '../../../warehouse/generator/generate-province.ts';
import { runRefresh, type RefreshResult } from '../../../warehouse/refresh/run-refresh.ts';
import { queryWarehouse, type PlainRow } from '../read-warehouse.ts';
import { COMPARED_TABLES, compareWarehouses } from './compared-tables.ts';

let root: string;
const oneRun = () => join(root, 'one-run');
const daily = () => join(root, 'daily');
let batches: string[];
let incremental: RefreshResult[] = [];

beforeAll(async () => {
  // both data folders use the same keys, so pids compare
  process.env.RLM_PID_KEY = '33'.repeat(32);
  process.env.RLM_VAULT_KEY = '44'.repeat(32);
  root = mkdtempSync(join(tmpdir(), 'rlm-daily-'));
  await generateProvince({ out: join(root, 'inbox'), persons: 4000, seed: 7, from: '2025-10', to: '2026-01', dirty: 0.01, daily: 6, workers: 1 });
  batches = readdirSync(join(root, 'inbox')).filter((b) => /^\d{4}-\d{2}-\d{2}$/.test(b)).sort();
  const all = await runRefresh({ dataDir: oneRun(), inboxDir: join(root, 'inbox'), trigger: 'cli' });
  expect(all.result, all.message).toBe('published');
  const inbox = join(daily(), 'inbox');
  mkdirSync(inbox, { recursive: true });
  for (const b of batches) {
    cpSync(join(root, 'inbox', b), join(inbox, b), { recursive: true, preserveTimestamps: true });
    incremental.push(await runRefresh({ dataDir: daily(), trigger: 'cron' }));
  }
});
afterAll(() => {
  delete process.env.RLM_PID_KEY;
  delete process.env.RLM_VAULT_KEY;
  rmSync(root, { recursive: true, force: true });
});

describe('daily batches', () => {
  test('an initial batch and daily batches, one run each', () => {
    expect(batches).toEqual(['2026-02-01', '2026-02-02', '2026-02-03', '2026-02-04', '2026-02-05', '2026-02-06', '2026-02-07']);
    expect(incremental.map((r) => [r.result, r.batches])).toEqual(batches.map((b) => ['published', [b]]));
    for (const r of incremental) for (const f of r.files.filter((x) => x.status === 'loaded')) expect(f.rowsRead).toBe((f.rowsLoaded ?? 0) + (f.rowsQuarantined ?? 0));
    // daily runs only reload nothing old: every earlier file is skipped by its hash
    const last = incremental[incremental.length - 1];
    expect(last.files.filter((f) => f.status === 'skipped').length).toBeGreaterThan(10);
    expect(last.files.filter((f) => f.status === 'loaded').every((f) => f.batch === batches[batches.length - 1])).toBe(true);
  });

  test('every table is the same as after one run over all batches', async () => {
    const diff = await compareWarehouses(oneRun(), daily());
    for (const t of Object.keys(COMPARED_TABLES)) {
      expect(diff[t], t).toEqual({ onlyA: 0, onlyB: 0, rows: diff[t].rows });
    }
    for (const t of ['person_spells', 'events', 'festival_daily', 'cube_month', 'quarantine', 'reconciliation', 'submissions', 'pii_vault']) {
      expect(diff[t].rows, t).toBeGreaterThan(0);
    }
  });

  test('late events revise published months; the last revision of each figure is the figure', async () => {
    const revisions = await queryWarehouse(daily(), 'SELECT * FROM revisions ORDER BY run_id, metric, region_code, month');
    expect(revisions.length).toBeGreaterThan(0);
    for (const r of revisions) {
      expect(String(r.month) < '2026-02').toBe(true); // only complete months are revised
      expect(r.old_value).not.toBe(r.new_value);
    }
    const last = new Map<string, PlainRow>();
    for (const r of revisions) last.set(`${r.metric}/${r.region_code}/${r.month}`, r);
    const figures = await queryWarehouse(oneRun(), `SELECT * FROM agg_region_month WHERE month < '2026-02'`);
    const levelOf = new Map(figures.map((f) => [`${f.region_code}/${f.month}`, f]));
    for (const [k, r] of last) {
      const f = levelOf.get(`${r.region_code}/${r.month}`)!;
      expect(f[String(r.metric)], k).toBe(r.new_value);
    }
    expect(await queryWarehouse(oneRun(), 'SELECT count(*) AS n FROM revisions')).toEqual([{ n: 0 }]);
  });

  test('re-sent submissions replace the month (latest version per point and month)', async () => {
    const sent = batches.filter((b) => readdirSync(join(root, 'inbox', b)).some((f) => f.startsWith('submissions_202601')));
    expect(sent.length).toBeGreaterThan(1);
    const rows = await queryWarehouse(daily(), `SELECT batch, count(*) AS n, count(DISTINCT point_code) AS points FROM submissions WHERE month = '2026-01' GROUP BY batch`);
    expect(rows).toEqual([{ batch: sent[sent.length - 1], n: rows[0].points, points: rows[0].points }]);
  });

  test('the figures equal truth.json', async () => {
    const truth = JSON.parse(readFileSync(join(root, 'inbox', 'truth.json'), 'utf8')) as { monthEnd: Record<string, Record<string, { labour_force: number; '40': number }>> };
    const rows = await queryWarehouse(daily(), `SELECT month, region_code, labour_force, s40 FROM agg_region_month WHERE level = 'county'`);
    const got = new Map(rows.map((r) => [`${r.month}/${r.region_code}`, [r.labour_force, r.s40]]));
    let n = 0;
    for (const [m, byCounty] of Object.entries(truth.monthEnd)) {
      for (const [c, t] of Object.entries(byCounty)) {
        expect(got.get(`${m}/${c}`) ?? [0, 0], `${m} ${c}`).toEqual([t.labour_force, t['40']]);
        n += t.labour_force;
      }
    }
    expect(n).toBeGreaterThan(10_000);
  });
});
