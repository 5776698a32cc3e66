/** The login redirect target and the explorer's filter parameter. */
import { describe, expect, test } from 'vitest';
import { safeNext } from '../../web/src/lib/url/safe-next.ts';
import { formatFilters, parseFilters } from '../../web/src/lib/components/explore/explore-filters.ts';

describe('safeNext', () => {
  test('keeps paths of this site and the language', () => {
    expect(safeNext('/festival?region=511702', null)).toBe('/festival?region=511702');
    expect(safeNext('/festival?region=511702', 'en')).toBe('/festival?region=511702&lang=en');
    expect(safeNext('/?lang=zh', 'en')).toBe('/?lang=zh');
    expect(safeNext(null, 'en')).toBe('/?lang=en');
  });

  test('refuses other origins and the login page itself', () => {
    for (const bad of ['//evil.example/x', 'https://evil.example/', '/\\evil.example', 'javascript:alert(1)', '/login?next=/x']) expect(safeNext(bad, null)).toBe('/');
  });
});

describe('explorer filters in the URL', () => {
  test('round-trip; empty lists and malformed parts are dropped', () => {
    const f = { sex: ['男', '女'], age_band: ['25-34'], poverty_alleviated: [] };
    const text = formatFilters(f);
    expect(text).toBe('sex:男|女;age_band:25-34');
    expect(parseFilters(text)).toEqual({ sex: ['男', '女'], age_band: ['25-34'] });
    expect(parseFilters('nonsense;:x;sex:|')).toEqual({});
    expect(parseFilters(null)).toEqual({});
    expect(formatFilters({})).toBeNull();
  });
});
