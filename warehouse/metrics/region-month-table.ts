/**
 * agg_region_month of one warehouse build held in memory, for the regions above village
 * level (province, cities, counties, townships: a few thousand regions × the months of the
 * history), so that dashboard requests (values, series, rankings) compute the
 * region-month metrics without a DuckDB query each.
 *
 * The figures are the same as regionMonthQuery's SQL, computed from the same inputs with
 * the same rules (region-month-metrics.ts): stocks at the stock month, flows summed over
 * the covered months, poverty_transfer_ly twelve months before the stock month when that
 * month is in the history, a missing row counting 0. The metric expressions are not
 * written twice: REGION_MONTH_SQL's expressions (a column, or two columns added or
 * subtracted) are compiled here into functions over the summed columns, and anything
 * else is refused when this module loads. Counts are integers well below 2^53, so the
 * sums are exact, and a rate is the same IEEE division DuckDB performs on the DOUBLE casts.
 *
 * Village codes are not held (34,000 villages would multiply the memory by ten): for them
 * `cells` returns undefined and the caller runs the SQL.
 */
import { addMonths, coveredMonths, stockMonth, type Period } from './period.ts';
import type { MetricCell, MetricValue } from './metric-value.ts';
import type { MetricSql } from './metric-sql.ts';
import { REGION_MONTH_FLOW_COLUMNS, REGION_MONTH_SQL, REGION_MONTH_STOCK_COLUMNS, type RegionMonthMetricId } from './region-month-metrics.ts';
import { num, type SqlRunner } from './sql-runner.ts';
import type { WarehouseCoverage } from './warehouse-coverage.ts';

/** The per-period sums an expression may name (the columns of regionMonthQuery's CTE b). */
const SUMMED = [...REGION_MONTH_STOCK_COLUMNS, ...REGION_MONTH_FLOW_COLUMNS, 'poverty_transfer_ly'] as const;
type Summed = (typeof SUMMED)[number];
type Sums = Record<Summed, number | null>;
type Expr = (s: Sums) => number | null;

/** Compiles `col`, `(col)`, `(a + b)` or `(a - b)`; throws on anything else. */
export function compileRegionMonthExpression(sql: string): Expr {
  const m = /^\(?\s*([a-z_0-9]+)\s*(?:([+-])\s*([a-z_0-9]+)\s*)?\)?$/.exec(sql);
  const known = (c: string | undefined): c is Summed => c !== undefined && (SUMMED as readonly string[]).includes(c);
  if (!m || !known(m[1]) || (m[2] !== undefined && !known(m[3]))) throw new Error(`region-month expression '${sql}' cannot be computed in memory`);
  const a = m[1];
  const b = m[3] as Summed | undefined;
  if (!b) return (s) => s[a];
  const sign = m[2] === '+' ? 1 : -1;
  return (s) => {
    const x = s[a];
    const y = s[b];
    return x === null || y === null ? null : x + sign * y;
  };
}

type Compiled = { readonly value: Expr } | { readonly numerator: Expr; readonly denominator: Expr };

function compile(m: MetricSql): Compiled {
  return 'value' in m
    ? { value: compileRegionMonthExpression(m.value) }
    : { numerator: compileRegionMonthExpression(m.numerator), denominator: compileRegionMonthExpression(m.denominator) };
}

const COMPILED = Object.fromEntries(Object.entries(REGION_MONTH_SQL).map(([id, m]) => [id, compile(m)])) as Record<RegionMonthMetricId, Compiled>;

/** As selectMetricSql + readMetricValue: value, or numerator / NULLIF(denominator, 0). */
function evaluate(c: Compiled, s: Sums): MetricValue {
  if ('value' in c) return { value: c.value(s) };
  const n = c.numerator(s);
  const d = c.denominator(s);
  return { value: n === null || d === null || d === 0 ? null : n / d, numerator: n, denominator: d };
}

