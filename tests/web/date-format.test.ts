/** Dates and times in Shanghai without Intl time zones: equal to Intl's Asia/Shanghai for instants across the years. */
import { describe, expect, test } from 'vitest';
import { daysSince, formatDateTime, formatDay } from '../../web/src/lib/format/date-format.ts';

const intl = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
const viaIntl = (d: Date) => {
  const p = Object.fromEntries(intl.formatToParts(d).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
};

describe('formatDateTime', () => {
  test('equals Intl in Asia/Shanghai for instants from 1992 to 2040, both languages', () => {
    let seed = 7;
    const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    const instants = [Date.UTC(2026, 2, 30, 15, 59), Date.UTC(2026, 2, 30, 16, 0), Date.UTC(2025, 11, 31, 16, 30), Date.UTC(2024, 1, 28, 16, 5)];
    for (let i = 0; i < 500; i++) instants.push(Date.UTC(1992, 0, 1) + Math.floor(next() * (Date.UTC(2040, 0, 1) - Date.UTC(1992, 0, 1))));
    for (const t of instants) {
      const iso = new Date(t).toISOString();
      expect(formatDateTime(iso, 'zh'), iso).toBe(viaIntl(new Date(t)));
      expect(formatDateTime(iso, 'en'), iso).toBe(viaIntl(new Date(t)));
    }
    expect(formatDateTime('2026-03-30T16:00:00Z', 'zh')).toBe('2026-03-31 00:00');
  });

  test('missing and unreadable values', () => {
    expect(formatDateTime(null, 'zh')).toBe('–');
    expect(formatDateTime('not a date', 'en')).toBe('not a date');
    expect(formatDay('2026-03-31', 'zh')).toBe('2026年3月31日');
  });
});

describe('daysSince', () => {
  test('counts whole days to today in Shanghai (already the next day there at 16:00 UTC)', () => {
    expect(daysSince('2026-03-30', new Date('2026-03-30T15:59:00Z'))).toBe(0);
    expect(daysSince('2026-03-30', new Date('2026-03-30T16:00:00Z'))).toBe(1);
    expect(daysSince('2025-03-31', new Date('2026-03-31T04:00:00Z'))).toBe(365);
  });
});
