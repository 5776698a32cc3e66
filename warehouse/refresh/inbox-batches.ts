/**
 * The export batches in an inbox: folders named YYYY-MM-DD, in date order, each with
 * its contract files in processing order (points, then persons, changes, submissions,
 * rosters; within a kind by name). Other files are reported, never read.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isBatchFolderName, parseExportFileName, type ExportFileName } from '../contract/file-name.ts';

export interface InboxFile {
  readonly batch: string;
  /** `<batch>/<file name>` */
  readonly relPath: string;
  readonly path: string;
  readonly name: ExportFileName;
}

export interface InboxBatch {
  readonly batch: string;
  readonly files: readonly InboxFile[];
  /** Names in the batch folder that are not contract files. */
  readonly ignored: readonly string[];
}

const KIND_ORDER = { points: 0, persons: 1, changes: 2, submissions: 3, roster: 4 } as const;

export function listInboxBatches(inboxDir: string): InboxBatch[] {
  let names: string[];
  try {
    names = readdirSync(inboxDir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const batches = names.filter((n) => isBatchFolderName(n) && statSync(join(inboxDir, n)).isDirectory()).sort();
  return batches.map((batch) => {
    const files: InboxFile[] = [];
    const ignored: string[] = [];
    for (const f of readdirSync(join(inboxDir, batch)).sort()) {
      const name = parseExportFileName(f);
      const path = join(inboxDir, batch, f);
      if (!name || !statSync(path).isFile()) ignored.push(f);
      else files.push({ batch, relPath: `${batch}/${f}`, path, name });
    }
    files.sort((a, b) => KIND_ORDER[a.name.kind] - KIND_ORDER[b.name.kind] || fileDate(a.name).localeCompare(fileDate(b.name)) || a.relPath.localeCompare(b.relPath));
    return { batch, files, ignored };
  });
}

/** The "as of" date of a file: its date, the last day of a change range, or the last day of a submission month. */
export function fileDate(name: ExportFileName): string {
  if (name.kind === 'changes') return name.to ?? name.date ?? '';
  if (name.kind === 'submissions') {
    const [y, m] = (name.month ?? '0000-01').split('-').map(Number);
    return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
  }
  return name.date ?? '';
}
