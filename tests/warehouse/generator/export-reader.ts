/**
 * Test-side reader of generated export files, independent of the generator's writers:
 * CSV per RFC 4180 (comma or tab, UTF-8 or GB18030, optional BOM, LF or CRLF) and XLSX
 * (first sheet, via exceljs).
 */
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import ExcelJS from 'exceljs';

export interface Table {
  readonly header: string[];
  /** Data rows; rows[i] is physical row i + 2. */
  readonly rows: string[][];
}

export interface TruthFileEntry {
  readonly file: string;
  readonly kind: string;
  readonly format: 'csv' | 'xlsx';
  readonly encoding: 'utf-8' | 'gb18030' | null;
  readonly delimiter: ',' | '\t' | null;
  readonly bom: boolean;
  readonly crlf: boolean;
  readonly rows: number;
}

/** Parses CSV text strictly: every record must have the header's field count. */
export function parseCsv(text: string, delimiter: string, file: string): Table {
  const records: string[][] = [];
  let field = '';
  let rec: string[] = [];
  let quoted = false;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') { field += '"'; i += 2; continue; }
        quoted = false; i++; continue;
      }
      field += c; i++; continue;
    }
    if (c === '"' && field === '') { quoted = true; i++; continue; }
    if (c === delimiter) { rec.push(field); field = ''; i++; continue; }
    if (c === '\r' && text[i + 1] === '\n') { rec.push(field); records.push(rec); rec = []; field = ''; i += 2; continue; }
    if (c === '\n') { rec.push(field); records.push(rec); rec = []; field = ''; i++; continue; }
    field += c; i++;
  }
  if (field !== '' || rec.length) { rec.push(field); records.push(rec); }
  const [header, ...rows] = records;
  rows.forEach((r, k) => {
    if (r.length !== header.length) throw new Error(`${file}: row ${k + 2} has ${r.length} fields, header has ${header.length}`);
  });
  return { header, rows };
}

export function readCsvFile(path: string, encoding: 'utf-8' | 'gb18030', delimiter: string): { table: Table; bom: boolean; crlf: boolean } {
  const bytes = readFileSync(path);
  let text = encoding === 'gb18030' ? iconv.decode(bytes, 'gb18030') : bytes.toString('utf8');
  const bom = text.charCodeAt(0) === 0xfeff;
  if (bom) text = text.slice(1);
  const firstEol = text.indexOf('\n');
  const crlf = firstEol > 0 && text[firstEol - 1] === '\r';
  return { table: parseCsv(text, delimiter, path), bom, crlf };
}

export async function readXlsxFile(path: string): Promise<Table> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(path);
  const ws = wb.worksheets[0];
  const out: string[][] = [];
  let width = 0;
  ws.eachRow({ includeEmpty: true }, (row, rowNumber) => {
    const values: string[] = [];
    const cells = row.values as unknown[];
    for (let c = 1; c < cells.length; c++) values.push(cells[c] === undefined || cells[c] === null ? '' : String(cells[c]));
    if (rowNumber === 1) width = values.length;
    out[rowNumber - 1] = values;
  });
  const rows = out.slice(1).map((r) => { const x = r ?? []; while (x.length < width) x.push(''); return x; });
  return { header: out[0], rows };
}

/** Reads a file as truth.json describes it. */
export async function readExport(dir: string, f: TruthFileEntry): Promise<Table> {
  const path = join(dir, f.file);
  if (f.format === 'xlsx') return readXlsxFile(path);
  return readCsvFile(path, f.encoding!, f.delimiter!).table;
}

/** Batch folders of an output directory, in date order. */
export function batchFolders(dir: string): string[] {
  return readdirSync(dir).filter((n) => /^\d{4}-\d{2}-\d{2}$/.test(n) && existsSync(join(dir, n))).sort();
}

/** Rows as objects keyed by contract key, given the header → key map. */
export function keyed(t: Table, keyOf: (header: string) => string | undefined): Record<string, string>[] {
  const keys = t.header.map((h) => keyOf(h) ?? h);
  return t.rows.map((r) => Object.fromEntries(keys.map((k, i) => [k, r[i]])));
}
