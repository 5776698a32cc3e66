import { test, expect, describe } from 'vitest';
import { springFestivalDate, dayRelativeToFestival, FESTIVAL_WINDOW } from '../../../warehouse/reference/festival.ts';

/** 春节 (正月初一) dates as published in the official calendar (紫金山天文台 / 中国天文年历). */
const PUBLISHED: Record<number, string> = {
  2015: '2015-02-19', 2016: '2016-02-08', 2017: '2017-01-28', 2018: '2018-02-16', 2019: '2019-02-05',
  2020: '2020-01-25', 2021: '2021-02-12', 2022: '2022-02-01', 2023: '2023-01-22', 2024: '2024-02-10',
  2025: '2025-01-29', 2026: '2026-02-17', 2027: '2027-02-06', 2028: '2028-01-26', 2029: '2029-02-13',
  2030: '2030-02-03', 2031: '2031-01-23', 2032: '2032-02-11', 2033: '2033-01-31', 2034: '2034-02-19',
  2035: '2035-02-08', 2036: '2036-01-28', 2037: '2037-02-15', 2038: '2038-02-04', 2039: '2039-01-24',
  2040: '2040-02-12', 2050: '2050-01-23',
};

describe('springFestivalDate', () => {
  test('2022-2028 as published', () => {
    expect([2022, 2023, 2024, 2025, 2026, 2027, 2028].map(springFestivalDate)).toEqual([
      '2022-02-01', '2023-01-22', '2024-02-10', '2025-01-29', '2026-02-17', '2027-02-06', '2028-01-26',
    ]);
  });

  test('earlier and later years, computed rather than looked up (2030-02-03, 2035-02-08, ... 2050)', () => {
    for (const [year, date] of Object.entries(PUBLISHED)) expect(springFestivalDate(Number(year)), year).toBe(date);
  });

  test('always between 21 January and 20 February, and the same answer twice', () => {
    for (let y = 1950; y <= 2100; y++) {
      const d = springFestivalDate(y);
      expect(d.startsWith(`${y}-`), d).toBe(true);
      const md = d.slice(5);
      expect(md >= '01-21' && md <= '02-20', d).toBe(true);
      expect(springFestivalDate(y)).toBe(d);
    }
  });
});

describe('dayRelativeToFestival', () => {
  test('day 0, before (negative) and after (positive)', () => {
    expect(dayRelativeToFestival('2025-01-29', 2025)).toBe(0);
    expect(dayRelativeToFestival('2025-01-28', 2025)).toBe(-1);
    expect(dayRelativeToFestival('2025-01-30', 2025)).toBe(1);
    expect(dayRelativeToFestival('2024-12-15', 2025)).toBe(-45);
    expect(dayRelativeToFestival('2025-03-30', 2025)).toBe(60);
  });

  test('across month, year and leap-day boundaries', () => {
    expect(dayRelativeToFestival('2024-03-01', 2024)).toBe(20); // 2024-02-10 + 19 days of February + 1
    expect(dayRelativeToFestival('2026-01-01', 2025)).toBe(337);
    expect(dayRelativeToFestival('2025-01-29', 2026)).toBe(-384);
  });

  test('the analysis window is day -45 to day +60', () => {
    expect(FESTIVAL_WINDOW).toEqual({ before: 45, after: 60 });
    const start = new Date(Date.parse('2026-02-17T00:00:00Z') - FESTIVAL_WINDOW.before * 86_400_000).toISOString().slice(0, 10);
    expect(start).toBe('2026-01-03');
    expect(dayRelativeToFestival(start, 2026)).toBe(-FESTIVAL_WINDOW.before);
  });
});
