/**
 * Data quality per region and report month: the collection points' update and on-time
 * rates (from point_rates) plus the reconciliation differences (表库不符) of the month-end
 * snapshot per 1,000 registered persons (reconciliation_summary, agg_region_month).
 */
import type { QuantitySource } from './quantity-source.ts';
import { pointRatesSource } from './point-rates-source.ts';
import { stringList } from './sql-values.ts';
import { lastDay } from '../month.ts';

const QUANTITIES = {
  ...pointRatesSource.quantities,
  registered: 'registered labour force at the end of the month',
  reconciliation_differences: 'reconciliation findings (missing, extra, different) of the snapshot at the end of the month',
  reconciliation_per_1000: 'reconciliation_differences per 1,000 registered persons',
} as const;

export const qualitySource: QuantitySource = {
  id: 'quality',
  description: 'Point update and on-time rates and reconciliation differences per region',
  levels: ['province', 'city', 'county', 'township'],
  quantities: QUANTITIES,
  notApplicable: pointRatesSource.notApplicable,
  async query(wh, q) {
    const rates = await pointRatesSource.query(wh, q);
    const hasRecon = await wh.hasTable('reconciliation_summary');
    const rows = await wh.query(
      `SELECT region_code AS region, month, CAST(labour_force AS DOUBLE) AS registered
       FROM agg_region_month WHERE list_contains($levels, level) AND list_contains($periods, month)`,
      { levels: stringList(q.levels), periods: stringList(q.periods) },
    );
    const registered = new Map(rows.map((r) => [`${r.region}|${r.month}`, Number(r.registered)]));
    const recon = new Map<string, number>();
    if (hasRecon) {
      for (const period of q.periods) {
        const found = await wh.query(
          `SELECT county_code, CAST(sum(count) AS DOUBLE) AS n FROM reconciliation_summary
           WHERE CAST(snapshot_date AS DATE) = CAST($day AS DATE) GROUP BY ALL`,
          { day: lastDay(period) },
        );
        for (const r of found) {
          const county = String(r.county_code);
          for (const code of [county, county.slice(0, 4) + '00', '510000']) recon.set(`${code}|${period}`, (recon.get(`${code}|${period}`) ?? 0) + Number(r.n));
        }
      }
    }
    return rates.map((r) => {
      const key = `${r.region}|${r.period}`;
      const reg = registered.get(key) ?? null;
      const diffs = hasRecon ? (recon.get(key) ?? 0) : null;
      return {
        ...r,
        q: {
          ...r.q,
          registered: reg,
          reconciliation_differences: diffs,
          reconciliation_per_1000: diffs !== null && reg ? (1000 * diffs) / reg : null,
        },
      };
    });
  },
};
