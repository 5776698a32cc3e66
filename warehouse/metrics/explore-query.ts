/**
 * The explorer's ad-hoc slices: whitelisted dimensions × measures at any region level,
 * for one or more periods, with filters, over the warehouse cubes. Dimension and measure
 * names come only from the whitelists below and in dimensions.ts (they are also the
 * column names); every value (periods, region prefix, filter values, limit) is bound.
 *
 * Sources, chosen from the request:
 * - agg_flows (when the measures are flows: increases, decreases, net_change; dimension reason)
 * - cube_service_need (when service_need is a dimension or filter; persons with several
 *   needs count once per need)
 * - cube_destination (when dest_province, dest_city or industry is a dimension or filter)
 * - cube_month (otherwise: month-end persons by the person dimensions), or instead
 *   cube_county (the same counts rolled up to counties over six of its dimensions, built at
 *   refresh) when the build has it, the rows are counties, cities or the province, and
 *   every dimension and filter is one of its six: the same sums from far fewer rows
 * Stock measures are read at each period's stock month, flows summed over its months.
 */
import type { RegionLevel } from '../reference/regions.ts';
import { REGION_LEVELS, levelOfCode } from '../reference/regions.ts';
import { DESTINATION_DIMENSIONS, PERSON_DIMENSIONS, getDimension, type DimensionId } from './dimensions.ts';
import type { MetricId } from './catalogue.ts';
import { coveredMonths, stockMonth, type MonthRange, type Period } from './period.ts';
import { regionPrefix } from './region-prefix.ts';
import { valuesList, type SqlValue } from './sql-runner.ts';
import type { MetricSql } from './metric-sql.ts';
import { COUNTY_CUBE_DIMENSIONS as COUNTY_CUBE_DIMENSION_COLUMNS } from '../model/build-aggregates.ts';

export type ExploreSource = 'cube_month' | 'cube_county' | 'cube_destination' | 'cube_service_need' | 'agg_flows';

const EMPLOYED = "employment_status IN ('10', '21', '22', '23', '24', '30')";
const TRANSFER = "employment_status IN ('21', '22', '23', '24', '30')";

/** Person measures over a cube's `count` column (stocks). */
const PERSON_MEASURES = {
  labour_force: { value: 'sum(count)' },
  employed: { value: `coalesce(sum(count) FILTER (WHERE ${EMPLOYED}), 0)` },
  transfer_employed: { value: `coalesce(sum(count) FILTER (WHERE ${TRANSFER}), 0)` },
  out_migrant_in_province: { value: "coalesce(sum(count) FILTER (WHERE employment_status = '22'), 0)" },
  out_migrant_out_province: { value: "coalesce(sum(count) FILTER (WHERE employment_status = '23'), 0)" },
  abroad: { value: "coalesce(sum(count) FILTER (WHERE employment_status = '24'), 0)" },
  unemployed: { value: "coalesce(sum(count) FILTER (WHERE employment_status = '40'), 0)" },
  not_in_labour_force: { value: "coalesce(sum(count) FILTER (WHERE employment_status = '50'), 0)" },
  unemployment_rate: {
    numerator: "coalesce(sum(count) FILTER (WHERE employment_status = '40'), 0)",
    denominator: `coalesce(sum(count) FILTER (WHERE ${EMPLOYED} OR employment_status = '40'), 0)`,
  },
  employment_rate: {
    numerator: `coalesce(sum(count) FILTER (WHERE ${EMPLOYED}), 0)`,
    denominator: `coalesce(sum(count) FILTER (WHERE ${EMPLOYED} OR employment_status = '40'), 0)`,
  },
  at_home: { value: "coalesce(sum(count) FILTER (WHERE presence = '在乡'), 0)" },
  away: { value: "coalesce(sum(count) FILTER (WHERE presence = '在外'), 0)" },
  poverty_employed: { value: `coalesce(sum(count) FILTER (WHERE poverty_alleviated AND ${TRANSFER}), 0)` },
  relocated_employed: { value: `coalesce(sum(count) FILTER (WHERE relocated AND ${TRANSFER}), 0)` },
} as const satisfies Partial<Record<MetricId, MetricSql>>;

const FLOW_MEASURES = {
  increases: { value: "coalesce(sum(count) FILTER (WHERE event_type = '新增'), 0)" },
  decreases: { value: "coalesce(sum(count) FILTER (WHERE event_type = '减少'), 0)" },
  net_change: { value: "coalesce(sum(count) FILTER (WHERE event_type = '新增'), 0) - coalesce(sum(count) FILTER (WHERE event_type = '减少'), 0)" },
} as const satisfies Partial<Record<MetricId, MetricSql>>;

export const EXPLORE_MEASURES: Readonly<Record<string, MetricSql>> = { ...PERSON_MEASURES, ...FLOW_MEASURES };
export type ExploreMeasureId = keyof typeof PERSON_MEASURES | keyof typeof FLOW_MEASURES;
export const EXPLORE_MEASURE_IDS = Object.keys(EXPLORE_MEASURES) as ExploreMeasureId[];

