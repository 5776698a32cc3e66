/**
 * The generated province shared by the engine's integration tests: the real generator
 * writes a clean province (npm run generate), the real refresh loads it (npm run refresh),
 * both as child processes. The result is cached under /tmp/rlm-test-fixture-<hash>, where
 * the hash covers the options and the source of the generator, readers, validation and
 * refresh, so a code change rebuilds it. Test files running in parallel wait for one build
 * (a lock directory), which is moved into place only when complete.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface ProvinceOptions {
  readonly persons: number;
  readonly seed: number;
  readonly from: string;
  readonly to: string;
}

export const DEFAULT_PROVINCE: ProvinceOptions = { persons: 20_000, seed: 11, from: '2024-10', to: '2026-03' };

export interface ProvinceFixture {
  readonly root: string;
  /** Export batches and truth.json. */
  readonly inbox: string;
  /** Data folder with the published warehouse and the refresh run log. */
  readonly dataDir: string;
  readonly options: ProvinceOptions;
}

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const SOURCE_DIRS = ['warehouse/generator', 'warehouse/readers', 'warehouse/validate', 'warehouse/refresh', 'warehouse/model', 'warehouse/schema', 'warehouse/publish', 'warehouse/contract', 'warehouse/vault'];

function sourceHash(options: ProvinceOptions): string {
  const h = createHash('sha256').update(JSON.stringify(options));
  const walk = (dir: string) => {
    if (!existsSync(dir)) return;
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith('.ts')) h.update(p).update(readFileSync(p));
    }
  };
  for (const d of SOURCE_DIRS) walk(join(REPO, d));
  return h.digest('hex').slice(0, 16);
}

function cli(args: string[]): void {
  execFileSync(process.execPath, [join(REPO, 'node_modules/tsx/dist/cli.mjs'), join(REPO, 'engine/cli.ts'), ...args], {
    cwd: REPO,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, UV_THREADPOOL_SIZE: '4' },
    maxBuffer: 64 * 1024 * 1024,
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function provinceFixture(options: ProvinceOptions = DEFAULT_PROVINCE): Promise<ProvinceFixture> {
  const root = `/tmp/rlm-test-fixture-${sourceHash(options)}`;
  const fixture = { root, inbox: join(root, 'inbox'), dataDir: join(root, 'data'), options };
  const lock = `${root}.lock`;
  for (;;) {
    if (existsSync(join(root, 'ready'))) return fixture;
    try {
      mkdirSync(lock);
    } catch {
      // Another test file builds it; a lock older than 15 minutes is debris of a killed run.
      if (Date.now() - statSync(lock, { throwIfNoEntry: false })!.mtimeMs > 15 * 60_000) rmSync(lock, { recursive: true, force: true });
      await sleep(1000);
      continue;
    }
    try {
      // Fixtures of earlier source versions (ready, untouched for an hour) are removed.
      for (const name of readdirSync('/tmp')) {
        const other = join('/tmp', name);
        if (!name.startsWith('rlm-test-fixture-') || other === root || name.includes('.')) continue;
        if (existsSync(join(other, 'ready')) && Date.now() - statSync(join(other, 'ready')).mtimeMs > 3_600_000) rmSync(other, { recursive: true, force: true });
      }
      const work = `${root}.building-${process.pid}`;
      rmSync(work, { recursive: true, force: true });
      const o = options;
      cli(['generate', '--out', join(work, 'inbox'), '--persons', String(o.persons), '--seed', String(o.seed), '--from', o.from, '--to', o.to, '--dirty', '0']);
      // The refresh records absolute paths of its build: run it in the final location.
      rmSync(root, { recursive: true, force: true });
      renameSync(work, root);
      cli(['refresh', '--data', fixture.dataDir, '--inbox', fixture.inbox]);
      mkdirSync(join(root, 'ready'));
      return fixture;
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  }
}
