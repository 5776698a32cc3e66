/**
 * Finds the record structure of a CSV file from its raw bytes, chunk by chunk, without
 * decoding: which records are blank lines, which records contain quoted line breaks (so
 * that their physical line no longer equals their record number), and whether the file
 * ends inside a quoted field (truncated). Works for UTF-8 and GB18030 alike: the bytes it
 * looks at (quote, delimiter, CR, LF) never occur inside a multi-byte character of either.
 *
 * Records are numbered as DuckDB's CSV reader numbers them in its rejects table: the
 * header is record 1 and every line break outside quotes ends a record, blank lines
 * included. Quoting follows RFC 4180 as DuckDB applies it: a quote opens a quoted field
 * only at the start of a field; inside it, a doubled quote is a literal quote; a quote in
 * the middle of an unquoted field is a literal character.
 */
const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;

export interface CsvRecordLayout {
  /** Records in the file, the header included, blank lines included. */
  readonly records: number;
  /** Record numbers of blank lines (empty, or a lone CR): DuckDB skips them. */
  readonly blankRecords: readonly number[];
  /**
   * From `record` on, a record starts on physical line `record + shift` (until the next
   * entry). Empty when no quoted field contains a line break.
   */
  readonly lineShifts: readonly { readonly record: number; readonly shift: number }[];
  /** Set when the file ends inside a quoted field: the record (and its first line) where it opened. */
  readonly unterminatedQuote?: { readonly record: number; readonly line: number };
}

export class CsvRecordScanner {
  private inQuotes = false;
  /** The previous chunk ended on a quote met inside a quoted field: closing, or half of a doubled quote. */
  private pendingQuote = false;
  private prevByte = LF;
  private record = 1;
  private recordLine = 1;
  private embedded = 0;
  private recordLength = 0;
  private lastShift = 0;
  private first = true;
  private readonly blanks: number[] = [];
  private readonly shifts: { record: number; shift: number }[] = [];

  constructor(private readonly delimiter: number) {}

  push(chunk: Buffer): void {
    const n = chunk.length;
    if (n === 0) return;
    let i = 0;
    if (this.first) {
      this.first = false;
      if (n >= 3 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) i = 3;
      else if (n >= 4 && chunk[0] === 0x84 && chunk[1] === 0x31 && chunk[2] === 0x95 && chunk[3] === 0x33) i = 4;
    }
    if (this.pendingQuote) {
      this.pendingQuote = false;
      if (chunk[0] === QUOTE) {
        i = 1;
        this.recordLength++;
      } else this.inQuotes = false;
    }
    let nextLf = -2;
    let nextQuote = -2;
    while (i < n) {
      if (nextQuote !== n && nextQuote < i) {
        nextQuote = chunk.indexOf(QUOTE, i);
        if (nextQuote === -1) nextQuote = n;
      }
      if (nextLf !== n && nextLf < i) {
        nextLf = chunk.indexOf(LF, i);
        if (nextLf === -1) nextLf = n;
      }
      if (this.inQuotes) {
        // Line breaks up to the closing quote are inside the field.
        while (nextLf < nextQuote) {
          this.embedded++;
          nextLf = chunk.indexOf(LF, nextLf + 1);
          if (nextLf === -1) nextLf = n;
        }
        if (nextQuote === n) {
          this.recordLength += n - i;
          i = n;
          break;
        }
        const q = nextQuote;
        this.recordLength += q + 1 - i;
        if (q + 1 === n) {
          this.pendingQuote = true;
          i = n;
          break;
        }
        if (chunk[q + 1] === QUOTE) {
          this.recordLength++;
          i = q + 2;
        } else {
          this.inQuotes = false;
          i = q + 1;
        }
        continue;
      }
      if (nextQuote < nextLf) {
        const q = nextQuote;
        const before = q > 0 ? chunk[q - 1] : this.prevByte;
        if (this.recordLength + (q - i) === 0 || before === this.delimiter) this.inQuotes = true;
        this.recordLength += q + 1 - i;
        i = q + 1;
        continue;
      }
      if (nextLf < n) {
        const lf = nextLf;
        this.recordLength += lf - i;
        const lastContent = lf > 0 ? chunk[lf - 1] : this.prevByte;
        this.endRecord(this.recordLength === 0 || (this.recordLength === 1 && lastContent === CR));
        i = lf + 1;
        continue;
      }
      this.recordLength += n - i;
      i = n;
    }
    this.prevByte = chunk[n - 1];
  }

  private endRecord(blank: boolean): void {
    if (blank) this.blanks.push(this.record);
    this.recordLine += this.embedded + 1;
    this.record++;
    this.embedded = 0;
    this.recordLength = 0;
    const shift = this.recordLine - this.record;
    if (shift !== this.lastShift) {
      this.shifts.push({ record: this.record, shift });
      this.lastShift = shift;
    }
  }

  end(): CsvRecordLayout {
    if (this.pendingQuote) {
      this.pendingQuote = false;
      this.inQuotes = false;
    }
    const unterminatedQuote = this.inQuotes ? { record: this.record, line: this.recordLine } : undefined;
    let records = this.record - 1;
    if (this.recordLength > 0) {
      if (this.recordLength === 1 && this.prevByte === CR) this.blanks.push(this.record);
      records = this.record;
    }
    return { records, blankRecords: this.blanks, lineShifts: this.shifts, ...(unterminatedQuote ? { unterminatedQuote } : {}) };
  }
}
