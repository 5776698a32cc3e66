/**
 * A table result as an XLSX workbook, written with exceljs's streaming writer into a
 * stream the reply sends while rows are still being added (bounded memory).
 */
import ExcelJS from 'exceljs';
import { PassThrough } from 'node:stream';
import type { TableResult } from './table-result.ts';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export function tableToXlsxStream(result: TableResult, sheetName = 'data'): PassThrough {
  const out = new PassThrough();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: false, useSharedStrings: false });
  const sheet = workbook.addWorksheet(sheetName);
  void (async () => {
    sheet.addRow(result.columns.map((c) => c.name)).commit();
    for (const r of result.rows) sheet.addRow(result.columns.map((c) => r[c.name] ?? null)).commit();
    sheet.commit();
    await workbook.commit();
  })().catch((err: unknown) => out.destroy(err instanceof Error ? err : new Error(String(err))));
  return out;
}
