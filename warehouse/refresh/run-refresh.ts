/**
 * The warehouse refresh: loads every export batch of the inbox not yet in the current
 * warehouse into a new build, checks it and publishes it (see docs/warehouse.md).
 *
 *   lock → clean debris of killed runs → find new files (by content hash) → copy the
 *   current build → per file: stage, check, load, quarantine → derive (timeline, spells,
 *   events, aggregates, festival windows, revisions) → data-quality tables (dq_*) →
 *   build checks → publish (rename, atomic CURRENT) → prune old builds.
 *
 * Data problems never throw: the result is 'failed' with a one-line message naming the
 * file and the problem, nothing of the run is published and the previous warehouse stays
 * current.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ExportFileError } from '../readers/export-file-error.ts';
import { sha256File } from '../readers/sha256-file.ts';
import { loadRegions } from '../reference/regions.ts';
import { openStateDb } from '../state/open-state-db.ts';
import { loadDataKeys } from '../vault/data-keys.ts';
import { buildingDir, readCurrentWarehouse } from '../publish/current-warehouse.ts';
import { buildFileName } from '../publish/build-registry.ts';
import { publishBuild } from '../publish/publish-build.ts';
import { rollbackBuild } from '../publish/rollback-build.ts';
import { openBuildSession, type BuildSession } from './build-session.ts';
import { listInboxBatches, type InboxFile } from './inbox-batches.ts';
import { loadExportFile } from './load-export-file.ts';
import { deriveWarehouse } from './derive-warehouse.ts';
import { reconcilePendingSnapshots } from '../model/reconcile-snapshot.ts';
import { runBuildChecks } from './build-checks.ts';
import { buildQualityTables } from '../quality/build-quality-tables.ts';
import type { QualitySettings } from '../quality/quality-settings.ts';
import { acquireRefreshLock, RefreshLockedError } from './refresh-lock.ts';
import { closeAbandonedRuns, RunLog } from './run-log.ts';
import type { RunScope } from './load-context.ts';

export type RefreshTrigger = 'cli' | 'cron' | 'api' | 'demo';

export interface RefreshOptions {
  readonly dataDir: string;
  readonly inboxDir?: string;
  readonly trigger: RefreshTrigger;
  readonly log?: (line: string) => void;
  readonly rollback?: boolean;
  /** Thresholds of the data-quality checks (docs/quality.md); defaults follow the notice. */
  readonly quality?: Partial<QualitySettings>;
}

export interface FileSummary {
  readonly batch: string;
  readonly relPath: string;
  readonly status: 'loaded' | 'skipped' | 'failed';
  readonly role?: string;
  readonly sha256?: string;
  readonly format?: string;
  readonly encoding?: string | null;
  readonly rowsRead?: number;
  readonly rowsLoaded?: number;
  readonly rowsQuarantined?: number;
  readonly rowsAlreadyPresent?: number;
  readonly byReason?: Record<string, number>;
  readonly message?: string;
}

export interface RefreshResult {
  readonly runId: string;
  readonly result: 'published' | 'nothing_new' | 'failed' | 'rolled_back';
  readonly version?: string;
  readonly dataAsOf?: string;
  /** Batches with at least one file loaded in this run. */
  readonly batches: string[];
  readonly files: FileSummary[];
  readonly message: string;
  /** Milliseconds per step, and 'total'. */
  readonly durations: Record<string, number>;
}

interface LoadedIndex {
  readonly hashes: Set<string>;
  readonly byPath: Map<string, { sha256: string; bytes: number; mtimeMs: number }>;
}

export function newRunId(now = new Date()): string {
  return `${now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}-${randomBytes(3).toString('hex')}`;
}

/**
 * Crash-test failpoint: with RLM_FAILPOINT=after:<step name prefix>, the run stops after
 * the first step whose name starts with the prefix, says so, and waits to be killed
 * (tests/warehouse/refresh/kill-refresh.test.ts kills it with SIGKILL there). Unset in
 * production; it only ever waits, it changes nothing.
 */
async function failpoint(step: string, log: (line: string) => void): Promise<void> {
  const fp = process.env.RLM_FAILPOINT;
  if (!fp?.startsWith('after:') || !step.startsWith(fp.slice('after:'.length))) return;
  log(`failpoint ${fp} reached at '${step}': waiting to be killed`);
  await new Promise(() => setInterval(() => {}, 60_000));
}

