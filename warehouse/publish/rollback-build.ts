/**
 * `refresh --rollback`: points CURRENT at the build the current one was extended from
 * (its parent), if that build is still kept. The rolled-back build stays on disk until
 * the next publish prunes it. Note: the files only the rolled-back build had loaded are
 * no longer recorded as loaded, so the next refresh loads them again from the inbox
 * (remove or correct them first if they were the problem).
 */
import { readCurrentWarehouse, writeCurrentWarehouse } from './current-warehouse.ts';
import { buildFileName, readBuildInfo } from './build-registry.ts';

export function rollbackBuild(dataDir: string): { from: string; to: string; dataAsOf: string } {
  const current = readCurrentWarehouse(dataDir);
  if (!current) throw new Error('nothing to roll back: no warehouse has been published');
  const info = readBuildInfo(dataDir, current.version);
  const parent = info?.parent ? readBuildInfo(dataDir, info.parent) : undefined;
  if (!parent) throw new Error(`nothing to roll back to: build ${current.version} has no earlier build kept`);
  writeCurrentWarehouse(dataDir, {
    version: parent.version,
    fileName: buildFileName(parent.version),
    publishedAt: new Date().toISOString(),
    dataAsOf: parent.dataAsOf,
  });
  return { from: current.version, to: parent.version, dataAsOf: parent.dataAsOf };
}
