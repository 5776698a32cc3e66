/** The explorer's pivot: cells, totals, counts summed and rates recomputed from numerators and denominators. */
import { describe, expect, test } from 'vitest';
import { pivot } from '../../web/src/lib/components/explore/pivot.ts';

const rows = [
  { region_code: 'A', sex: '男', labour_force: 10, rate: 0.1, rate_numerator: 1, rate_denominator: 10 },
  { region_code: 'A', sex: '女', labour_force: 30, rate: 0.2, rate_numerator: 6, rate_denominator: 30 },
  { region_code: 'B', sex: '男', labour_force: 5, rate: null, rate_numerator: 0, rate_denominator: 0 },
  { region_code: 'B', sex: '男', labour_force: 7, rate: 0.5, rate_numerator: 2, rate_denominator: 4 },
];

describe('pivot', () => {
  test('counts: cells and totals are sums', () => {
    const p = pivot(rows, { rowField: 'region_code', columnField: 'sex', measure: 'labour_force', isRate: false });
    expect(p.rowKeys).toEqual(['A', 'B']);
    expect(p.columnKeys).toEqual(['女', '男']);
    expect(p.cell('A', '男')).toBe(10);
    expect(p.cell('B', '男')).toBe(12);
    expect(p.cell('B', '女')).toBeNull();
    expect(p.rowTotal('A')).toBe(40);
    expect(p.columnTotal('男')).toBe(22);
    expect(p.total).toBe(52);
  });

  test('rates: sum(numerator) / sum(denominator), null when the denominator is 0', () => {
    const p = pivot(rows, { rowField: 'region_code', columnField: null, measure: 'rate', isRate: true });
    expect(p.columnKeys).toEqual(['']);
    expect(p.rowTotal('A')).toBeCloseTo(7 / 40, 12);
    expect(p.rowTotal('B')).toBe(0.5);
    expect(p.total).toBeCloseTo(9 / 44, 12);
    const zero = pivot([rows[2]], { rowField: 'region_code', columnField: null, measure: 'rate', isRate: true });
    expect(zero.total).toBeNull();
  });
});
