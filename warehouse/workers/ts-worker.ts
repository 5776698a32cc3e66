/**
 * A worker thread running a TypeScript module: the thread registers tsx's loader itself
 * (through its API), so the same code runs under `tsx`, `node --import tsx` and Vitest,
 * and does not depend on the parent's flags (execArgv is not inherited).
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

export function startTsWorker(entry: URL, workerData: unknown): Worker {
  const req = createRequire(import.meta.url);
  const tsxApi = pathToFileURL(join(dirname(req.resolve('tsx/esm/api')), 'index.mjs')).href;
  const boot = `import { register } from ${JSON.stringify(tsxApi)}; register(); await import(${JSON.stringify(entry.href)});`;
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(boot)}`), { workerData, execArgv: [] });
}
