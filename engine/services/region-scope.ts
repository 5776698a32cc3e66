/**
 * Region containment by code: a user bound to a region may read that region and
 * everything below it. Province 510000 contains every 51… code; a city 511700 every code
 * starting 5117; a county 511702 every code starting 511702; a township its 9 digits;
 * a village only itself.
 */
import { levelOfCode } from '../../warehouse/reference/regions.ts';

/** The code prefix shared by a region and all its descendants. */
export function regionPrefix(code: string): string {
  switch (levelOfCode(code)) {
    case 'province':
      return code.slice(0, 2);
    case 'city':
      return code.slice(0, 4);
    default:
      return code;
  }
}

/** Whether `code` is the scope region itself or lies below it. */
export function regionContains(scope: string, code: string): boolean {
  if (!levelOfCode(code) || !levelOfCode(scope)) return false;
  if (levelOfCode(code) === 'city' || levelOfCode(code) === 'province') {
    // 6-digit city/province codes: contained only by themselves or a higher level.
    const lc = levelOfCode(code);
    const ls = levelOfCode(scope);
    if (ls === 'province') return code.startsWith(scope.slice(0, 2));
    if (ls === 'city') return lc === 'city' && code === scope;
    return false;
  }
  return code.startsWith(regionPrefix(scope));
}
