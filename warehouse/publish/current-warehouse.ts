/**
 * warehouse/CURRENT: the pointer to the published warehouse build. A small JSON file
 * {version, file, publishedAt, dataAsOf} replaced atomically (write a temp file, fsync,
 * rename, fsync the folder), so a reader sees either the old or the new pointer, never a
 * torn one, and it always names a complete build.
 */
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';

export interface CurrentWarehouse {
  readonly version: string;
  /** Absolute path of the build file. */
  readonly file: string;
  readonly publishedAt: string;
  /** Last day covered by the data (YYYY-MM-DD). */
  readonly dataAsOf: string;
}

export const warehouseDir = (dataDir: string): string => join(dataDir, 'warehouse');
export const currentFile = (dataDir: string): string => join(warehouseDir(dataDir), 'CURRENT');
export const buildsDir = (dataDir: string): string => join(warehouseDir(dataDir), 'builds');
export const buildingDir = (dataDir: string): string => join(warehouseDir(dataDir), 'building');

/** The published warehouse, or undefined when nothing has been published (or CURRENT names a missing file). */
export function readCurrentWarehouse(dataDir: string): CurrentWarehouse | undefined {
  const path = currentFile(dataDir);
  if (!existsSync(path)) return undefined;
  let parsed: { version?: unknown; file?: unknown; publishedAt?: unknown; dataAsOf?: unknown };
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
  if (typeof parsed.version !== 'string' || typeof parsed.file !== 'string') return undefined;
  // CURRENT stores the file relative to the builds folder, so a data folder can be moved.
  const file = isAbsolute(parsed.file) ? parsed.file : join(buildsDir(dataDir), parsed.file);
  if (!existsSync(file)) return undefined;
  return {
    version: parsed.version,
    file,
    publishedAt: typeof parsed.publishedAt === 'string' ? parsed.publishedAt : '',
    dataAsOf: typeof parsed.dataAsOf === 'string' ? parsed.dataAsOf : '',
  };
}

/** fsyncs a file or folder by path. */
export function fsyncPath(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Atomically points CURRENT at a build in the builds folder. `fileName` is the build's
 * file name inside builds/ (stored relative).
 */
export function writeCurrentWarehouse(dataDir: string, entry: { version: string; fileName: string; publishedAt: string; dataAsOf: string }): void {
  const target = currentFile(dataDir);
  const tmp = `${target}.tmp-${process.pid}`;
  const body = `${JSON.stringify({ version: entry.version, file: entry.fileName, publishedAt: entry.publishedAt, dataAsOf: entry.dataAsOf }, null, 2)}\n`;
  const fd = openSync(tmp, 'w', 0o644);
  try {
    writeSync(fd, body);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, target);
  fsyncPath(warehouseDir(dataDir));
}
