/**
 * What a warehouse build covers, from its meta table: the months of history (the last
 * one may be partial), the data date and the version.
 */
import type { SqlRunner } from './sql-runner.ts';
import type { MonthRange } from './period.ts';

export interface WarehouseCoverage extends MonthRange {
  /** Last day covered by the data, `YYYY-MM-DD`. */
  readonly dataAsOf: string;
  readonly version: string;
}

export async function readWarehouseCoverage(run: SqlRunner): Promise<WarehouseCoverage> {
  const rows = await run("SELECT key, value FROM meta WHERE key IN ('version', 'data_as_of', 'first_month', 'last_month')", []);
  const meta = new Map(rows.map((r) => [String(r.key), String(r.value)]));
  const need = (k: string) => {
    const v = meta.get(k);
    if (!v) throw new Error(`warehouse meta has no '${k}'`);
    return v;
  };
  return { version: need('version'), dataAsOf: need('data_as_of'), firstMonth: need('first_month'), lastMonth: need('last_month') };
}
