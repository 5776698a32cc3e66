/**
 * Queries running while refreshes publish new builds never fail: the server's warehouse
 * pool (engine/services/warehouse-pool.ts) keeps answering from the old build until it
 * switches, through three publishes, a rollback and a prune of old builds.
 */
import { describe, expect, test, afterAll } from 'vitest';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateProvince } from '../../../warehouse/generator/generate-province.ts';
import { runRefresh } from '../../../warehouse/refresh/run-refresh.ts';
import { listBuilds } from '../../../warehouse/publish/build-registry.ts';
import { WarehousePool } from '../../../engine/services/warehouse-pool.ts';

const root = mkdtempSync(join(tmpdir(), 'rlm-swap-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('queries during a swap', () => {
  test('never fail, and move to each new build', async () => {
    await generateProvince({ out: join(root, 'generated'), persons: 1500, seed: 5, from: '2025-11', to: '2025-12', dirty: 0, daily: 3, workers: 1 });
    const batches = readdirSync(join(root, 'generated')).filter((b) => /^\d{4}-/.test(b)).sort();
    const dataDir = join(root, 'data');
    const inbox = join(dataDir, 'inbox');
    mkdirSync(inbox, { recursive: true });
    cpSync(join(root, 'generated', batches[0]), join(inbox, batches[0]), { recursive: true });
    expect((await runRefresh({ dataDir, trigger: 'cli' })).result).toBe('published');

    const pool = new WarehousePool(dataDir, { watchIntervalMs: 20, maxConcurrent: 3 });
    const seen = new Set<string>();
    const errors: string[] = [];
    let queries = 0;
    let running = true;
    const worker = async () => {
      while (running) {
        try {
          const rows = await pool.query(
            `SELECT (SELECT value FROM meta WHERE key = 'version') AS version, sum(labour_force) AS n FROM agg_region_month WHERE level = 'county' AND month = (SELECT max(month) FROM agg_region_month)`,
            [],
            { cache: false },
          );
          seen.add(String(rows[0].version));
          expect(Number(rows[0].n)).toBeGreaterThan(0);
          queries++;
        } catch (err) {
          errors.push(String(err));
        }
      }
    };
    const workers = [worker(), worker(), worker()];
    const published: string[] = [];
    try {
      for (const b of batches.slice(1)) {
        cpSync(join(root, 'generated', b), join(inbox, b), { recursive: true });
        const r = await runRefresh({ dataDir, trigger: 'cron' });
        expect(r.result, r.message).toBe('published');
        published.push(r.version!);
        await pool.checkForNewVersion();
      }
      const back = await runRefresh({ dataDir, trigger: 'api', rollback: true });
      expect(back.result).toBe('rolled_back');
      await pool.checkForNewVersion();
      await new Promise((r) => setTimeout(r, 200));
    } finally {
      running = false;
      await Promise.all(workers);
      pool.close();
    }
    expect(errors).toEqual([]);
    expect(queries).toBeGreaterThan(20);
    for (const v of published) expect(seen.has(v), v).toBe(true);
    expect(pool.info()).toBeUndefined();
    // old builds were pruned while the pool may have had them open: current + 2 ancestors kept
    expect(listBuilds(dataDir).length).toBe(3);
  });
});
