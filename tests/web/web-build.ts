/**
 * The built web app (web/build) for browser tests: rebuilt with `vite build` when any
 * source (web/src, web/static, the Svelte/Vite configs, the lock file) is newer than
 * web/build/index.html, else reused; one build at a time across test workers.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));
export const WEB_BUILD = join(REPO, 'web/build');

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  let newest = s.mtimeMs;
  for (const name of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, name)));
  return newest;
}

export function webBuildIsCurrent(): boolean {
  const index = join(WEB_BUILD, 'index.html');
  if (!existsSync(index)) return false;
  const sources = ['web/src', 'web/static', 'svelte.config.js', 'vite.config.ts', 'package-lock.json'].map((p) => newestMtime(join(REPO, p)));
  return statSync(index).mtimeMs >= Math.max(...sources);
}

/** Builds the web app unless the build is up to date; returns whether it built. */
export function ensureWebBuild(): boolean {
  if (webBuildIsCurrent()) return false;
  // Test files run in parallel workers: one builds, the others wait for it (vite empties
  // web/build first, so a second build would pull the files from under a running server).
  const lock = join(REPO, 'web', '.build-lock');
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      try {
        if (Date.now() - statSync(lock).mtimeMs > 10 * 60_000) rmSync(lock, { recursive: true, force: true }); // left by a killed run
      } catch {
        // released meanwhile
      }
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 250);
    }
  }
  try {
    if (webBuildIsCurrent()) return false;
    execFileSync(process.execPath, [join(REPO, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
    return true;
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
