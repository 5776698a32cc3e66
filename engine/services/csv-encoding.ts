/**
 * A table result as CSV (RFC 4180: comma, CRLF, quotes doubled), UTF-8 with a BOM so
 * that spreadsheet programs read the Chinese text right. Cells that a spreadsheet would
 * run as a formula (text starting with = + - @) are prefixed with an apostrophe.
 */
import type { TableCell, TableResult } from './table-result.ts';

function cell(v: TableCell): string {
  if (v === null) return '';
  let s = String(v);
  if (typeof v === 'string' && /^[=+\-@]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export function tableToCsv(result: TableResult): string {
  const lines = [result.columns.map((c) => cell(c.name)).join(',')];
  for (const r of result.rows) lines.push(result.columns.map((c) => cell(r[c.name] ?? null)).join(','));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
