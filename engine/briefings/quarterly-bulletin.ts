/**
 * 季通报 Quarterly bulletin: the children of the region commended (best `top` by a metric,
 * at least `min`) and called in (约谈) by the rules of the assessment scheme: a metric of
 * the quarter or of its last month below a threshold, or too many alerts in a workflow
 * state. Each listing names its rule and the figures behind it.
 */
import { periodOf } from '../../warehouse/metrics/period.ts';
import { loadRegions } from '../../warehouse/reference/regions.ts';
import type { Listing } from './briefing-content.ts';
import { alertCountFigure, type BriefingContext } from './briefing-context.ts';
import type { AssessmentScheme } from './assessment-scheme.ts';
import { formatFigure as fmt } from './figure-format.ts';


export async function bulletinListings(ctx: BriefingContext, scheme: AssessmentScheme): Promise<{ commended: Listing[]; calledIn: Listing[] }> {
  const kids = loadRegions().children(ctx.region.code);
  if (kids.length === 0) return { commended: [], calledIn: [] };
  const codes = kids.map((k) => k.code);
  const lastMonth = periodOf(ctx.period.lastMonth);
  const periodMetrics = [...new Set([...scheme.commend.map((c) => c.metric), ...scheme.callIn.filter((r) => r.metric && !r.lastMonth).map((r) => r.metric!)])];
  const monthMetrics = [...new Set(scheme.callIn.filter((r) => r.metric && r.lastMonth).map((r) => r.metric!))];
  const [pr, mr] = await Promise.all([ctx.metrics.compute(codes, [ctx.period], periodMetrics), ctx.metrics.compute(codes, [lastMonth], monthMetrics)]);

  const commended: Listing[] = [];
  for (const rule of scheme.commend) {
    const rows = kids
      .map((k) => ({ k, v: pr.get(k.code, ctx.period.id, rule.metric) }))
      .filter((x) => x.v.value !== null && x.v.value >= rule.min)
      .sort((a, b) => b.v.value! - a.v.value! || a.k.code.localeCompare(b.k.code))
      .slice(0, rule.top);
    for (const { k, v } of rows) {
      commended.push({
        code: k.code,
        name: k.name,
        rule: rule.metric,
        ruleText: `${rule.label}（${fmt(rule.metric, v.value!)}，前${rule.top}名且不低于${fmt(rule.metric, rule.min)}）`,
        figures: [ctx.book.metric(rule.metric, k.code, ctx.period.id, v)],
      });
    }
  }

  const calledIn: Listing[] = [];
  for (const k of kids) {
    for (const rule of scheme.callIn) {
      if (rule.metric) {
        const p = rule.lastMonth ? lastMonth : ctx.period;
        const v = (rule.lastMonth ? mr : pr).get(k.code, p.id, rule.metric);
        if (v.value !== null && v.value < rule.below!) {
          calledIn.push({
            code: k.code,
            name: k.name,
            rule: rule.id,
            ruleText: `${rule.label}（${p.id}：${fmt(rule.metric, v.value)}）`,
            figures: [ctx.book.metric(rule.metric, k.code, p.id, v)],
          });
        }
      } else if (rule.alerts) {
        const key = alertCountFigure(ctx, k.code, ctx.period, rule.alerts);
        const n = ctx.book.get(key).value ?? 0;
        if (n >= rule.atLeast!) calledIn.push({ code: k.code, name: k.name, rule: rule.id, ruleText: `${rule.label}（${n}条）`, figures: [key] });
      }
    }
  }
  return { commended, calledIn };
}