/** The files recorded as loaded in a published build (read-only open). */
async function readLoadedIndex(buildFile: string | undefined): Promise<LoadedIndex> {
  const index: LoadedIndex = { hashes: new Set(), byPath: new Map() };
  if (!buildFile) return index;
  const instance = await DuckDBInstance.create(buildFile, { access_mode: 'READ_ONLY' });
  try {
    const conn = await instance.connect();
    const rows = (await conn.runAndReadAll('SELECT rel_path, sha256, bytes, mtime_ms FROM loaded_files ORDER BY rel_path')).getRowObjectsJS();
    for (const r of rows) {
      index.hashes.add(String(r.sha256));
      index.byPath.set(String(r.rel_path), { sha256: String(r.sha256), bytes: Number(r.bytes), mtimeMs: Number(r.mtime_ms) });
    }
    conn.closeSync();
  } finally {
    instance.closeSync();
  }
  return index;
}

function cleanDebris(dataDir: string): string[] {
  const removed: string[] = [];
  for (const dir of [buildingDir(dataDir), join(dataDir, 'tmp')]) {
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir)) {
      rmSync(join(dir, f), { recursive: true, force: true });
      removed.push(join(dir, f));
    }
  }
  return removed;
}

export async function runRefresh(opts: RefreshOptions): Promise<RefreshResult> {
  const t0 = performance.now();
  const dataDir = resolve(opts.dataDir);
  const inbox = resolve(opts.inboxDir ?? join(dataDir, 'inbox'));
  const log = opts.log ?? (() => {});
  const runId = newRunId();
  const durations: Record<string, number> = {};
  const files: FileSummary[] = [];
  const batchesLoaded = new Set<string>();
  mkdirSync(dataDir, { recursive: true });

  let release: (() => void) | undefined;
  try {
    release = acquireRefreshLock(dataDir);
  } catch (err) {
    if (err instanceof RefreshLockedError) {
      return { runId, result: 'failed', batches: [], files, message: err.message, durations: { total: Math.round(performance.now() - t0) } };
    }
    throw err;
  }
  const db = openStateDb(dataDir);
  const runLog = new RunLog(db, runId);
  let session: BuildSession | undefined;
  let buildFile: string | undefined;
  const finish = (r: Omit<RefreshResult, 'runId' | 'files' | 'durations' | 'batches'>): RefreshResult => {
    durations.total = Math.round(performance.now() - t0);
    runLog.step('total', durations.total);
    runLog.finish(r.result, r.message, r.version ?? null, r.dataAsOf ?? null, new Date().toISOString());
    return { runId, files, durations, batches: [...batchesLoaded], ...r };
  };
  const step = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
    const s = performance.now();
    let out: T;
    try {
      out = await fn();
    } finally {
      const ms = Math.round(performance.now() - s);
      durations[name] = (durations[name] ?? 0) + ms;
      runLog.step(name, ms);
      log(`${name}: ${(ms / 1000).toFixed(1)} s`);
    }
    await failpoint(name, log);
    return out;
  };

  try {
    closeAbandonedRuns(db, new Date().toISOString());
    runLog.start(opts.rollback ? `${opts.trigger}:rollback` : opts.trigger, new Date().toISOString());
    const debris = cleanDebris(dataDir);
    if (debris.length) log(`removed ${debris.length} leftover file(s) of an interrupted run`);

    if (opts.rollback) {
      const r = rollbackBuild(dataDir);
      return finish({ result: 'rolled_back', version: r.to, dataAsOf: r.dataAsOf, message: `CURRENT now points at ${r.to} (was ${r.from})` });
    }

    const keys = loadDataKeys(dataDir);
    const current = readCurrentWarehouse(dataDir);
    const loaded = await readLoadedIndex(current?.file);
    const batches = listInboxBatches(inbox);
    const pending: InboxFile[] = [];
    const mtimes = new Map<string, number>();
    await step('scan_inbox', async () => {
      for (const b of batches) {
        for (const f of b.files) {
          const st = statSync(f.path);
          mtimes.set(f.relPath, st.mtimeMs);
          const known = loaded.byPath.get(f.relPath);
          const sha =
            known && known.bytes === st.size && known.mtimeMs === Math.trunc(st.mtimeMs) ? known.sha256 : await sha256File(f.path);
          if (loaded.hashes.has(sha)) {
            files.push({ batch: f.batch, relPath: f.relPath, status: 'skipped', sha256: sha, message: 'already loaded (same content)' });
            runLog.file({ batch: f.batch, relPath: f.relPath, sha256: sha, format: f.name.format, encoding: null, rowsRead: null, rowsLoaded: null,
              rowsQuarantined: null, byReason: null, status: 'skipped', message: 'already loaded (same content)' });
          } else pending.push(f);
        }
      }
    });
    if (pending.length === 0) {
      const skipped = files.length;
      return finish({
        result: 'nothing_new',
        version: current?.version,
        dataAsOf: current?.dataAsOf,
        message: batches.length === 0 ? `no export batches in ${inbox}` : `nothing new: ${skipped} file(s) already loaded`,
      });
    }

    const version = runId;
    mkdirSync(buildingDir(dataDir), { recursive: true });
    buildFile = join(buildingDir(dataDir), buildFileName(version));
    const tmpDir = join(dataDir, 'tmp');
    session = await step('open_build', () => openBuildSession({ buildFile: buildFile!, copyFrom: current?.file, tmpDir, runId }));
    const { conn } = session;
    const regionCount = Number((await conn.runAndReadAll('SELECT count(*) AS n FROM wh.regions')).getRowObjectsJS()[0].n);
    if (regionCount === 0) await step('regions', () => loadRegionTable(conn));

    const scope: RunScope = { all: false, minEventDate: undefined, eventDates: new Set(), affectedCount: 0 };
    const baseRow = (await conn.runAndReadAll('SELECT any_value(file) AS file FROM wh.base_persons')).getRowObjectsJS()[0];
    let baseFile = baseRow?.file === null || baseRow?.file === undefined ? undefined : String(baseRow.file);
    let lastBatch = '';
    for (const b of batches) {
      const mine = pending.filter((f) => f.batch === b.batch);
      if (mine.length === 0) continue;
      const persons = mine.filter((f) => f.name.kind === 'persons');
      const roleOf = (f: InboxFile): 'base' | 'snapshot' => {
        if (baseFile === undefined && f === persons[0]) return 'base';
        return f.relPath === baseFile ? 'base' : 'snapshot';
      };
      const ordered = [
        ...mine.filter((f) => f.name.kind === 'points'),
        ...persons.filter((f) => roleOf(f) === 'base'),
        ...mine.filter((f) => f.name.kind === 'changes'),
        ...persons.filter((f) => roleOf(f) === 'snapshot'),
        ...mine.filter((f) => f.name.kind === 'submissions'),
        ...mine.filter((f) => f.name.kind === 'roster'),
      ];
      for (const f of ordered) {
        const role = f.name.kind === 'persons' ? roleOf(f) : undefined;
        const out = await step(`load ${f.relPath}`, () =>
          loadExportFile({ conn, runId, keys, scope, log }, f, { tempDir: tmpDir, role, mtimeMs: mtimes.get(f.relPath) ?? 0 }),
        );
        if (role === 'base') baseFile = f.relPath;
        scope.affectedCount = Number((await conn.runAndReadAll('SELECT count(*) AS n FROM affected_pids')).getRowObjectsJS()[0].n);
        batchesLoaded.add(f.batch);
        lastBatch = f.batch;
        const summary: FileSummary = {
          batch: f.batch,
          relPath: f.relPath,
          status: 'loaded',
          role: out.role,
          sha256: out.staged.sha256,
          format: out.staged.format,
          encoding: out.staged.encoding,
          rowsRead: out.rowsRead,
          rowsLoaded: out.rowsLoaded,
          rowsQuarantined: out.rowsQuarantined,
          rowsAlreadyPresent: out.rowsAlreadyPresent,
          byReason: out.byReason,
          message: [out.note, out.staged.unknownColumns.length ? `unknown columns: ${out.staged.unknownColumns.join(', ')}` : '']
            .filter(Boolean)
            .join('; ') || undefined,
        };
        files.push(summary);
        runLog.file({ batch: f.batch, relPath: f.relPath, sha256: out.staged.sha256, format: out.staged.format, encoding: out.staged.encoding,
          rowsRead: out.rowsRead, rowsLoaded: out.rowsLoaded, rowsQuarantined: out.rowsQuarantined, byReason: out.byReason, status: 'loaded',
          rowsAlreadyPresent: out.rowsAlreadyPresent, message: summary.message ?? null });
        log(`${f.relPath}: ${out.role}, read ${out.rowsRead}, loaded ${out.rowsLoaded}, quarantined ${out.rowsQuarantined}` +
          (out.rowsAlreadyPresent ? ` (${out.rowsAlreadyPresent} already present)` : ''));
      }
    }

    const builtAt = new Date().toISOString();
    const derived = await deriveWarehouse(conn, scope, { runId, version, batch: lastBatch, builtAt, step });
    await step('reconciliation', async () => {
      for (const r of await reconcilePendingSnapshots(conn)) {
        log(`${r.file}: reconciled as of ${r.snapshotDate}, ${r.findings} findings` + (r.latePersons > 0 ? ` (${r.latePersons} persons with late events)` : ''));
      }
    });
    await step('quality', () => buildQualityTables(conn, { catalog: 'wh', keys, tempDir: tmpDir, settings: opts.quality, log }));
    const failures = await step('checks', () => runBuildChecks(conn));
    if (failures.length > 0) throw new Error(`build checks failed: ${failures.join('; ')}`);
    await step('checkpoint', () => session!.finish());
    session = undefined;
    await step('publish', async () => {
      publishBuild(dataDir, buildFile!, { version, parent: current?.version ?? null, publishedAt: new Date().toISOString(), dataAsOf: derived.dataAsOf });
    });
    buildFile = undefined;
    const loadedFiles = files.filter((f) => f.status === 'loaded');
    const q = loadedFiles.reduce((a, f) => a + (f.rowsQuarantined ?? 0), 0);
    return finish({
      result: 'published',
      version,
      dataAsOf: derived.dataAsOf,
      message: `published ${version}: ${loadedFiles.length} file(s) loaded, ${files.length - loadedFiles.length} skipped, ${q} row(s) quarantined, data as of ${derived.dataAsOf}` +
        (derived.revisions ? `, ${derived.revisions} revision(s) of published months` : ''),
    });
  } catch (err) {
    const message =
      err instanceof ExportFileError ? `${err.file}: ${err.problem}` : (err instanceof Error ? err.message : String(err)).split('\n')[0];
    if (err instanceof ExportFileError) {
      const f = err.file;
      files.push({ batch: f.split('/')[0], relPath: f, status: 'failed', message: err.problem });
      runLog.file({ batch: f.split('/')[0], relPath: f, sha256: null, format: null, encoding: null, rowsRead: null, rowsLoaded: null,
        rowsQuarantined: null, byReason: null, status: 'failed', message: err.problem });
    }
    if (process.env.RLM_DEBUG) console.error(err);
    log(`failed: ${message}`);
    return finish({ result: 'failed', message: `nothing published: ${message}` });
  } finally {
    try {
      session?.abandon();
    } catch {
      /* closing after an error */
    }
    if (buildFile) rmSync(buildFile, { force: true });
    rmSync(join(dataDir, 'tmp'), { recursive: true, force: true });
    db.close();
    release?.();
  }
}

async function loadRegionTable(conn: BuildSession['conn']): Promise<void> {
  const tree = loadRegions();
  const appender = await conn.createAppender('regions', 'main', 'wh');
  for (const level of [[tree.province], tree.cities, tree.counties, tree.townships, tree.villages]) {
    for (const r of level) {
      appender.appendVarchar(r.code);
      appender.appendVarchar(r.name);
      appender.appendVarchar(r.level);
      if (r.parent === null) appender.appendNull();
      else appender.appendVarchar(r.parent);
      const city = r.level === 'province' ? null : `${r.code.slice(0, 4)}00`;
      const county = r.level === 'county' || r.level === 'township' || r.level === 'village' ? r.code.slice(0, 6) : null;
      const township = r.level === 'township' || r.level === 'village' ? r.code.slice(0, 9) : null;
      for (const v of [city, county, township]) {
        if (v === null) appender.appendNull();
        else appender.appendVarchar(v);
      }
      appender.endRow();
    }
  }
  appender.closeSync();
}
