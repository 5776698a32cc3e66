/**
 * Same arguments → byte-identical files (also with two worker threads); another seed →
 * other bytes; more daily batches extend the history without changing the initial batch.
 */
import { afterAll, describe, expect, test } from 'vitest';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { cleanup, generate, type Generated } from './generated-fixture.ts';

const made: Generated[] = [];
afterAll(() => made.forEach(cleanup));

function hashes(dir: string, under = dir): Map<string, string> {
  const out = new Map<string, string>();
  for (const name of readdirSync(under).sort()) {
    const path = join(under, name);
    if (statSync(path).isDirectory()) for (const [k, v] of hashes(dir, path)) out.set(k, v);
    else out.set(relative(dir, path), createHash('sha256').update(readFileSync(path)).digest('hex'));
  }
  return out;
}

const options = { persons: 5000, from: '2025-10', to: '2026-02', dirty: 0.02, daily: 2 } as const;

describe('determinism', () => {
  test('same arguments give byte-identical files, with one or two workers; another seed other bytes', async () => {
    // Two runs with the same arguments, one in-process, one with two worker threads.
    const a = await generate('det-a', { ...options, seed: 4, workers: 1 });
    const c = await generate('det-c', { ...options, seed: 4, workers: 2 });
    const d = await generate('det-d', { ...options, seed: 5, workers: 1 });
    made.push(a, c, d);
    const ha = hashes(a.dir);
    expect(ha.size).toBeGreaterThan(15);
    expect([...ha.keys()].some((k) => k.endsWith('.xlsx'))).toBe(true);
    expect([...ha.keys()].some((k) => k.endsWith('truth.json'))).toBe(true);
    expect(hashes(c.dir)).toEqual(ha);
    const hd = hashes(d.dir);
    expect([...hd.keys()]).toEqual([...ha.keys()]);
    const same = [...ha].filter(([k, v]) => hd.get(k) === v).map(([k]) => k);
    expect(same).toEqual([]);
  }, 600_000);

  test('daily batches extend the history: the initial batch does not depend on --daily', async () => {
    const e = await generate('det-e', { ...options, dirty: 0, daily: 0, seed: 4 });
    const f = await generate('det-f', { ...options, dirty: 0, daily: 6, seed: 4 });
    made.push(e, f);
    const he = hashes(e.dir), hf = hashes(f.dir);
    const initial = [...he.keys()].filter((k) => k.startsWith('2026-03-01/'));
    expect(initial.length).toBeGreaterThan(8);
    for (const k of initial) expect(hf.get(k), k).toBe(he.get(k));
    expect(f.truth.batches).toHaveLength(7);
    // The later batches' events happen after --to or were recorded late.
    expect(f.truth.files.filter((x) => x.kind === 'changes' && !x.file.startsWith('2026-03-01/')).every((x) => x.rows > 0)).toBe(true);
  }, 600_000);
});