const COLUMNS = [...REGION_MONTH_STOCK_COLUMNS, ...REGION_MONTH_FLOW_COLUMNS];

export class RegionMonthTable {
  private constructor(
    /** The warehouse version the rows were read from. */
    readonly version: string,
    private readonly regionIndex: ReadonlyMap<string, number>,
    private readonly monthIndex: ReadonlyMap<string, number>,
    /** regions × months × COLUMNS, 0 where agg_region_month has no row. */
    private readonly data: Float64Array,
  ) {}

  /** Reads agg_region_month above village level (one query). */
  static async load(run: SqlRunner, version: string): Promise<RegionMonthTable> {
    const rows = await run(
      `SELECT region_code, month, ${COLUMNS.join(', ')} FROM agg_region_month WHERE level <> 'village' ORDER BY region_code, month`,
      [],
    );
    const regionIndex = new Map<string, number>();
    const monthIndex = new Map<string, number>();
    for (const r of rows) {
      const code = String(r.region_code);
      const month = String(r.month);
      if (!regionIndex.has(code)) regionIndex.set(code, regionIndex.size);
      if (!monthIndex.has(month)) monthIndex.set(month, monthIndex.size);
    }
    const width = COLUMNS.length;
    const data = new Float64Array(regionIndex.size * monthIndex.size * width);
    for (const r of rows) {
      const at = ((regionIndex.get(String(r.region_code)) as number) * monthIndex.size + (monthIndex.get(String(r.month)) as number)) * width;
      for (let c = 0; c < width; c++) data[at + c] = num(r[COLUMNS[c]]) ?? 0;
    }
    return new RegionMonthTable(version, regionIndex, monthIndex, data);
  }

  get regionCount(): number {
    return this.regionIndex.size;
  }

  private add(into: number[], region: number, month: string, from: number, to: number): void {
    const m = this.monthIndex.get(month);
    if (m === undefined) return; // no row: counts 0
    const at = (region * this.monthIndex.size + m) * COLUMNS.length;
    for (let c = from; c < to; c++) into[c] += this.data[at + c];
  }

  /**
   * The metrics of regionMonthMetricValues for these regions and periods, or undefined
   * when a region is not held (villages) or the table is of another version.
   */
  cells(
    coverage: WarehouseCoverage,
    regions: readonly string[],
    periods: readonly Period[],
    metrics: readonly RegionMonthMetricId[],
  ): MetricCell[] | undefined {
    if (coverage.version !== this.version) return undefined;
    const idx: number[] = [];
    for (const code of regions) {
      const i = this.regionIndex.get(code);
      if (i === undefined) return undefined;
      idx.push(i);
    }
    const stocks = REGION_MONTH_STOCK_COLUMNS.length;
    const povertyColumn = REGION_MONTH_STOCK_COLUMNS.indexOf('poverty_transfer');
    const out: MetricCell[] = [];
    for (const p of periods) {
      const end = stockMonth(p, coverage);
      if (!end) continue;
      const months = coveredMonths(p, coverage);
      const ly = addMonths(end, -12);
      const hasLy = ly >= coverage.firstMonth;
      for (let k = 0; k < regions.length; k++) {
        const sums = new Array<number>(COLUMNS.length).fill(0);
        this.add(sums, idx[k], end, 0, stocks);
        for (const m of months) this.add(sums, idx[k], m, stocks, COLUMNS.length);
        let lyValue: number | null = null;
        if (hasLy) {
          const lySums = new Array<number>(COLUMNS.length).fill(0);
          this.add(lySums, idx[k], ly, povertyColumn, povertyColumn + 1);
          lyValue = lySums[povertyColumn];
        }
        const s = Object.fromEntries(COLUMNS.map((c, i) => [c, sums[i]])) as Sums;
        s.poverty_transfer_ly = lyValue;
        for (const id of metrics) out.push({ region: regions[k], period: p.id, metric: id, value: evaluate(COMPILED[id], s) });
      }
    }
    return out;
  }
}
