/**
 * The explorer's pivot: rows by one field, columns by another (or none), cells of one
 * measure. When several result rows fall into one cell they are combined as the measure
 * allows: counts are summed, rates recomputed as sum(numerator) / sum(denominator).
 */
/** A result cell (the same as the API's ExploreCell; kept here so this module has no imports). */
type ExploreCell = string | number | boolean | null;

export interface PivotSpec {
  readonly rowField: string;
  readonly columnField: string | null;
  readonly measure: string;
  /** Rates come with `<measure>_numerator` and `<measure>_denominator` columns. */
  readonly isRate: boolean;
}

export interface Pivot {
  readonly rowKeys: readonly string[];
  readonly columnKeys: readonly string[];
  cell(row: string, column: string): number | null;
  rowTotal(row: string): number | null;
  columnTotal(column: string): number | null;
  readonly total: number | null;
}

interface Acc {
  value: number;
  num: number;
  den: number;
  n: number;
}

const key = (v: ExploreCell | undefined) => (v === null || v === undefined ? '' : String(v));

export function pivot(rows: readonly Readonly<Record<string, ExploreCell>>[], spec: PivotSpec): Pivot {
  const cells = new Map<string, Acc>();
  const rowTotals = new Map<string, Acc>();
  const colTotals = new Map<string, Acc>();
  const total: Acc = { value: 0, num: 0, den: 0, n: 0 };
  const rowKeys: string[] = [];
  const columnKeys: string[] = [];
  const seenRows = new Set<string>();
  const seenCols = new Set<string>();
  const add = (map: Map<string, Acc>, k: string, r: Readonly<Record<string, ExploreCell>>) => {
    let a = map.get(k);
    if (!a) map.set(k, (a = { value: 0, num: 0, den: 0, n: 0 }));
    into(a, r);
  };
  const into = (a: Acc, r: Readonly<Record<string, ExploreCell>>) => {
    const v = r[spec.measure];
    if (spec.isRate) {
      a.num += Number(r[`${spec.measure}_numerator`] ?? 0);
      a.den += Number(r[`${spec.measure}_denominator`] ?? 0);
      a.n++;
    } else if (typeof v === 'number') {
      a.value += v;
      a.n++;
    }
  };
  for (const r of rows) {
    const rk = key(r[spec.rowField]);
    const ck = spec.columnField ? key(r[spec.columnField]) : '';
    if (!seenRows.has(rk)) seenRows.add(rk), rowKeys.push(rk);
    if (!seenCols.has(ck)) seenCols.add(ck), columnKeys.push(ck);
    add(cells, `${rk}\u0000${ck}`, r);
    add(rowTotals, rk, r);
    add(colTotals, ck, r);
    into(total, r);
  }
  const value = (a: Acc | undefined): number | null => {
    if (!a || a.n === 0) return null;
    if (spec.isRate) return a.den === 0 ? null : a.num / a.den;
    return a.value;
  };
  return {
    rowKeys,
    columnKeys: columnKeys.sort(),
    cell: (r, c) => value(cells.get(`${r}\u0000${c}`)),
    rowTotal: (r) => value(rowTotals.get(r)),
    columnTotal: (c) => value(colTotals.get(c)),
    total: value(total),
  };
}
