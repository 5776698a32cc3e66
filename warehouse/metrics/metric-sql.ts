/**
 * A metric as SQL expressions over the columns of the table (or CTE) it is computed
 * from: a value for counts, a numerator and a denominator for rates and ratios. The
 * expressions are constants of the code, never built from input.
 */
import type { MetricId } from './catalogue.ts';
import type { MetricValue } from './metric-value.ts';
import { num, type SqlRow } from './sql-runner.ts';

export type MetricSql = { readonly value: string } | { readonly numerator: string; readonly denominator: string };

/** Select-list items `"<id>__v"` (and `__n`, `__d`) for a metric; division by 0 gives NULL. */
export function selectMetricSql(id: MetricId, m: MetricSql): string {
  if ('value' in m) return `(${m.value})::DOUBLE AS "${id}__v"`;
  return [
    `(${m.numerator})::DOUBLE AS "${id}__n"`,
    `(${m.denominator})::DOUBLE AS "${id}__d"`,
    `(${m.numerator})::DOUBLE / NULLIF((${m.denominator})::DOUBLE, 0) AS "${id}__v"`,
  ].join(', ');
}

/** Reads back what selectMetricSql selected. */
export function readMetricValue(row: SqlRow, id: MetricId, m: MetricSql): MetricValue {
  if ('value' in m) return { value: num(row[`${id}__v`]) };
  return { value: num(row[`${id}__v`]), numerator: num(row[`${id}__n`]), denominator: num(row[`${id}__d`]) };
}
