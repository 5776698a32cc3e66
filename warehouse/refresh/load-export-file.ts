/**
 * One export file through the pipeline: stage (readers), check every contract rule
 * set-based, load the accepted rows by kind, quarantine the rejected ones, and assert
 * rows read = rows loaded + rows quarantined (the run fails otherwise). The previous
 * quarantine rows of the same file (an earlier version) are replaced.
 */
import type { FileKind } from '../contract/columns.ts';
import { stageExportFile, type StagedFile } from '../readers/stage-export-file.ts';
import { checkStagedRows, writeChecksTable } from '../validate/checked-rows.ts';
import { writeQuarantine } from '../validate/write-quarantine.ts';
import { isoDate, paramsFor } from '../model/named-params.ts';
import { loadBasePersons } from '../model/load-base-persons.ts';
import { loadChanges } from '../model/load-changes.ts';
import { loadPoints } from '../model/load-points.ts';
import { loadSubmissions } from '../model/load-submissions.ts';
import { loadRoster } from '../model/load-rosters.ts';
import { stageSnapshot } from '../model/reconcile-snapshot.ts';
import type { InboxFile } from './inbox-batches.ts';
import type { KindLoadResult, LoadContext } from './load-context.ts';
import { fileDate } from './inbox-batches.ts';
import { pidSqlParams } from '../vault/pid-hash.ts';

export interface FileOutcome {
  readonly staged: StagedFile;
  readonly role: 'base' | 'snapshot' | FileKind;
  readonly rowsRead: number;
  readonly rowsLoaded: number;
  readonly rowsQuarantined: number;
  readonly rowsAlreadyPresent: number;
  readonly byReason: Record<string, number>;
  readonly note?: string;
}

export class RowCountMismatchError extends Error {
  override name = 'RowCountMismatchError';
}

const ROSTER_TYPE = { poverty: '脱贫劳动力', relocated: '易地搬迁' } as const;

export async function loadExportFile(
  base: Omit<LoadContext, 'batch' | 'file' | 'params'>,
  file: InboxFile,
  options: { tempDir: string; role?: 'base' | 'snapshot'; mtimeMs: number },
): Promise<FileOutcome> {
  const { conn } = base;
  const kind = file.name.kind;
  // Submissions carry dates up to the export day; every other kind is "as of" its own date.
  const date = kind === 'submissions' ? file.batch : fileDate(file.name);
  const pidParams = pidSqlParams(base.keys.pidKey);
  const params = {
    run_id: base.runId,
    batch: file.batch,
    file: file.relPath,
    file_date: isoDate(date),
    pid_ipad: pidParams.ipad,
    pid_opad: pidParams.opad,
    ...(kind === 'roster' && file.name.roster ? { roster_type: ROSTER_TYPE[file.name.roster] } : {}),
  };
  const ctx: LoadContext = { ...base, batch: file.batch, file: file.relPath, params };
  /** Times one phase of the file and logs it, so that a long load shows where it is and where its time went. */
  const phase = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    const out = await fn();
    base.log(`${file.relPath}: ${name} ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    return out;
  };
  for (const t of ['stg', 'chk', 'chk_checks', 'cand', 'cand_bad']) await conn.run(`DROP TABLE IF EXISTS ${t}`);
  const staged = await phase('staged', () => stageExportFile(conn, file.path, { table: 'stg', relPath: file.relPath, tempDir: options.tempDir }));
  try {
    const checked = await phase('checked', () => checkStagedRows(conn, {
      kind,
      staging: 'stg',
      columns: staged.columns,
      checkedTable: 'chk',
      fileDate: params.file_date,
      rosterType: params.roster_type,
    }));
    await conn.run('DROP TABLE stg');
    await writeChecksTable(conn, 'chk_checks', checked.checks);
    const del = 'DELETE FROM wh.quarantine WHERE batch = $batch AND file = $file';
    await conn.run(del, paramsFor(del, params));

    const role = kind === 'persons' ? (options.role ?? 'snapshot') : kind;
    const result: KindLoadResult = await phase(role === 'snapshot' ? 'kept for reconciliation' : 'loaded', () => {
      switch (kind) {
        case 'persons':
          return role === 'base' ? loadBasePersons(ctx, 'chk') : stageSnapshot(ctx, 'chk');
        case 'changes':
          return loadChanges(ctx, 'chk', 'chk_checks');
        case 'points':
          return loadPoints(ctx, 'chk');
        case 'submissions':
          return loadSubmissions(ctx, 'chk');
        case 'roster':
          return loadRoster(ctx, 'chk');
      }
    });
    const byReason = await writeQuarantine(conn, { checkedTable: 'chk', checksTable: 'chk_checks', malformed: staged.malformed, params });
    const quarantined = Object.values(byReason).reduce((a, b) => a + b, 0);
    if (staged.rowsRead !== result.loaded + quarantined) {
      throw new RowCountMismatchError(
        `${file.relPath}: rows read (${staged.rowsRead}) ≠ rows loaded (${result.loaded}) + rows quarantined (${quarantined})`,
      );
    }
    const rec = `INSERT INTO wh.loaded_files VALUES ($run_id, $batch, $file, $kind, $sha256, $format, $encoding, $rows_read, $rows_loaded,
      $rows_quarantined, $file_date, $bytes, $mtime_ms)`;
    await conn.run(
      rec,
      paramsFor(rec, {
        ...params,
        kind: role,
        sha256: staged.sha256,
        format: staged.format,
        encoding: staged.encoding,
        rows_read: staged.rowsRead,
        rows_loaded: result.loaded,
        rows_quarantined: quarantined,
        bytes: staged.bytes,
        mtime_ms: Math.trunc(options.mtimeMs),
      }),
    );
    return {
      staged,
      role,
      rowsRead: staged.rowsRead,
      rowsLoaded: result.loaded,
      rowsQuarantined: quarantined,
      rowsAlreadyPresent: result.alreadyPresent ?? 0,
      byReason,
      note: result.note,
    };
  } finally {
    for (const t of ['stg', 'chk', 'chk_checks', 'cand', 'cand_bad']) await conn.run(`DROP TABLE IF EXISTS ${t}`);
  }
}
