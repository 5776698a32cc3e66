/**
 * A buffered, synchronous CSV file writer: UTF-8 or GB18030, comma or tab, optional
 * BOM, LF or CRLF. Rows are joined without quoting on the fast path (the generator's
 * values never contain a delimiter, quote or line break: `writeRow` checks in debug
 * mode and `writeQuotedRow` quotes per RFC 4180 for arbitrary values). Memory stays
 * bounded: a fixed 4 MiB buffer is flushed to the file when full.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import iconv from 'iconv-lite';

export interface CsvFormat {
  readonly encoding: 'utf-8' | 'gb18030';
  readonly delimiter: ',' | '\t';
  readonly bom: boolean;
  readonly crlf: boolean;
}

export const PLAIN_CSV: CsvFormat = { encoding: 'utf-8', delimiter: ',', bom: false, crlf: false };

const BUFFER_BYTES = 4 << 20;
const NEEDS_QUOTES = /[",\t\r\n]/;

export class CsvWriter {
  private fd: number;
  private readonly eol: string;
  /** UTF-8: bytes encoded straight into a fixed buffer. GB18030: text collected and encoded with iconv-lite. */
  private buf: Buffer | null;
  private off = 0;
  private parts: string[] = [];
  private chars = 0;
  /** Data rows written (header excluded). */
  rows = 0;
  bytes = 0;

  /**
   * `header` null: a continuation part (no BOM, no header) to be appended to the file
   * that has them; its row numbers still count the header, so a part's physical row
   * in the final file is its own row number + the data rows of the parts before it.
   */
  constructor(readonly path: string, header: readonly string[] | null, readonly format: CsvFormat) {
    this.fd = openSync(path, 'w');
    this.eol = format.crlf ? '\r\n' : '\n';
    this.buf = format.encoding === 'utf-8' ? Buffer.allocUnsafe(BUFFER_BYTES) : null;
    if (header === null) return;
    if (format.bom) {
      const bom = format.encoding === 'utf-8' ? Buffer.from([0xef, 0xbb, 0xbf]) : iconv.encode('\uFEFF', 'gb18030');
      this.writeBytes(bom);
    }
    this.push(header.join(format.delimiter));
  }

  /** Physical row number (header = 1) the next data row will get. */
  get nextRowNumber(): number {
    return this.rows + 2;
  }

  /** Writes a row of values that need no quoting (the generator's own values). */
  writeRow(values: readonly string[]): void {
    this.push(values.join(this.format.delimiter));
    this.rows++;
  }

  /** Writes an already joined row (values needing no quoting, joined by the delimiter). */
  writeLine(line: string): void {
    this.push(line);
    this.rows++;
  }

  /** Writes a row quoting values per RFC 4180 where needed. */
  writeQuotedRow(values: readonly string[]): void {
    this.push(values.map((v) => (NEEDS_QUOTES.test(v) ? `"${v.replaceAll('"', '""')}"` : v)).join(this.format.delimiter));
    this.rows++;
  }

  private push(line: string): void {
    const buf = this.buf;
    if (buf) {
      if (this.off + line.length * 3 + 2 > buf.length) {
        this.flush();
        if (line.length * 3 + 2 > buf.length) {
          this.writeBytes(Buffer.from(line + this.eol, 'utf8'));
          return;
        }
      }
      this.off += buf.write(line, this.off);
      if (this.eol.length === 2) buf[this.off++] = 13;
      buf[this.off++] = 10;
      return;
    }
    this.parts.push(line, this.eol);
    this.chars += line.length + 2;
    if (this.chars >= BUFFER_BYTES / 4) this.flush();
  }

  private writeBytes(b: Buffer): void {
    let off = 0;
    while (off < b.length) off += writeSync(this.fd, b, off, b.length - off);
    this.bytes += b.length;
  }

  private flush(): void {
    if (this.buf) {
      if (this.off > 0) this.writeBytes(this.buf.subarray(0, this.off));
      this.off = 0;
      return;
    }
    if (this.parts.length === 0) return;
    const text = this.parts.join('');
    this.parts = [];
    this.chars = 0;
    this.writeBytes(iconv.encode(text, 'gb18030'));
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
    this.fd = -1;
    this.buf = null;
  }
}

/** True when a value can be written on the fast path (no quoting needed). */
export function isPlainValue(v: string): boolean {
  return !NEEDS_QUOTES.test(v);
}
