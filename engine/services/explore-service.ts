/**
 * The explorer: checks an explorer request against the whitelists, runs the slice over
 * the served warehouse (uncached: slices are ad hoc and may be large) and returns a
 * table with region names added.
 */
import type { DuckDBValue } from '@duckdb/node-api';
import type { WarehousePool } from './warehouse-pool.ts';
import { EXPLORE_LIMITS, ExploreError, exploreQuery, type ExploreMeasureId, type ExploreQuery, type ExploreTables } from '../../warehouse/metrics/explore-query.ts';
import { getDimension, isDimensionId, parseDimensionValue, type DimensionId } from '../../warehouse/metrics/dimensions.ts';
import { readWarehouseCoverage } from '../../warehouse/metrics/warehouse-coverage.ts';
import { loadRegions, type RegionLevel } from '../../warehouse/reference/regions.ts';
import { badRequest } from '../plugins/errors.ts';
import { periodParam, regionParam } from './metric-params.ts';
import type { TableCell, TableColumn, TableResult } from './table-result.ts';

export interface ExploreBody {
  readonly level: RegionLevel;
  readonly region?: string;
  readonly periods: readonly string[];
  readonly dimensions?: readonly string[];
  readonly measures: readonly string[];
  readonly filters?: Readonly<Record<string, readonly (string | boolean)[]>>;
  readonly limit?: number;
}

export interface ExploreResult extends TableResult {
  readonly source: string;
  readonly truncated: boolean;
}

export class ExploreService {
  constructor(private readonly pool: WarehousePool) {}

  /** Optional tables of the served build, looked up once per warehouse version. */
  tables(): Promise<ExploreTables> {
    return this.pool.perVersion('explore-tables', async (run) => {
      const rows = await run("SELECT count(*) AS n FROM duckdb_tables() WHERE schema_name = 'main' AND table_name = 'cube_county'");
      return { countyCube: Number(rows[0]?.n ?? 0) > 0 };
    });
  }

  async explore(body: ExploreBody): Promise<ExploreResult> {
    const region = regionParam(body.region ?? '510000');
    const periods = body.periods.map((p, i) => periodParam(p, `periods.${i}`));
    const filters: Partial<Record<DimensionId, (string | boolean)[]>> = {};
    for (const [name, values] of Object.entries(body.filters ?? {})) {
      if (!isDimensionId(name)) throw badRequest(`parameter 'filters' names an unknown dimension '${name}'`);
      const dim = getDimension(name);
      filters[name] = values.map((v) => {
        const parsed = parseDimensionValue(dim, String(v));
        if (parsed === undefined) throw badRequest(`parameter 'filters.${name}' has a value '${String(v)}' that is not a ${dim.en.toLowerCase()} code`);
        return parsed;
      });
    }
    const limit = body.limit ?? EXPLORE_LIMITS.defaultRows;
    const [coverage, tables] = await Promise.all([readWarehouseCoverage((sql, params) => this.pool.query(sql, params as DuckDBValue[])), this.tables()]);
    let q: ExploreQuery;
    try {
      q = exploreQuery(
        {
          level: body.level,
          region: region.code,
          periods,
          dimensions: (body.dimensions ?? []) as DimensionId[],
          measures: body.measures as ExploreMeasureId[],
          filters,
          limit,
        },
        coverage,
        tables,
      );
    } catch (err) {
      if (err instanceof ExploreError) throw badRequest(`parameter '${err.parameter}': ${err.message}`);
      throw err;
    }
    const regionName: TableColumn = { name: 'region_name', type: 'string' };
    const columns: TableColumn[] = [q.columns[0], q.columns[1], regionName, ...q.columns.slice(2)].map((c) => ({ name: c.name, type: c.type }));
    if (!q.sql) return { source: q.source, columns, rows: [], truncated: false };
    const raw = await this.pool.query(q.sql, q.params as DuckDBValue[], { cache: false });
    const truncated = raw.length > limit;
    const names = loadRegions().byCode;
    const rows = raw.slice(0, limit).map((r) => {
      const row: Record<string, TableCell> = {};
      for (const c of columns) row[c.name] = c.name === 'region_name' ? (names.get(String(r.region_code))?.name ?? null) : ((r[c.name] as TableCell) ?? null);
      return row;
    });
    return { source: q.source, columns, rows, truncated };
  }
}
