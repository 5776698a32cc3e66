/**
 * Maps the header row of an export file (Chinese headers or English aliases, any case)
 * to contract column keys. Unknown headers are kept aside and reported; a missing
 * required header or a column given twice makes the file unreadable.
 */
import { COLUMNS, columnKeyOf, type FileKind } from '../contract/columns.ts';
import { ExportFileError } from './export-file-error.ts';

export interface ColumnMapping {
  /** Contract columns present, in file order, with their 0-based position in the row. */
  readonly columns: readonly { readonly key: string; readonly index: number }[];
  /** Headers not in the contract, as written (trimmed); an empty header as "(column N: empty header)". */
  readonly unknownColumns: readonly string[];
}

export function mapExportColumns(file: string, kind: FileKind, headers: readonly string[]): ColumnMapping {
  const clean = headers.map((h) => h.replace(/^\uFEFF/, '').trim());
  if (clean.every((h) => h === '')) throw new ExportFileError(file, 'the header row is empty');
  const columns: { key: string; index: number }[] = [];
  const unknownColumns: string[] = [];
  const seen = new Map<string, number>();
  clean.forEach((h, index) => {
    const key = h === '' ? undefined : columnKeyOf(kind, h);
    if (key === undefined) {
      unknownColumns.push(h === '' ? `(column ${index + 1}: empty header)` : h);
      return;
    }
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      throw new ExportFileError(
        file,
        `column ${describe(kind, key)} appears twice in the header (column ${earlier + 1} "${clean[earlier]}" and column ${index + 1} "${h}")`,
      );
    }
    seen.set(key, index);
    columns.push({ key, index });
  });
  const missing = COLUMNS[kind].filter((c) => c.required && !seen.has(c.key));
  if (missing.length > 0) {
    throw new ExportFileError(
      file,
      `missing required column${missing.length > 1 ? 's' : ''} ${missing.map((c) => describe(kind, c.key)).join(', ')}`,
    );
  }
  return { columns, unknownColumns };
}

function describe(kind: FileKind, key: string): string {
  const spec = COLUMNS[kind].find((c) => c.key === key);
  return spec ? `${spec.header} (${spec.key})` : key;
}
