/**
 * Which files go into which batch folder, under which name and in which format.
 * Clean mode (--dirty 0): every file UTF-8, comma, LF, no BOM. Dirty mode varies the
 * formats as registries do: points as XLSX, every third month's submissions as XLSX,
 * the poverty roster GB18030, the relocated roster tab-separated, the history changes
 * file with a UTF-8 BOM and CRLF, every third daily changes file GB18030. Persons files
 * are always UTF-8 CSV.
 */
import { exportFileName } from '../contract/file-name.ts';
import { PLAIN_CSV, type CsvFormat } from './csv-writer.ts';
import { compactOf, dateOfMonth, isoOf, monthLabel, monthOfDay } from './day-numbers.ts';
import type { Period } from './period.ts';

export type FileFormatSpec = { readonly format: 'csv'; readonly csv: CsvFormat } | { readonly format: 'xlsx' };

export interface SubmissionFileSpec {
  readonly month: number;
  readonly asOf: number;
}

export interface BatchSpec {
  /** Folder name YYYY-MM-DD. */
  readonly folder: string;
  /** Changes files: recorded-day range. */
  readonly changes: { readonly from: number; readonly to: number; readonly name: string; readonly format: CsvFormat };
  /** Snapshot index (into period.snapshotDays) of the persons file in this batch, or null. */
  readonly snapshots: readonly number[];
  /** Day of the points file and rosters, or null. */
  readonly monthlyDay: number | null;
  readonly submissions: readonly SubmissionFileSpec[];
}

export function changesFormat(dirty: boolean, dailyIndex: number | null): CsvFormat {
  if (!dirty) return PLAIN_CSV;
  if (dailyIndex === null) return { encoding: 'utf-8', delimiter: ',', bom: true, crlf: true };
  return dailyIndex % 3 === 2 ? { encoding: 'gb18030', delimiter: ',', bom: false, crlf: false } : PLAIN_CSV;
}

export function pointsFormat(dirty: boolean): FileFormatSpec {
  return dirty ? { format: 'xlsx' } : { format: 'csv', csv: PLAIN_CSV };
}

export function submissionsFormat(dirty: boolean, month: number): FileFormatSpec {
  return dirty && month % 3 === 0 ? { format: 'xlsx' } : { format: 'csv', csv: PLAIN_CSV };
}

export function rosterFormat(dirty: boolean, roster: 'poverty' | 'relocated'): CsvFormat {
  if (!dirty) return PLAIN_CSV;
  return roster === 'poverty' ? { encoding: 'gb18030', delimiter: ',', bom: false, crlf: false } : { encoding: 'utf-8', delimiter: '\t', bom: false, crlf: false };
}

export function buildBatches(period: Period, dirty: boolean): BatchSpec[] {
  const out: BatchSpec[] = [];
  const subs: SubmissionFileSpec[] = [];
  for (let m = period.fromMonth; m <= period.toMonth; m++) subs.push({ month: m, asOf: period.toEnd });
  out.push({
    folder: isoOf(period.initialBatchDay),
    changes: {
      from: period.fromDay, to: period.toEnd, format: changesFormat(dirty, null),
      name: exportFileName({ kind: 'changes', from: isoOf(period.fromDay), to: isoOf(period.toEnd), format: 'csv' }),
    },
    snapshots: [0, 1],
    monthlyDay: period.toEnd,
    submissions: subs,
  });
  period.dailyBatchDays.forEach((d, k) => {
    const recorded = d - 1;
    const first = dateOfMonth(d) === 1;
    const submissions: SubmissionFileSpec[] = [];
    if (first) submissions.push({ month: monthOfDay(recorded), asOf: recorded });
    else if (dateOfMonth(d) <= 10) submissions.push({ month: monthOfDay(d) - 1, asOf: recorded });
    out.push({
      folder: isoOf(d),
      changes: { from: recorded, to: recorded, format: changesFormat(dirty, k), name: exportFileName({ kind: 'changes', date: isoOf(recorded), format: 'csv' }) },
      snapshots: first ? [period.snapshotDays.indexOf(recorded)] : [],
      monthlyDay: first ? recorded : null,
      submissions,
    });
  });
  return out;
}

export const personsFileName = (day: number): string => `persons_${compactOf(day)}.csv`;
export const pointsFileName = (day: number, format: 'csv' | 'xlsx'): string => `points_${compactOf(day)}.${format}`;
export const rosterFileName = (roster: 'poverty' | 'relocated', day: number): string => `roster-${roster}_${compactOf(day)}.csv`;
export const submissionsFileName = (month: number, format: 'csv' | 'xlsx'): string =>
  exportFileName({ kind: 'submissions', month: monthLabel(month), format });
