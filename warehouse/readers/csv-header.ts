/**
 * The header record of a CSV export: read from the start of the file (at most 1 MiB),
 * with its BOM, line ending and delimiter (comma or tab, whichever the header uses
 * more outside quotes), split into fields by RFC 4180 rules.
 */
import { open } from 'node:fs/promises';
import { ExportFileError } from './export-file-error.ts';

const MAX_HEADER_BYTES = 1 << 20;

export interface CsvHeaderRecord {
  /** The header's bytes without BOM and line ending. */
  readonly bytes: Buffer;
  /** A UTF-8 (EF BB BF) or GB18030 (84 31 95 33) byte order mark precedes the header. */
  readonly bom: boolean;
  /** How the header line ends; null when the file ends within the header. */
  readonly lineEnding: 'lf' | 'crlf' | null;
}

export async function readCsvHeaderRecord(file: string, path: string): Promise<CsvHeaderRecord> {
  const handle = await open(path, 'r');
  let head: Buffer;
  try {
    const buffer = Buffer.alloc(MAX_HEADER_BYTES + 1);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    head = buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
  let start = 0;
  if (head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) start = 3;
  else if (head.length >= 4 && head[0] === 0x84 && head[1] === 0x31 && head[2] === 0x95 && head[3] === 0x33) start = 4;
  let inQuotes = false;
  for (let i = start; i < head.length; i++) {
    const b = head[i];
    if (b === 0x22) inQuotes = !inQuotes;
    else if (b === 0x0a && !inQuotes) {
      const crlf = i > start && head[i - 1] === 0x0d;
      return { bytes: head.subarray(start, crlf ? i - 1 : i), bom: start > 0, lineEnding: crlf ? 'crlf' : 'lf' };
    }
  }
  if (head.length > MAX_HEADER_BYTES) throw new ExportFileError(file, `no end of the header line within the first ${MAX_HEADER_BYTES} bytes`);
  if (inQuotes) throw new ExportFileError(file, 'truncated: the header line ends inside a quoted field');
  const end = head.length > start && head[head.length - 1] === 0x0d ? head.length - 1 : head.length;
  return { bytes: head.subarray(start, end), bom: start > 0, lineEnding: null };
}

/** Comma or tab: the one the header uses more often outside quotes (comma on a tie). */
export function detectDelimiter(headerText: string): ',' | '\t' {
  let commas = 0;
  let tabs = 0;
  let inQuotes = false;
  for (const ch of headerText) {
    if (ch === '"') inQuotes = !inQuotes;
    else if (!inQuotes && ch === ',') commas++;
    else if (!inQuotes && ch === '\t') tabs++;
  }
  return tabs > commas ? '\t' : ',';
}

/** Splits one CSV record (no line ending) into fields: RFC 4180 quoting, "" inside quotes. */
export function splitCsvRecord(text: string, delimiter: string): string[] {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    let field = '';
    if (text[i] === '"') {
      i++;
      for (;;) {
        const q = text.indexOf('"', i);
        if (q === -1) {
          field += text.slice(i);
          i = text.length;
          break;
        }
        field += text.slice(i, q);
        if (text[q + 1] === '"') {
          field += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
    }
    const d = text.indexOf(delimiter, i);
    field += text.slice(i, d === -1 ? text.length : d);
    fields.push(field);
    if (d === -1) return fields;
    i = d + 1;
  }
}
