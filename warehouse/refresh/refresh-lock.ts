/**
 * data/refresh.lock: at most one refresh per data folder, across processes. Created with
 * O_EXCL holding the owner's pid; a lock whose pid is no longer alive (a killed run) is
 * stale and taken over.
 */
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export class RefreshLockedError extends Error {
  override name = 'RefreshLockedError';
}

const lockPath = (dataDir: string): string => join(dataDir, 'refresh.lock');

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the lock or throws RefreshLockedError; returns the release function. */
export function acquireRefreshLock(dataDir: string): () => void {
  const path = lockPath(dataDir);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        try {
          if (readFileSync(path, 'utf8').trim() === String(process.pid)) rmSync(path, { force: true });
        } catch {
          /* already gone */
        }
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      let owner = NaN;
      try {
        owner = Number.parseInt(readFileSync(path, 'utf8').trim(), 10);
      } catch {
        continue; // removed meanwhile: try again
      }
      if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && alive(owner)) {
        throw new RefreshLockedError(`another refresh is running (pid ${owner}, ${path})`);
      }
      rmSync(path, { force: true }); // stale: its process is gone
    }
  }
  throw new RefreshLockedError(`could not take ${path}`);
}
