/**
 * Rolls village-level rows up the region hierarchy by code prefix: a village code
 * (12 digits) belongs to township = first 9, county = first 6, city = first 4 + '00',
 * province 510000. Used by every aggregate that is kept at every level.
 */
import { PROVINCE_CODE } from '../reference/regions.ts';
import { sqlConstant } from '../validate/sql-constant.ts';

export const LEVELS = ['province', 'city', 'county', 'township', 'village'] as const;

/** SQL of the region code at `level` of a village code expression. */
export function regionAtLevelSql(villageExpr: string, levelExpr: string): string {
  return `CASE ${levelExpr}
    WHEN 'province' THEN ${sqlConstant(PROVINCE_CODE)}
    WHEN 'city' THEN substr(${villageExpr}, 1, 4) || '00'
    WHEN 'county' THEN substr(${villageExpr}, 1, 6)
    WHEN 'township' THEN substr(${villageExpr}, 1, 9)
    ELSE ${villageExpr} END`;
}

/** A FROM-clause fragment producing one row per level: `CROSS JOIN (...) lv(level)`. */
export function levelsJoin(levels: readonly string[] = LEVELS): string {
  return `CROSS JOIN (VALUES ${levels.map((l) => `(${sqlConstant(l)})`).join(', ')}) lv(level)`;
}
