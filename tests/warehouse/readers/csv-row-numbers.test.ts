import { describe, expect, test } from 'vitest';
import type { CsvRecordLayout } from '../../../warehouse/readers/csv-record-scanner.ts';
import { planRowNumbers, RowNumberMismatchError } from '../../../warehouse/readers/csv-row-numbers.ts';

/** Brute force: walk every record, give each staged one its line. */
function bruteForce(layout: CsvRecordLayout, rejected: number[]): { staged: number[]; rejectedLines: number[] } {
  const shiftOf = (r: number): number => layout.lineShifts.filter((s) => s.record <= r).at(-1)?.shift ?? 0;
  const staged: number[] = [];
  for (let r = 2; r <= layout.records; r++) {
    if (!layout.blankRecords.includes(r) && !rejected.includes(r)) staged.push(r + shiftOf(r));
  }
  return { staged, rejectedLines: rejected.map((r) => r + shiftOf(r)) };
}

function applyPlan(steps: readonly { from: number; offset: number }[], staged: number): number[] {
  const out: number[] = [];
  for (let g = 0; g < staged; g++) {
    const step = steps.filter((s) => s.from <= g).at(-1)!;
    out.push(g + 2 + step.offset);
  }
  return out;
}

describe('planRowNumbers', () => {
  test('no blank lines, no rejects, no line breaks: one step, row_no = ordinal + 2', () => {
    const plan = planRowNumbers({ records: 6, blankRecords: [], lineShifts: [] }, [], 5);
    expect(plan.steps).toEqual([{ from: 0, offset: 0 }]);
    expect(plan.lineOfRecord(4)).toBe(4);
  });

  test('a worked example: rejects, a blank line, quoted line breaks', () => {
    // records: 1 header, 2 ok, 3 ok spanning 2 lines, 4 rejected, 5 blank, 6 ok, 7 rejected, 8 ok
    const layout: CsvRecordLayout = { records: 8, blankRecords: [5], lineShifts: [{ record: 4, shift: 1 }] };
    const plan = planRowNumbers(layout, [4, 7], 4);
    expect(applyPlan(plan.steps, 4)).toEqual([2, 3, 7, 9]);
    expect([4, 7].map(plan.lineOfRecord)).toEqual([5, 8]);
  });

  test('matches brute force on random layouts', () => {
    let seed = 7;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    for (let round = 0; round < 500; round++) {
      const records = 1 + Math.floor(random() * 40);
      const blankRecords: number[] = [];
      const rejected: number[] = [];
      const lineShifts: { record: number; shift: number }[] = [];
      let shift = 0;
      for (let r = 2; r <= records; r++) {
        const x = random();
        if (x < 0.15) blankRecords.push(r);
        else if (x < 0.35) rejected.push(r);
        if (random() < 0.2) {
          shift += 1 + Math.floor(random() * 3);
          lineShifts.push({ record: r, shift });
        }
      }
      const layout = { records, blankRecords, lineShifts };
      const staged = records - 1 - blankRecords.length - rejected.length;
      const plan = planRowNumbers(layout, rejected, staged);
      const expected = bruteForce(layout, rejected);
      expect(applyPlan(plan.steps, staged), JSON.stringify({ layout, rejected })).toEqual(expected.staged);
      expect(rejected.map(plan.lineOfRecord)).toEqual(expected.rejectedLines);
      expect(plan.steps[0].from).toBe(0);
    }
  });

  test('counts that do not add up are refused', () => {
    expect(() => planRowNumbers({ records: 5, blankRecords: [], lineShifts: [] }, [3], 4)).toThrow(RowNumberMismatchError);
    expect(() => planRowNumbers({ records: 5, blankRecords: [3], lineShifts: [] }, [3], 2)).toThrow(/both blank and rejected/);
    expect(() => planRowNumbers({ records: 5, blankRecords: [], lineShifts: [] }, [9], 3)).toThrow(/outside records/);
  });
});