const DESTINATION_MEASURES: readonly ExploreMeasureId[] = ['employed', 'transfer_employed', 'out_migrant_in_province', 'out_migrant_out_province', 'abroad'];
const SERVICE_NEED_MEASURES: readonly ExploreMeasureId[] = ['labour_force', 'employed', 'transfer_employed', 'unemployed', 'not_in_labour_force', 'unemployment_rate', 'employment_rate'];

interface SourceSpec {
  readonly table: ExploreSource;
  readonly dimensions: readonly DimensionId[];
  readonly measures: readonly ExploreMeasureId[];
  readonly flow: boolean;
}

/** Dimensions of cube_county; every person measure needs only these. */
const COUNTY_CUBE_DIMENSIONS: readonly DimensionId[] = COUNTY_CUBE_DIMENSION_COLUMNS;
const COUNTY_CUBE_LEVELS: readonly RegionLevel[] = ['province', 'city', 'county'];

const SOURCES: Readonly<Record<ExploreSource, SourceSpec>> = {
  cube_month: { table: 'cube_month', dimensions: PERSON_DIMENSIONS, measures: Object.keys(PERSON_MEASURES) as ExploreMeasureId[], flow: false },
  cube_county: { table: 'cube_county', dimensions: COUNTY_CUBE_DIMENSIONS, measures: Object.keys(PERSON_MEASURES) as ExploreMeasureId[], flow: false },
  cube_destination: { table: 'cube_destination', dimensions: DESTINATION_DIMENSIONS, measures: DESTINATION_MEASURES, flow: false },
  cube_service_need: { table: 'cube_service_need', dimensions: ['service_need', 'employment_status'], measures: SERVICE_NEED_MEASURES, flow: false },
  agg_flows: { table: 'agg_flows', dimensions: ['reason'], measures: Object.keys(FLOW_MEASURES) as ExploreMeasureId[], flow: true },
};

export const EXPLORE_LIMITS = { maxPeriods: 36, maxDimensions: 4, maxMeasures: 12, maxFilterValues: 200, maxRows: 100_000, defaultRows: 10_000 } as const;

export interface ExploreRequest {
  readonly level: RegionLevel;
  /** Scope: only regions inside this one (default: the province). */
  readonly region: string;
  readonly periods: readonly Period[];
  readonly dimensions: readonly DimensionId[];
  readonly measures: readonly ExploreMeasureId[];
  /** Dimension → accepted values (already checked with parseDimensionValue). */
  readonly filters: Readonly<Partial<Record<DimensionId, readonly (string | boolean)[]>>>;
  readonly limit: number;
}

export interface ExploreColumn {
  readonly name: string;
  readonly type: 'string' | 'number' | 'boolean';
  /** dimension, measure, numerator/denominator of a measure, or a key column. */
  readonly role: 'period' | 'region' | 'dimension' | 'measure' | 'numerator' | 'denominator';
}

export class ExploreError extends Error {
  constructor(
    readonly parameter: string,
    message: string,
  ) {
    super(message);
    this.name = 'ExploreError';
  }
}

/** The source a request reads, or an ExploreError naming what does not fit. */
export function chooseExploreSource(dimensions: readonly DimensionId[], filters: readonly DimensionId[], measures: readonly ExploreMeasureId[]): ExploreSource {
  const used = new Set([...dimensions, ...filters]);
  const flows = measures.filter((m) => m in FLOW_MEASURES);
  let source: ExploreSource;
  if (flows.length) {
    const other = measures.find((m) => !(m in FLOW_MEASURES));
    if (other) throw new ExploreError('measures', `measure '${other}' (a month-end stock) cannot be combined with '${flows[0]}' (a flow) in one slice`);
    source = 'agg_flows';
  } else if (used.has('service_need')) source = 'cube_service_need';
  else if (used.has('dest_province') || used.has('dest_city') || used.has('industry')) source = 'cube_destination';
  else source = 'cube_month';
  const spec = SOURCES[source];
  for (const d of dimensions) if (!spec.dimensions.includes(d)) throw new ExploreError('dimensions', `dimension '${d}' is not available with ${describe(source)}`);
  for (const d of filters) if (!spec.dimensions.includes(d)) throw new ExploreError('filters', `filter on '${d}' is not available with ${describe(source)}`);
  for (const m of measures) if (!spec.measures.includes(m)) throw new ExploreError('measures', `measure '${m}' is not available with ${describe(source)}`);
  return source;
}

function describe(source: ExploreSource): string {
  const s = SOURCES[source];
  return `${source === 'agg_flows' ? 'flow measures' : `the ${source} cube`} (dimensions: ${s.dimensions.join(', ')}; measures: ${s.measures.join(', ')})`;
}

const COUNTY_REGION_SQL: Readonly<Record<'province' | 'city' | 'county', string>> = {
  province: "'510000'",
  city: "substr(c.county_code, 1, 4) || '00'",
  county: 'c.county_code',
};

