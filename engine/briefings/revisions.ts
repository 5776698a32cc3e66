/**
 * Revisions (更正): the catalogue figures of the last published briefing of the previous
 * period (same kind and region), recomputed on the warehouse served now. Every figure whose
 * value changed is listed with the old value, the new one (a figure of this briefing) and
 * why: the previous briefing was published before that period had ended in the data, or
 * later-reported or corrected records reached the warehouse after it was published.
 */
import { isMetricId, type MetricId } from '../../warehouse/metrics/catalogue.ts';
import { periodOf, previousPeriod } from '../../warehouse/metrics/period.ts';
import type { BriefingKind, Revision } from './briefing-content.ts';
import type { BriefingContext } from './briefing-context.ts';
import type { BriefingStore } from '../services/briefing-store.ts';

const same = (a: number | null | undefined, b: number | null | undefined) => (a ?? null) === (b ?? null) || (a != null && b != null && Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a)));

export async function revisionsSince(
  ctx: BriefingContext,
  store: BriefingStore,
  kind: BriefingKind,
): Promise<{ base: { id: number; period: string; warehouseVersion: string } | null; revisions: Revision[] }> {
  const prev = previousPeriod(ctx.period);
  const old = store.published(kind, ctx.region.code, prev.id);
  if (!old) return { base: null, revisions: [] };
  const base = { id: old.id, period: old.period, warehouseVersion: old.warehouseVersion };
  const figures = old.content.figures.filter((f) => f.source === 'metrics' && isMetricId(f.metric));
  // One computation per period, over every region and metric the old briefing held.
  const byPeriod = new Map<string, typeof figures>();
  for (const f of figures) byPeriod.set(f.period, [...(byPeriod.get(f.period) ?? []), f]);
  const revisions: Revision[] = [];
  for (const [periodId, list] of byPeriod) {
    const p = periodOf(periodId);
    const r = await ctx.metrics.compute([...new Set(list.map((f) => f.region))], [p], [...new Set(list.map((f) => f.metric as MetricId))]);
    for (const f of list) {
      const now = r.get(f.region, periodId, f.metric as MetricId);
      if (same(now.value, f.value) && same(now.numerator, f.numerator) && same(now.denominator, f.denominator)) continue;
      const unfinished = old.dataAsOf < p.endDate;
      const why = unfinished
        ? `上期简报发布时${periodId}尚未结束（数据截至${old.dataAsOf}），现按截至${ctx.coverage.dataAsOf}的数据重算（仓库版本${old.warehouseVersion} → ${ctx.coverage.version}）`
        : `上期简报发布后补报或更正了${periodId}的记录（数据截至${old.dataAsOf} → ${ctx.coverage.dataAsOf}，仓库版本${old.warehouseVersion} → ${ctx.coverage.version}）`;
      revisions.push({
        figure: ctx.book.metric(f.metric, f.region, periodId, now),
        metric: f.metric,
        region: f.region,
        regionName: f.regionName,
        period: periodId,
        old: f.value,
        new: now.value,
        oldVersion: old.warehouseVersion,
        newVersion: ctx.coverage.version,
        fromBriefing: old.id,
        why,
      });
    }
  }
  revisions.sort((a, b) => a.period.localeCompare(b.period) || a.region.localeCompare(b.region) || a.metric.localeCompare(b.metric));
  return { base, revisions };
}
