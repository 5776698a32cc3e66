/**
 * One evaluation run at a time per data folder: an exclusive lock file
 * (data/alerts.lock, created with O_EXCL, holding the pid) plus an in-process queue.
 * A lock left by a process that died is stale and taken over.
 */
import { closeSync, openSync, readFileSync, unlinkSync, writeSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

const queues = new Map<string, Promise<unknown>>();

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function acquire(file: string): void {
  for (let tries = 0; tries < 2; tries++) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = Number(readFileSync(file, 'utf8').trim());
      if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && alive(holder)) {
        throw new Error(`another alert evaluation is running (pid ${holder}, ${file})`);
      }
      unlinkSync(file); // stale: its process is gone (or it is ours, left by a crash of this process's earlier run)
    }
  }
  throw new Error(`cannot take the alert evaluation lock ${file}`);
}

/** Runs `fn` holding the data folder's alert lock; runs in one process queue up. */
export async function withRunLock<T>(dataDir: string, fn: () => Promise<T>): Promise<T> {
  const key = dataDir;
  const before = queues.get(key) ?? Promise.resolve();
  let release!: () => void;
  const mine = new Promise<void>((r) => (release = r));
  queues.set(key, before.then(() => mine));
  await before.catch(() => undefined);
  const file = join(dataDir, 'alerts.lock');
  try {
    mkdirSync(dataDir, { recursive: true });
    acquire(file);
    try {
      return await fn();
    } finally {
      try {
        unlinkSync(file);
      } catch {
        /* already gone */
      }
    }
  } finally {
    release();
  }
}
