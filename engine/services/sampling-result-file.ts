/**
 * Reads an uploaded verification-results file of a sampling evaluation into rows keyed
 * by header, with their physical row numbers (header = row 1): CSV (comma or tab, RFC
 * 4180 quotes, optional BOM, CRLF or LF, UTF-8 or GB18030) or XLSX (first sheet, header
 * in row 1). Problems name the file, the row and the reason.
 */
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';

export class ResultFileError extends Error {
  override name = 'ResultFileError';
}

export interface ResultFileRow {
  readonly row: number;
  readonly values: Record<string, string | null>;
}

const MAX_ROWS = 200_000;

/** RFC 4180 records of a text (quotes may span lines); each with its starting physical row. */
function csvRecords(text: string, delimiter: string): { row: number; cells: string[] }[] {
  const out: { row: number; cells: string[] }[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let start = 1;
  let atCellStart = true;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i++;
        } else quoted = false;
      } else {
        if (ch === '\n') line++;
        cell += ch;
      }
      continue;
    }
    if (ch === '"' && atCellStart) {
      quoted = true;
      atCellStart = false;
    } else if (ch === delimiter) {
      cells.push(cell);
      cell = '';
      atCellStart = true;
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      cells.push(cell);
      out.push({ row: start, cells });
      cells = [];
      cell = '';
      atCellStart = true;
      line++;
      start = line;
    } else {
      cell += ch;
      atCellStart = false;
    }
  }
  if (quoted) throw new ResultFileError(`row ${start}: a quoted field is not closed`);
  if (cell !== '' || cells.length > 0) {
    cells.push(cell);
    out.push({ row: start, cells });
  }
  return out;
}

function decodeText(bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    return iconv.decode(bytes, 'gb18030');
  }
}

function rowsFromTable(records: { row: number; cells: (string | null)[] }[], fileName: string): ResultFileRow[] {
  if (records.length === 0) throw new ResultFileError(`${fileName}: the file is empty`);
  const header = records[0].cells.map((h) => (h ?? '').trim());
  if (header.length === 0 || header.every((h) => h === '')) throw new ResultFileError(`${fileName}: row 1 has no header`);
  if (records.length - 1 > MAX_ROWS) throw new ResultFileError(`${fileName}: more than ${MAX_ROWS} rows`);
  const out: ResultFileRow[] = [];
  for (const r of records.slice(1)) {
    if (r.cells.every((c) => c === null || c.trim() === '')) continue;
    if (r.cells.length > header.length && r.cells.slice(header.length).some((c) => c !== null && c.trim() !== '')) {
      throw new ResultFileError(`${fileName} row ${r.row}: ${r.cells.length} fields but the header has ${header.length}`);
    }
    const values: Record<string, string | null> = {};
    header.forEach((h, i) => {
      if (h) values[h] = r.cells[i] === undefined || r.cells[i] === null || r.cells[i] === '' ? null : String(r.cells[i]);
    });
    out.push({ row: r.row, values });
  }
  return out;
}

export function readResultCsv(bytes: Buffer, fileName: string): ResultFileRow[] {
  const text = decodeText(bytes);
  const firstLine = text.slice(0, text.search(/\r|\n|$/));
  const delimiter = firstLine.includes('\t') && !firstLine.includes(',') ? '\t' : ',';
  try {
    return rowsFromTable(csvRecords(text, delimiter), fileName);
  } catch (err) {
    if (err instanceof ResultFileError && !err.message.startsWith(fileName)) throw new ResultFileError(`${fileName} ${err.message}`);
    throw err;
  }
}

export async function readResultXlsx(bytes: Buffer, fileName: string): Promise<ResultFileRow[]> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch (err) {
    throw new ResultFileError(`${fileName}: not a readable XLSX workbook (${(err as Error).message})`);
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) throw new ResultFileError(`${fileName}: the workbook has no sheet`);
  const records: { row: number; cells: (string | null)[] }[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells: (string | null)[] = [];
    for (let c = 1; c <= row.cellCount; c++) {
      const cell = row.getCell(c);
      const v = cell.value;
      cells.push(v === null || v === undefined ? null : v instanceof Date ? v.toISOString().slice(0, 10) : typeof v === 'object' ? cell.text : String(v));
    }
    records.push({ row: rowNumber, cells });
  });
  if (records.length === 0 || records[0].row !== 1) throw new ResultFileError(`${fileName}: row 1 has no header`);
  return rowsFromTable(records, fileName);
}
