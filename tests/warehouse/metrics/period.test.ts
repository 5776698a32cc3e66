import { describe, expect, test } from 'vitest';
import { addMonths, coveredMonths, monthEndDate, parsePeriod, periodCount, periodOf, periodsBetween, previousPeriod, samePeriodLastYear, stockMonth } from '../../../warehouse/metrics/period.ts';

describe('periods', () => {
  test('parses months, quarters and years with their months and days', () => {
    expect(periodOf('2024-02')).toMatchObject({ kind: 'month', months: ['2024-02'], startDate: '2024-02-01', endDate: '2024-02-29' });
    expect(periodOf('2025-Q4')).toMatchObject({ kind: 'quarter', months: ['2025-10', '2025-11', '2025-12'], endDate: '2025-12-31' });
    expect(periodOf('2025').months).toHaveLength(12);
    for (const bad of ['2025-13', '2025-00', '2025-Q0', '2025-Q5', '25-01', '2025-1', '1999', '2100-01', '2025-01-01', ' 2025', '2025-q1']) expect(parsePeriod(bad), bad).toBeUndefined();
  });

  test('neighbours and ranges', () => {
    expect(previousPeriod(periodOf('2025-01')).id).toBe('2024-12');
    expect(previousPeriod(periodOf('2025-Q1')).id).toBe('2024-Q4');
    expect(samePeriodLastYear(periodOf('2025-03')).id).toBe('2024-03');
    expect(samePeriodLastYear(periodOf('2025-Q2')).id).toBe('2024-Q2');
    expect(samePeriodLastYear(periodOf('2025')).id).toBe('2024');
    expect(periodsBetween(periodOf('2024-11'), periodOf('2025-02')).map((p) => p.id)).toEqual(['2024-11', '2024-12', '2025-01', '2025-02']);
    expect(periodsBetween(periodOf('2024-Q4'), periodOf('2025-Q2')).map((p) => p.id)).toEqual(['2024-Q4', '2025-Q1', '2025-Q2']);
    expect(periodCount(periodOf('2000-01'), periodOf('2099-12'))).toBe(1200);
    expect(periodsBetween(periodOf('2099-11'), periodOf('2099-12')).map((p) => p.id)).toEqual(['2099-11', '2099-12']);
    expect(periodCount(periodOf('2025-03'), periodOf('2025-01'))).toBe(0);
    expect(() => periodCount(periodOf('2025-03'), periodOf('2025'))).toThrow(/different kinds/);
    expect(addMonths('2025-01', -13)).toBe('2023-12');
    expect(monthEndDate('2100-02')).toBe('2100-02-28');
  });

  test('stock month and flow months are clipped to the history', () => {
    const range = { firstMonth: '2024-10', lastMonth: '2026-03' };
    expect(stockMonth(periodOf('2026-Q1'), range)).toBe('2026-03');
    expect(stockMonth(periodOf('2026'), range)).toBe('2026-03');
    expect(coveredMonths(periodOf('2024'), range)).toEqual(['2024-10', '2024-11', '2024-12']);
    expect(stockMonth(periodOf('2024-09'), range)).toBeUndefined();
    expect(stockMonth(periodOf('2026-Q2'), range)).toBeUndefined();
  });
});
