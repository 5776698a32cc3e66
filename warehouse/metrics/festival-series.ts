/**
 * Day-aligned Spring Festival series: per festival year and group (a child region, or a
 * value of a festival dimension, or everything), the daily 返乡 (returned) and 外出
 * (departed) counts on the day axis relative to day 0 (正月初一), and the cumulative
 * figures of the festival metrics (cumulated from day −45, as in festival-metrics.ts).
 * Days before the warehouse history or after data_as_of are null (unknown), not 0.
 */
import { FESTIVAL_WINDOW, springFestivalDate } from '../reference/festival.ts';
import { FESTIVAL_DIMENSIONS, getDimension, type DimensionId } from './dimensions.ts';
import { addDays } from './festival-window.ts';
import { num, valuesList, type SqlRunner, type SqlValue } from './sql-runner.ts';
import type { WarehouseCoverage } from './warehouse-coverage.ts';

export type FestivalGrouping = 'none' | 'region' | DimensionId;

export interface FestivalSeriesRequest {
  /** The region, or with grouping 'region' the parent whose children are the groups. */
  readonly region: string;
  readonly children: readonly string[];
  readonly years: readonly number[];
  readonly grouping: FestivalGrouping;
  readonly filters: Readonly<Partial<Record<DimensionId, readonly (string | boolean)[]>>>;
  readonly fromDay: number;
  readonly toDay: number;
}

export interface FestivalSeries {
  readonly year: number;
  readonly group: string;
  readonly returned: (number | null)[];
  readonly departed: (number | null)[];
  readonly cumulativeReturned: (number | null)[];
  readonly cumulativeDeparted: (number | null)[];
  readonly notDeparted: (number | null)[];
  readonly returnRate: (number | null)[];
}

export function isFestivalGrouping(v: string): v is FestivalGrouping {
  return v === 'none' || v === 'region' || (FESTIVAL_DIMENSIONS as readonly string[]).includes(v);
}

export async function festivalSeries(run: SqlRunner, coverage: WarehouseCoverage, req: FestivalSeriesRequest): Promise<FestivalSeries[]> {
  const regions = req.grouping === 'region' ? req.children : [req.region];
  if (regions.length === 0 || req.years.length === 0) return [];
  const r = valuesList(regions.map((c) => [c]), ['VARCHAR']);
  const params: SqlValue[] = [...r.params, ...regions, ...req.years, -FESTIVAL_WINDOW.before, req.toDay];
  const where = [`f.region_code IN (${regions.map(() => '?::VARCHAR').join(', ')})`, 'f.festival_year IN (' + req.years.map(() => '?::INTEGER').join(', ') + ')', 'f.day BETWEEN ?::INTEGER AND ?::INTEGER'];
  for (const [d, values] of Object.entries(req.filters) as [DimensionId, (string | boolean)[]][]) {
    if (!(FESTIVAL_DIMENSIONS as readonly string[]).includes(d)) throw new Error(`'${d}' is not a festival dimension`);
    const t = getDimension(d).type === 'boolean' ? 'BOOLEAN' : 'VARCHAR';
    where.push(`f.${d} IN (${values.map(() => `?::${t}`).join(', ')})`);
    params.push(...values);
  }
  const groupSql = req.grouping === 'none' ? "'all'" : req.grouping === 'region' ? 'f.region_code' : `CAST(f.${getDimension(req.grouping).id} AS VARCHAR)`;
  const sql = `WITH r(code) AS (VALUES ${r.sql})
SELECT f.festival_year AS year, ${groupSql} AS grp, f.day AS day, sum(f.returned)::DOUBLE AS returned, sum(f.departed)::DOUBLE AS departed
FROM festival_daily f JOIN r ON f.region_code = r.code
WHERE ${where.join(' AND ')}
GROUP BY 1, 2, 3`;
  const rows = await run(sql, params);
  const byKey = new Map<string, Map<number, { returned: number; departed: number }>>();
  for (const row of rows) {
    const key = `${num(row.year)}|${String(row.grp)}`;
    if (!byKey.has(key)) byKey.set(key, new Map());
    byKey.get(key)!.set(num(row.day)!, { returned: num(row.returned) ?? 0, departed: num(row.departed) ?? 0 });
  }
  const groups = req.grouping === 'region' ? [...regions] : req.grouping === 'none' ? ['all'] : [...new Set(rows.map((x) => String(x.grp)))].sort();
  const historyStart = `${coverage.firstMonth}-01`;
  const out: FestivalSeries[] = [];
  for (const year of req.years) {
    const day0 = springFestivalDate(year);
    for (const group of groups) {
      const days = byKey.get(`${year}|${group}`) ?? new Map();
      const s: FestivalSeries = { year, group, returned: [], departed: [], cumulativeReturned: [], cumulativeDeparted: [], notDeparted: [], returnRate: [] };
      let cr = 0;
      let cd = 0;
      let known = true;
      for (let d = -FESTIVAL_WINDOW.before; d <= req.toDay; d++) {
        const date = addDays(day0, d);
        const inHistory = date >= historyStart && date <= coverage.dataAsOf;
        if (!inHistory) known = false;
        const v = days.get(d) ?? { returned: 0, departed: 0 };
        cr += v.returned;
        cd += v.departed;
        if (d < req.fromDay) continue;
        s.returned.push(inHistory ? v.returned : null);
        s.departed.push(inHistory ? v.departed : null);
        s.cumulativeReturned.push(known ? cr : null);
        s.cumulativeDeparted.push(known ? cd : null);
        s.notDeparted.push(known ? cr - cd : null);
        s.returnRate.push(known && cr > 0 ? cd / cr : null);
      }
      out.push(s);
    }
  }
  return out;
}
