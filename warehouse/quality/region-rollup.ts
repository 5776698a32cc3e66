/**
 * SQL for rolling township-level rows up to region levels in one pass (GROUPING SETS):
 * township, county, city and the province 510000. The source relation must have the
 * code columns of the levels asked for (township_code, county_code, city_code); `keys`
 * are further grouping columns kept at every level (e.g. month). Only trusted
 * identifiers and expressions from this module's callers reach it, never values.
 */
export type RollupLevel = 'township' | 'county' | 'city' | 'province';

const LEVEL_COLUMNS: Readonly<Record<RollupLevel, readonly string[]>> = {
  township: ['city_code', 'county_code', 'township_code'],
  county: ['city_code', 'county_code'],
  city: ['city_code'],
  province: [],
};

const ORDER: readonly RollupLevel[] = ['township', 'county', 'city', 'province'];

export function regionRollupSql(o: { from: string; keys?: readonly string[]; measures: string; levels?: readonly RollupLevel[] }): string {
  const keys = o.keys ?? [];
  const levels = ORDER.filter((l) => (o.levels ?? ORDER).includes(l));
  const sets = levels.map((l) => `(${[...LEVEL_COLUMNS[l], ...keys].join(', ')})`);
  const finest = levels[0];
  const used = new Set(LEVEL_COLUMNS[finest]);
  const branches = levels
    .filter((l) => l !== 'province')
    .map((l) => ({ l, col: `${l}_code` }))
    .filter(({ col }) => used.has(col));
  const code = branches.map(({ col }) => `WHEN grouping(${col}) = 0 THEN ${col}`).join(' ');
  const level = branches.map(({ l, col }) => `WHEN grouping(${col}) = 0 THEN '${l}'`).join(' ');
  return `SELECT
      ${branches.length ? `CASE ${code} ELSE '510000' END` : `'510000'`} AS region_code,
      ${branches.length ? `CASE ${level} ELSE 'province' END` : `'province'`} AS level,
      ${keys.map((k) => `${k}, `).join('')}${o.measures}
    FROM ${o.from}
    GROUP BY GROUPING SETS (${sets.join(', ')})`;
}
