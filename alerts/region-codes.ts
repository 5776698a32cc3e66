/**
 * Region-code containment for alerts: a region contains itself and every code below
 * it (province 510000 → all 51…, city 511700 → 5117…, county/township → their prefix).
 * A point alert is placed by its township (its scope).
 */
import { levelOfCode, PROVINCE_CODE } from '../warehouse/reference/regions.ts';
import type { AlertLevel } from './alert-level.ts';

/** The code prefix shared by a region and all its descendants. */
export function codePrefix(code: string): string {
  const level = levelOfCode(code);
  if (level === 'province') return code.slice(0, 2);
  if (level === 'city') return code.slice(0, 4);
  return code;
}

/** Whether the alert placed at `scope` (its region, or a point's township) lies in `region`. */
export function scopeWithin(region: string, scope: string): boolean {
  const lr = levelOfCode(region);
  const ls = levelOfCode(scope);
  if (!lr || !ls) return false;
  if (lr === 'city' && ls === 'province') return false;
  if (lr !== 'province' && lr !== 'city' && (ls === 'city' || ls === 'province')) return false;
  return scope.startsWith(codePrefix(region));
}

/** Ancestor region codes of an alert's region, nearest first (a point's township comes first). */
export function ancestorsOf(level: AlertLevel, region: string, scope: string): string[] {
  const city = `${scope.slice(0, 4)}00`;
  switch (level) {
    case 'point':
      return [scope.slice(0, 9), scope.slice(0, 6), city, PROVINCE_CODE];
    case 'village':
      return [region.slice(0, 9), region.slice(0, 6), city, PROVINCE_CODE];
    case 'township':
      return [region.slice(0, 6), city, PROVINCE_CODE];
    case 'county':
      return [city, PROVINCE_CODE];
    case 'city':
      return [PROVINCE_CODE];
    default:
      return [];
  }
}
