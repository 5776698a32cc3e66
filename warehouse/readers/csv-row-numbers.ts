/**
 * Row numbers of a staged CSV file. DuckDB stages the good records in file order and
 * reports each rejected record by its record number (header = 1, blank lines counted);
 * the record scanner knows the blank lines and the quoted line breaks. From these this
 * plans the physical row number of every staged row, as a step function of its ordinal.
 *
 * row_no is the physical line on which the record starts (header = line 1). Without
 * quoted line breaks that is simply the line of the record; with them, a record that
 * spans lines 7-8 has row_no 7 and the next record has row_no 9.
 */
import type { CsvRecordLayout } from './csv-record-scanner.ts';

export interface RowNumberPlan {
  /**
   * For the staged row with 0-based ordinal g (file order), row_no = g + 2 + offset of
   * the last step whose `from` <= g. Sorted by `from`; the first step has from = 0.
   */
  readonly steps: readonly { readonly from: number; readonly offset: number }[];
  /** Physical line on which a record (by DuckDB's record number) starts. */
  lineOfRecord(record: number): number;
}

export class RowNumberMismatchError extends Error {
  override name = 'RowNumberMismatchError';
}

/**
 * @param rejected record numbers of rejected records, sorted ascending, distinct
 * @param staged number of rows staged
 */
export function planRowNumbers(layout: CsvRecordLayout, rejected: readonly number[], staged: number): RowNumberPlan {
  const blanks = layout.blankRecords;
  const dataRecords = layout.records - 1 - blanks.length;
  if (dataRecords !== staged + rejected.length) {
    throw new RowNumberMismatchError(
      `the file has ${dataRecords} data records but DuckDB staged ${staged} and rejected ${rejected.length}`,
    );
  }
  // Excluded records (blank or rejected), merged in order.
  const excluded: number[] = [];
  for (let a = 0, b = 0; a < blanks.length || b < rejected.length; ) {
    if (b >= rejected.length || (a < blanks.length && blanks[a] < rejected[b])) excluded.push(blanks[a++]);
    else if (a < blanks.length && blanks[a] === rejected[b]) throw new RowNumberMismatchError(`record ${rejected[b]} is both blank and rejected`);
    else {
      if (rejected[b] < 2 || rejected[b] > layout.records || (b > 0 && rejected[b] <= rejected[b - 1])) {
        throw new RowNumberMismatchError(`rejected record ${rejected[b]} is out of order or outside records 2..${layout.records}`);
      }
      excluded.push(rejected[b++]);
    }
  }
  const shifts = layout.lineShifts;
  const shiftOf = (record: number): number => {
    let lo = 0;
    let hi = shifts.length - 1;
    let found = 0;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (shifts[mid].record <= record) {
        found = shifts[mid].shift;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  };

  // Events on the ordinal axis: each excluded record e_i (i-th, 0-based) pushes every staged
  // row from ordinal e_i - 2 - i on one record further; each line shift applies from the
  // first staged row at or after its record.
  const events: { g: number; excludedAfter?: number; shift?: number }[] = [];
  excluded.forEach((e, i) => events.push({ g: e - 2 - i, excludedAfter: i + 1 }));
  let x = 0;
  for (const s of shifts) {
    while (x < excluded.length && excluded[x] < s.record) x++;
    events.push({ g: s.record - 2 - x, shift: s.shift });
  }
  events.sort((p, q) => p.g - q.g);
  const steps: { from: number; offset: number }[] = [{ from: 0, offset: 0 }];
  let excludedCount = 0;
  let shift = 0;
  for (let k = 0; k < events.length; ) {
    const g = events[k].g;
    while (k < events.length && events[k].g === g) {
      const ev = events[k++];
      if (ev.excludedAfter !== undefined) excludedCount = Math.max(excludedCount, ev.excludedAfter);
      if (ev.shift !== undefined) shift = ev.shift;
    }
    if (g >= staged) break;
    const offset = excludedCount + shift;
    const last = steps[steps.length - 1];
    if (last.from === g) last.offset = offset;
    else if (last.offset !== offset) steps.push({ from: g, offset });
  }
  return { steps, lineOfRecord: (record) => record + shiftOf(record) };
}
