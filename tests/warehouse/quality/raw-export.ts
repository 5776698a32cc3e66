/**
 * Reads a generated export file for the independent recomputation: CSV (UTF-8 or
 * GB18030, comma or tab, BOM, CRLF) or XLSX, rows keyed by the Chinese headers, with
 * their physical row numbers (header = row 1). A plain-TypeScript path, not the
 * warehouse's readers.
 */
import { readFileSync } from 'node:fs';
import { readResultCsv, readResultXlsx, type ResultFileRow } from '../../../engine/services/sampling-result-file.ts';

export type RawRow = ResultFileRow;

export async function readExport(path: string): Promise<RawRow[]> {
  const bytes = readFileSync(path);
  return path.endsWith('.xlsx') ? readResultXlsx(bytes, path) : readResultCsv(bytes, path);
}

/** The generator's truth.json, the parts used here. */
export interface Truth {
  readonly batches: string[];
  readonly files: { file: string; kind: string; format: string; encoding: string; delimiter: string; bom: boolean; crlf: boolean; rows: number }[];
  readonly dirtyRows: { file: string; row: number; column: string | null; reason: string }[];
  readonly reconciliation: { file: string; kind: 'missing' | 'extra' | 'field'; id_number: string; column: string | null; row?: number }[];
  readonly coverage: { duplicated: { village: string; points: string[] }[]; uncovered: { village: string; point: string }[]; files: string[] };
  readonly shocks: { rule: string; region: string; period: string; pointCode?: string; countyCode?: string }[];
}
