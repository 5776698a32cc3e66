/**
 * The published builds in warehouse/builds/: `<version>.duckdb` with a sidecar
 * `<version>.json` {version, parent, publishedAt, dataAsOf}; `parent` is the build this
 * one was extended from (what `refresh --rollback` returns to). After each publish only
 * the current build and its two nearest ancestors are kept.
 */
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildsDir, readCurrentWarehouse } from './current-warehouse.ts';

export interface BuildInfo {
  readonly version: string;
  readonly parent: string | null;
  readonly publishedAt: string;
  readonly dataAsOf: string;
}

export const buildFileName = (version: string): string => `${version}.duckdb`;

export function writeBuildInfo(dataDir: string, info: BuildInfo): void {
  writeFileSync(join(buildsDir(dataDir), `${info.version}.json`), `${JSON.stringify(info, null, 2)}\n`);
}

export function readBuildInfo(dataDir: string, version: string): BuildInfo | undefined {
  const file = join(buildsDir(dataDir), `${version}.json`);
  if (!existsSync(file) || !existsSync(join(buildsDir(dataDir), buildFileName(version)))) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as BuildInfo;
  } catch {
    return undefined;
  }
}

/** Versions present in builds/ (complete .duckdb files with a sidecar), oldest first. */
export function listBuilds(dataDir: string): string[] {
  const dir = buildsDir(dataDir);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.duckdb'))
    .map((f) => f.slice(0, -'.duckdb'.length))
    .filter((v) => existsSync(join(dir, `${v}.json`)))
    .sort();
}

/** Deletes builds other than the current one and its `keepAncestors` nearest ancestors. */
export function pruneBuilds(dataDir: string, keepAncestors = 2): string[] {
  const current = readCurrentWarehouse(dataDir);
  if (!current) return [];
  const keep = new Set<string>([current.version]);
  let v: string | null = readBuildInfo(dataDir, current.version)?.parent ?? null;
  for (let i = 0; i < keepAncestors && v; i++) {
    keep.add(v);
    v = readBuildInfo(dataDir, v)?.parent ?? null;
  }
  const dir = buildsDir(dataDir);
  const removed: string[] = [];
  for (const f of readdirSync(dir)) {
    const version = f.replace(/\.(duckdb|json|duckdb\.wal)$/, '');
    if (keep.has(version)) continue;
    rmSync(join(dir, f), { force: true });
    if (f.endsWith('.duckdb')) removed.push(version);
  }
  return removed;
}