const VILLAGE_REGION_SQL: Readonly<Record<RegionLevel, string>> = {
  province: "'510000'",
  city: "substr(c.village_code, 1, 4) || '00'",
  county: 'substr(c.village_code, 1, 6)',
  township: 'substr(c.village_code, 1, 9)',
  village: 'c.village_code',
};

export interface ExploreQuery {
  readonly sql: string;
  readonly params: SqlValue[];
  readonly columns: readonly ExploreColumn[];
  readonly source: ExploreSource;
}

/** What the build holds besides the tables every build has. */
export interface ExploreTables {
  /** cube_county exists (builds made before it was added do not have it). */
  readonly countyCube?: boolean;
}

/** The slice's SQL; `sql` is empty when no period lies in the history (no rows). */
export function exploreQuery(req: ExploreRequest, range: MonthRange, tables: ExploreTables = {}): ExploreQuery {
  const scopeLevel = REGION_LEVELS.indexOf(levelOfCode(req.region) ?? 'village');
  if (REGION_LEVELS.indexOf(req.level) < scopeLevel) {
    throw new ExploreError('level', `level '${req.level}' is above the region ${req.region}`);
  }
  const filterDims = Object.keys(req.filters) as DimensionId[];
  let source = chooseExploreSource(req.dimensions, filterDims, req.measures);
  if (
    source === 'cube_month' &&
    tables.countyCube &&
    COUNTY_CUBE_LEVELS.includes(req.level) &&
    [...req.dimensions, ...filterDims].every((d) => COUNTY_CUBE_DIMENSIONS.includes(d))
  ) {
    source = 'cube_county';
  }
  const spec = SOURCES[source];
  const monthRows: SqlValue[][] = [];
  for (const p of req.periods) {
    if (spec.flow) for (const m of coveredMonths(p, range)) monthRows.push([p.id, m]);
    else {
      const m = stockMonth(p, range);
      if (m) monthRows.push([p.id, m]);
    }
  }
  const columns: ExploreColumn[] = [
    { name: 'period', type: 'string', role: 'period' },
    { name: 'region_code', type: 'string', role: 'region' },
    ...req.dimensions.map((d): ExploreColumn => ({ name: d, type: getDimension(d).type === 'boolean' ? 'boolean' : 'string', role: 'dimension' })),
  ];
  const selects: string[] = [];
  for (const id of req.measures) {
    const m = EXPLORE_MEASURES[id];
    if ('value' in m) {
      selects.push(`(${m.value})::DOUBLE AS "${id}"`);
      columns.push({ name: id, type: 'number', role: 'measure' });
    } else {
      selects.push(`(${m.numerator})::DOUBLE / NULLIF((${m.denominator})::DOUBLE, 0) AS "${id}"`, `(${m.numerator})::DOUBLE AS "${id}_numerator"`, `(${m.denominator})::DOUBLE AS "${id}_denominator"`);
      columns.push({ name: id, type: 'number', role: 'measure' }, { name: `${id}_numerator`, type: 'number', role: 'numerator' }, { name: `${id}_denominator`, type: 'number', role: 'denominator' });
    }
  }
  if (monthRows.length === 0) return { sql: '', params: [], columns, source };
  const p = valuesList(monthRows, ['VARCHAR', 'VARCHAR']);
  const params: SqlValue[] = [...p.params];
  const where: string[] = [];
  let regionSql: string;
  if (source === 'agg_flows') {
    regionSql = 'c.region_code';
    where.push('c.level = ?', 'starts_with(c.region_code, ?)');
    params.push(req.level, regionPrefix(req.region));
  } else if (source === 'cube_county') {
    regionSql = COUNTY_REGION_SQL[req.level as keyof typeof COUNTY_REGION_SQL];
    where.push('starts_with(c.county_code, ?)');
    params.push(regionPrefix(req.region));
  } else {
    regionSql = VILLAGE_REGION_SQL[req.level];
    where.push('starts_with(c.village_code, ?)');
    params.push(regionPrefix(req.region));
  }
  for (const d of filterDims) {
    const values = req.filters[d] ?? [];
    if (values.length === 0) throw new ExploreError('filters', `filter on '${d}' has no values`);
    where.push(`c.${d} IN (${values.map(() => `?::${getDimension(d).type === 'boolean' ? 'BOOLEAN' : 'VARCHAR'}`).join(', ')})`);
    params.push(...values);
  }
  params.push(req.limit + 1);
  const keys = 2 + req.dimensions.length;
  const sql = `WITH p(period, month) AS (VALUES ${p.sql})
SELECT p.period, ${regionSql} AS region_code${req.dimensions.map((d) => `, c.${d} AS ${d}`).join('')}, ${selects.join(', ')}
FROM ${spec.table} c JOIN p ON c.month = p.month
WHERE ${where.join(' AND ')}
GROUP BY ${Array.from({ length: keys }, (_, i) => i + 1).join(', ')}
ORDER BY ${Array.from({ length: keys }, (_, i) => `${i + 1} NULLS LAST`).join(', ')}
LIMIT ?::BIGINT`;
  return { sql, params, columns, source };
}
