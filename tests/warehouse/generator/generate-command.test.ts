/**
 * `npm run generate` as a real process: --help exits 0, bad arguments exit 2 with one
 * line, a small run writes the batch folder and truth.json and prints a summary.
 */
import { describe, expect, test } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const cli = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'engine/cli.ts'), 'generate', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 300_000 });

describe('generate command', () => {
  test('--help prints the options and exits 0', () => {
    const r = cli('--help');
    expect(r.status).toBe(0);
    for (const o of ['--out', '--persons', '--seed', '--from', '--to', '--dirty', '--daily']) expect(r.stdout).toContain(o);
  });

  test.each([
    [['--out', '/tmp/x', '--persons', '999'], '--persons'],
    [['--out', '/tmp/x', '--from', '2025-06', '--to', '2025-01'], '--from'],
    [['--out', '/tmp/x', '--dirty', '0.3'], '--dirty'],
    [['--persons', '5000'], '--out'],
    [['--out', '/tmp/x', '--colour', 'red'], '--colour'],
  ])('bad arguments %j exit 2 with one line naming %s', (args, name) => {
    const r = cli(...args);
    expect(r.status).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(name);
    expect(existsSync('/tmp/x')).toBe(false);
  });

  test('a small run writes the initial batch and truth.json and prints a summary', () => {
    const out = mkdtempSync(join(tmpdir(), 'rlm-gen-cli-'));
    try {
      const r = cli('--out', out, '--persons', '1000', '--from', '2025-12', '--to', '2026-01', '--dirty', '0', '--daily', '1');
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/Done: \d+ files in 2 batch folders .* rows, .*, 0 dirty rows, [\d.]+ s/);
      expect(readdirSync(out).sort()).toEqual(['2026-02-01', '2026-02-02', 'truth.json']);
      expect(readdirSync(join(out, '2026-02-01'))).toContain('persons_20251130.csv');
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
