/**
 * Streams the first worksheet of an XLSX file (exceljs WorkbookReader: shared strings
 * and styles cached, rows streamed) into a UTF-8 CSV for DuckDB: a header line, then per
 * row the sheet row number followed by the selected columns' cell text. Row 1 is the header. Rows without
 * any cell text are skipped (not data rows); a row with text in a column beyond the
 * header's last column is malformed and not written.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import ExcelJS from 'exceljs';
import { xlsxCellText } from './xlsx-cell-text.ts';

export interface XlsxConversion {
  /** Data rows with any cell text (header excluded), malformed ones included. */
  readonly rowsRead: number;
  readonly rowsWritten: number;
  readonly malformed: readonly { readonly rowNo: number; readonly message: string }[];
}

export class XlsxStructureError extends Error {
  override name = 'XlsxStructureError';
}

/**
 * @param selectColumns called with the header cells (row 1, up to its last non-empty cell);
 *   returns the 0-based columns to write, in order (it may throw to stop the conversion).
 */
export async function convertXlsxToCsv(
  xlsxPath: string,
  csvPath: string,
  selectColumns: (header: string[]) => readonly number[],
): Promise<XlsxConversion> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(xlsxPath, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    entries: 'ignore',
  });
  const output = createWriteStream(csvPath);
  let result: XlsxConversion | undefined;
  try {
    for await (const worksheet of reader) {
      if (result) continue; // later sheets: drained by the reader, not read
      const firstSheet = (reader as unknown as { model?: { sheets?: { name?: string }[] } }).model?.sheets?.[0]?.name;
      const name = (worksheet as unknown as { name?: string }).name;
      if (firstSheet !== undefined && name !== firstSheet) continue;
      result = await convertSheet(worksheet, output, selectColumns);
    }
    if (!result) throw new XlsxStructureError('the workbook has no worksheet');
    output.end();
    await finished(output);
    return result;
  } catch (e) {
    output.destroy();
    throw e;
  }
}

async function convertSheet(
  worksheet: AsyncIterable<ExcelJS.Row>,
  output: NodeJS.WritableStream,
  selectColumns: (header: string[]) => readonly number[],
): Promise<XlsxConversion> {
  let width = -1;
  let selected: readonly number[] = [];
  let rowsRead = 0;
  let rowsWritten = 0;
  const malformed: { rowNo: number; message: string }[] = [];
  let buffer = '';
  let lastRow = 0;
  for await (const row of worksheet) {
    const rowNo = Number.isInteger(row.number) && row.number > lastRow ? row.number : lastRow + 1;
    lastRow = rowNo;
    const values = row.values as unknown[];
    const cells: string[] = [];
    let last = -1;
    for (let c = 1; c < values.length; c++) {
      const text = xlsxCellText(values[c]);
      cells.push(text);
      if (text !== '') last = c - 1;
    }
    if (width < 0) {
      if (rowNo !== 1 || last < 0) throw new XlsxStructureError('row 1 of the first worksheet (the header) is empty');
      width = last + 1;
      selected = selectColumns(cells.slice(0, width));
      buffer += `row_no${selected.map((c) => `,c${c}`).join('')}\n`;
      continue;
    }
    if (last < 0) continue;
    rowsRead++;
    if (last >= width) {
      malformed.push({ rowNo, message: `wrong number of fields: a value in column ${last + 1}, beyond the header's ${width} columns` });
      continue;
    }
    let line = String(rowNo);
    for (const c of selected) line += ',' + csvField(cells[c] ?? '');
    buffer += line + '\n';
    rowsWritten++;
    if (buffer.length >= 1 << 20) {
      if (!output.write(buffer)) await once(output, 'drain');
      buffer = '';
    }
  }
  if (width < 0) throw new XlsxStructureError('the first worksheet is empty (no header row)');
  if (buffer) output.write(buffer);
  return { rowsRead, rowsWritten, malformed };
}

function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
