/**
 * Publishing a finished build: the build file (already checkpointed and closed) is
 * fsynced, renamed from building/ into builds/ (same file system: atomic), its sidecar
 * written, the builds folder fsynced, and then CURRENT is replaced atomically. A kill at
 * any moment leaves CURRENT naming a complete build: before the final rename of CURRENT
 * it names the previous one; after it, the new one.
 */
import { mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { buildsDir, fsyncPath, writeCurrentWarehouse } from './current-warehouse.ts';
import { buildFileName, pruneBuilds, writeBuildInfo, type BuildInfo } from './build-registry.ts';

export function publishBuild(dataDir: string, buildingFile: string, info: BuildInfo): { removed: string[] } {
  mkdirSync(buildsDir(dataDir), { recursive: true });
  fsyncPath(buildingFile);
  const target = join(buildsDir(dataDir), buildFileName(info.version));
  writeBuildInfo(dataDir, info);
  renameSync(buildingFile, target);
  fsyncPath(buildsDir(dataDir));
  writeCurrentWarehouse(dataDir, { version: info.version, fileName: buildFileName(info.version), publishedAt: info.publishedAt, dataAsOf: info.dataAsOf });
  return { removed: pruneBuilds(dataDir) };
}
