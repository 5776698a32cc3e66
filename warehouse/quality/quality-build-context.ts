/**
 * What every quality-table step gets: a connection to the warehouse build being written,
 * the catalog the build is attached as, the settings, and the build's dates from its
 * meta table.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { QualitySettings } from './quality-settings.ts';
import { bindNamed, type NamedParams } from './bind-named.ts';

export interface QualityBuildContext {
  readonly conn: DuckDBConnection;
  readonly settings: QualitySettings;
  /** Qualified name of a table of the build (e.g. `wh.person_spells` when attached as wh). */
  readonly t: (table: string) => string;
  /** Last day covered by the data (meta data_as_of). */
  readonly dataAsOf: string;
  /** First and last report month of the build (meta first_month, last_month). */
  readonly firstMonth: string;
  readonly lastMonth: string;
}

/** Runs one statement with the named parameters it mentions from `bag`. */
export async function runNamed(ctx: Pick<QualityBuildContext, 'conn'>, sql: string, bag: NamedParams = {}): Promise<void> {
  await ctx.conn.run(sql, bindNamed(sql, bag));
}

const IDENT = /^[a-z_][a-z0-9_]*$/;

/** Builds the table-name function for a catalog (undefined = the connection's default). */
export function catalogTables(catalog: string | undefined): (table: string) => string {
  if (catalog !== undefined && !IDENT.test(catalog)) throw new Error(`invalid catalog name '${catalog}'`);
  return (table: string) => {
    if (!IDENT.test(table)) throw new Error(`invalid table name '${table}'`);
    return catalog ? `${catalog}.${table}` : table;
  };
}
