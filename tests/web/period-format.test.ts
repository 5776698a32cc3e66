/** Period labels and month arithmetic of the pickers. */
import { describe, expect, test } from 'vitest';
import { addMonths, formatPeriod, monthRange, periodChoices, periodKind } from '../../web/src/lib/format/period-format.ts';

describe('periods', () => {
  test('kinds and labels in both languages', () => {
    expect(periodKind('2026-03')).toBe('month');
    expect(periodKind('2026-Q1')).toBe('quarter');
    expect(periodKind('2026')).toBe('year');
    expect(periodKind('2026-13')).toBeUndefined();
    expect(formatPeriod('2026-03', 'zh')).toBe('2026年3月');
    expect(formatPeriod('2026-Q1', 'zh')).toBe('2026年第1季度');
    expect(formatPeriod('2026-Q1', 'en')).toBe('2026 Q1');
    expect(formatPeriod('2025', 'zh')).toBe('2025年');
  });

  test('month arithmetic across years and the choices of a range', () => {
    expect(addMonths('2026-01', -1)).toBe('2025-12');
    expect(addMonths('2025-12', 13)).toBe('2027-01');
    expect(monthRange('2025-11', '2026-02')).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
    expect(periodChoices('2025-11', '2026-02')).toEqual({
      months: ['2026-02', '2026-01', '2025-12', '2025-11'],
      quarters: ['2026-Q1', '2025-Q4'],
      years: ['2026', '2025'],
    });
  });
});
