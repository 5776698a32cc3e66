/**
 * Collection-point rates and the data-quality score per region and report month, as
 * the metric catalogue computes them (warehouse/metrics: point_update_rate,
 * point_on_time_rate — points due are those established by the end of the month in
 * the latest points file; quality_score — quarantine share, point rates,
 * reconciliation differences). Applies once the data cover the month's deadline.
 */
import type { QuantitySource, SourceRow } from './quantity-source.ts';
import { catalogueCoverage } from './catalogue-coverage.ts';
import { regionsAt } from './regions-at-level.ts';
import { deadlineNotPassed } from './deadline-not-passed.ts';
import { computeMetricValues } from '../../warehouse/metrics/metric-values.ts';
import { parsePeriod, type Period } from '../../warehouse/metrics/period.ts';

const QUANTITIES = {
  points_due: 'collection points due in the month (denominator of point_update_rate)',
  points_submitted: 'of these, points with a submission for the month as of the data',
  points_on_time: 'of these, points that submitted by the deadline',
  update_rate: 'points_submitted / points_due (catalogue: point_update_rate)',
  on_time_rate: 'points_on_time / points_due (catalogue: point_on_time_rate)',
  quality_score: 'the catalogue quality_score (0-100)',
} as const;

export const qualitySource: QuantitySource = {
  id: 'quality',
  description: 'Point update and on-time rates and the data-quality score per region (metric catalogue)',
  levels: ['province', 'city', 'county', 'township'],
  quantities: QUANTITIES,
  notApplicable: (period, coverage, settings) => deadlineNotPassed(period, coverage, settings.deadlineDay),
  async query(wh, q) {
    const periods = q.periods.map((p) => parsePeriod(p)).filter((p): p is Period => p !== undefined);
    // One catalogue request for the regions of every level (each region's values do not
    // depend on the others asked for with it).
    const byLevel = q.levels.map((level) => ({ level, regions: q.regions ? q.regions.filter((r) => regionsAt(level).includes(r)) : regionsAt(level) }));
    const all = byLevel.flatMap((l) => l.regions);
    const out: SourceRow[] = [];
    if (all.length === 0) return out;
    const res = await computeMetricValues(wh.run, catalogueCoverage(wh), {
      regions: all,
      periods,
      metrics: ['quality_score', 'point_update_rate', 'point_on_time_rate'],
      deadlineDay: q.settings.deadlineDay,
    });
    for (const { level, regions } of byLevel) {
      for (const region of regions) {
        for (const p of periods) {
          const upd = res.get(region, p.id, 'point_update_rate');
          const ont = res.get(region, p.id, 'point_on_time_rate');
          out.push({
            region,
            level,
            period: p.id,
            scope: region,
            q: {
              points_due: upd.denominator ?? null,
              points_submitted: upd.numerator ?? null,
              points_on_time: ont.numerator ?? null,
              update_rate: upd.value,
              on_time_rate: ont.value,
              quality_score: res.get(region, p.id, 'quality_score').value,
            },
          });
        }
      }
    }
    return out;
  },
};
