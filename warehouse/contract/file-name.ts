/**
 * File and batch names of the export contract: a batch is a folder `YYYY-MM-DD/`
 * holding `persons_YYYYMMDD.ext`, `changes_YYYYMMDD[_YYYYMMDD].ext`, `points_YYYYMMDD.ext`,
 * `submissions_YYYYMM.ext`, `roster-poverty_YYYYMMDD.ext`, `roster-relocated_YYYYMMDD.ext`.
 */
import type { FileKind } from './columns.ts';

export type FileFormat = 'csv' | 'xlsx' | 'parquet';

export interface ExportFileName {
  readonly kind: FileKind;
  /** For rosters: which roster. */
  readonly roster?: 'poverty' | 'relocated';
  /** ISO date the file is "as of" (persons, points, rosters), or the recorded day (changes). */
  readonly date?: string;
  /** For ranged change files: first and last recorded day. */
  readonly from?: string;
  readonly to?: string;
  /** For submissions: YYYY-MM. */
  readonly month?: string;
  readonly format: FileFormat;
}

const NAME = /^(persons|changes|points|submissions|roster-poverty|roster-relocated)_(\d{6}|\d{8})(?:_(\d{8}))?\.(csv|xlsx|parquet)$/i;

const iso = (d: string): string => `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}`;
const compact = (isoDate: string): string => isoDate.replaceAll('-', '');

/** Parses a file name of the contract, or returns undefined for any other name. */
export function parseExportFileName(fileName: string): ExportFileName | undefined {
  const m = NAME.exec(fileName);
  if (!m) return undefined;
  const [, stem, d1, d2, ext] = m;
  const format = ext.toLowerCase() as FileFormat;
  if (stem === 'submissions') {
    if (d1.length !== 6 || d2) return undefined;
    return { kind: 'submissions', month: `${d1.slice(0, 4)}-${d1.slice(4, 6)}`, format };
  }
  if (d1.length !== 8) return undefined;
  if (stem === 'changes') {
    return d2 ? { kind: 'changes', from: iso(d1), to: iso(d2), format } : { kind: 'changes', date: iso(d1), from: iso(d1), to: iso(d1), format };
  }
  if (d2) return undefined;
  if (stem === 'roster-poverty') return { kind: 'roster', roster: 'poverty', date: iso(d1), format };
  if (stem === 'roster-relocated') return { kind: 'roster', roster: 'relocated', date: iso(d1), format };
  return { kind: stem as 'persons' | 'points', date: iso(d1), format };
}

/** Builds the contract file name for a file description. */
export function exportFileName(f: ExportFileName): string {
  switch (f.kind) {
    case 'submissions':
      return `submissions_${(f.month ?? '').replace('-', '')}.${f.format}`;
    case 'changes':
      return f.from && f.to && f.from !== f.to
        ? `changes_${compact(f.from)}_${compact(f.to)}.${f.format}`
        : `changes_${compact(f.date ?? f.from ?? '')}.${f.format}`;
    case 'roster':
      return `roster-${f.roster}_${compact(f.date ?? '')}.${f.format}`;
    default:
      return `${f.kind}_${compact(f.date ?? '')}.${f.format}`;
  }
}

/** A batch folder name is an ISO date. */
export function isBatchFolderName(name: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(name) && !Number.isNaN(Date.parse(`${name}T00:00:00Z`));
}
