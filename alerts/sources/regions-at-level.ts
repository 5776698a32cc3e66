/**
 * Every region code of a level, from the reference region tree.
 */
import type { AlertLevel } from '../alert-level.ts';
import { loadRegions, PROVINCE_CODE } from '../../warehouse/reference/regions.ts';

export function regionsAt(level: AlertLevel): string[] {
  const t = loadRegions();
  switch (level) {
    case 'province':
      return [PROVINCE_CODE];
    case 'city':
      return t.cities.map((r) => r.code);
    case 'county':
      return t.counties.map((r) => r.code);
    case 'township':
      return t.townships.map((r) => r.code);
    case 'village':
      return t.villages.map((r) => r.code);
    default:
      return [];
  }
}
