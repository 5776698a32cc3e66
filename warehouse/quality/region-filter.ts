/**
 * Which rows of the dq_ tables belong to a region: the region's own row (region_code),
 * its children's rows (one level down), and person-level rows whose village code lies
 * inside it (code prefix: province 51, city 4 digits, county 6, township 9, village 12).
 */
import { levelOfCode, type RegionLevel } from '../reference/regions.ts';

export const CHILD_LEVEL: Readonly<Record<RegionLevel, RegionLevel | undefined>> = {
  province: 'city',
  city: 'county',
  county: 'township',
  township: 'village',
  village: undefined,
};

/** The village-code prefix of everything inside a region. */
export function villagePrefix(code: string): string {
  switch (levelOfCode(code)) {
    case 'province':
      return code.slice(0, 2);
    case 'city':
      return code.slice(0, 4);
    case undefined:
      throw new RangeError(`not a region code: '${code}'`);
    default:
      return code;
  }
}
