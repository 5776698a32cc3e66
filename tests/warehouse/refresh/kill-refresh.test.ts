/**
 * A refresh killed with SIGKILL at several points (a real child process running
 * `tsx engine/cli.ts refresh`) leaves CURRENT naming a complete build that opens and
 * answers queries; the next run cleans up the debris and completes, with the same tables
 * as a refresh that was never interrupted.
 */
import { describe, expect, test, beforeAll, afterAll } from 'vitest';
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateProvince } from '../../../warehouse/generator/generate-province.ts';
import { runRefresh } from '../../../warehouse/refresh/run-refresh.ts';
import { readCurrentWarehouse } from '../../../warehouse/publish/current-warehouse.ts';
import { queryDuckDbFile } from '../read-warehouse.ts';
import { COMPARED_TABLES, compareWarehouses } from './compared-tables.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const CLI = join(ROOT, 'engine/cli.ts');

let root: string;
let batches: string[];
const keysEnv = { RLM_PID_KEY: '11'.repeat(32), RLM_VAULT_KEY: '22'.repeat(32) };

/**
 * Runs `refresh` in a child process; with a failpoint (RLM_FAILPOINT=after:<step>) the child
 * stops after that step and is killed with SIGKILL there.
 */
function refreshChild(dataDir: string, inbox: string, failpoint?: string): Promise<{ killed: boolean; output: string }> {
  return new Promise((resolve) => {
    const env: NodeJS.ProcessEnv = { ...process.env, ...keysEnv };
    if (failpoint) env.RLM_FAILPOINT = `after:${failpoint}`;
    else delete env.RLM_FAILPOINT;
    // one process (tsx as a loader, not its CLI, which would run the refresh in a grandchild that SIGKILL misses)
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'refresh', '--data', dataDir, '--inbox', inbox], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let killed = false;
    const onData = (b: Buffer) => {
      output += b.toString();
      if (!killed && /failpoint .* reached/.test(output)) {
        killed = true;
        child.kill('SIGKILL');
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('close', () => resolve({ killed, output }));
  });
}

async function assertServable(dataDir: string, allowed: readonly (string | undefined)[]): Promise<void> {
  const current = readCurrentWarehouse(dataDir);
  expect(allowed).toContain(current?.version);
  if (!current) return;
  const meta = await queryDuckDbFile(current.file, `SELECT value FROM meta WHERE key = 'data_as_of'`);
  expect(meta).toEqual([{ value: current.dataAsOf }]);
  const n = await queryDuckDbFile(current.file, `SELECT count(*) AS n FROM agg_region_month WHERE level = 'province'`);
  expect(Number(n[0].n)).toBeGreaterThan(0);
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'rlm-kill-'));
  await generateProvince({ out: join(root, 'generated'), persons: 2000, seed: 11, from: '2025-10', to: '2025-12', dirty: 0.01, daily: 1, workers: 1 });
  batches = readdirSync(join(root, 'generated')).filter((b) => /^\d{4}-/.test(b)).sort();
  // reference: both batches, never interrupted
  Object.assign(process.env, keysEnv);
  const inbox = join(root, 'reference-inbox');
  mkdirSync(inbox);
  for (const b of batches) cpSync(join(root, 'generated', b), join(inbox, b), { recursive: true, preserveTimestamps: true });
  const r = await runRefresh({ dataDir: join(root, 'reference'), inboxDir: inbox, trigger: 'cli' });
  expect(r.result, r.message).toBe('published');
});
afterAll(() => {
  delete process.env.RLM_PID_KEY;
  delete process.env.RLM_VAULT_KEY;
  rmSync(root, { recursive: true, force: true });
});

describe('kill -9 during a refresh', () => {
  const points: [string, string][] = [
    ['first build, after loading the first file', 'load '],
    ['first build, while deriving', 'spells'],
    ['first build, after the checkpoint (before publishing)', 'checkpoint'],
    ['daily run, after opening the copy', 'open_build'],
    ['daily run, while computing aggregates', 'cubes'],
    ['daily run, before the checks', 'quality'],
    ['daily run, after publishing (before pruning)', 'publish'],
  ];

  test('leaves a complete build serving; the next run completes with the same tables', async () => {
    const dataDir = join(root, 'killed');
    const inbox = join(root, 'killed-inbox');
    mkdirSync(inbox);
    cpSync(join(root, 'generated', batches[0]), join(inbox, batches[0]), { recursive: true, preserveTimestamps: true });
    const versions: (string | undefined)[] = [undefined];
    let killedRuns = 0;
    for (const [label, kill] of points) {
      if (label.startsWith('daily') && !existsSync(join(inbox, batches[1]))) {
        // complete the first build, then add the daily batch
        const done = await refreshChild(dataDir, inbox);
        expect(done.output, label).toMatch(/refresh (published|nothing_new)/);
        versions.push(readCurrentWarehouse(dataDir)?.version);
        cpSync(join(root, 'generated', batches[1]), join(inbox, batches[1]), { recursive: true, preserveTimestamps: true });
      }
      const before = readCurrentWarehouse(dataDir)?.version;
      const run = await refreshChild(dataDir, inbox, kill);
      if (run.killed) killedRuns++;
      const after = readCurrentWarehouse(dataDir)?.version;
      if (after !== before) versions.push(after); // the kill came after CURRENT was replaced
      await assertServable(dataDir, [before, after]);
      expect(after === before || after !== undefined, label).toBe(true);
    }
    expect(killedRuns).toBe(points.length);
    const final = await refreshChild(dataDir, inbox);
    expect(final.killed).toBe(false);
    expect(final.output).toMatch(/refresh (published|nothing_new)/);
    expect(readdirSync(join(dataDir, 'warehouse', 'building'))).toEqual([]);
    expect(existsSync(join(dataDir, 'tmp'))).toBe(false);
    expect(existsSync(join(dataDir, 'refresh.lock'))).toBe(false);
    const diff = await compareWarehouses(join(root, 'reference'), dataDir);
    for (const t of Object.keys(COMPARED_TABLES)) expect(diff[t], t).toEqual({ onlyA: 0, onlyB: 0, rows: diff[t].rows });
    expect(diff.person_spells.rows).toBeGreaterThan(1000);
  }, 900_000);
});
