/** Several metrics for each child of a region: one ranking request per metric, merged by region code. */
import { fetchRanking } from './metrics.js';
import type { MetricValue } from './metric-types.js';

export interface ChildMetrics {
  readonly code: string;
  readonly name: string;
  readonly values: Readonly<Record<string, MetricValue>>;
}

export async function fetchChildMetrics(region: string, period: string, metrics: readonly string[], signal?: AbortSignal): Promise<ChildMetrics[]> {
  const rankings = await Promise.all(metrics.map((m) => fetchRanking(region, period, m, { limit: 1000 }, signal)));
  const rows = new Map<string, { code: string; name: string; values: Record<string, MetricValue> }>();
  rankings.forEach((ranking, i) => {
    for (const r of ranking) {
      let row = rows.get(r.code);
      if (!row) rows.set(r.code, (row = { code: r.code, name: r.name, values: {} }));
      row.values[metrics[i]] = r.value;
    }
  });
  return [...rows.values()].sort((a, b) => a.code.localeCompare(b.code));
}
