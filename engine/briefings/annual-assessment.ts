/**
 * 年考核 Annual assessment: a score per city and county (those in the region: the province
 * assesses its 21 cities and every county, a city its counties, a county itself) by the
 * configured scheme, with every indicator's figure, points and rule as the evidence.
 */
import type { Region } from '../../warehouse/reference/regions.ts';
import { loadRegions } from '../../warehouse/reference/regions.ts';
import { codePrefix } from '../../alerts/region-codes.ts';
import type { AssessmentItem, AssessmentRow } from './briefing-content.ts';
import type { BriefingContext } from './briefing-context.ts';
import { ALERT_HANDLING_RATE, gradeOf, indicatorPoints, type AssessmentScheme, type Indicator } from './assessment-scheme.ts';
import type { MetricId } from '../../warehouse/metrics/catalogue.ts';

function assessed(region: Region): Region[] {
  const tree = loadRegions();
  if (region.level === 'province') return [...tree.cities, ...tree.counties];
  if (region.level === 'city') return [...tree.children(region.code)];
  return region.level === 'county' ? [region] : [];
}

const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
const show = (ind: Indicator, v: number) => (ind.metric === 'quality_score' ? v.toFixed(1) : pct(v));

function ruleText(ind: Indicator, value: number | null, points: number): string {
  if (value === null) return `无数据，得0分（满分${ind.weight}分）`;
  return `${show(ind, value)}；${show(ind, ind.zero)}及以${ind.full > ind.zero ? '下' : '上'}得0分，${show(ind, ind.full)}及以${ind.full > ind.zero ? '上' : '下'}得${ind.weight}分，其间线性：得${points}分`;
}

export async function assessmentRows(ctx: BriefingContext, scheme: AssessmentScheme): Promise<AssessmentRow[]> {
  const regions = assessed(ctx.region);
  if (regions.length === 0) return [];
  const metricIds = scheme.indicators.filter((i) => i.metric !== ALERT_HANDLING_RATE).map((i) => i.metric as MetricId);
  const r = await ctx.metrics.compute(regions.map((x) => x.code), [ctx.period], metricIds);
  const rows = regions.map((reg) => {
    const items: AssessmentItem[] = scheme.indicators.map((ind) => {
      let figure: string;
      let value: number | null;
      if (ind.metric === ALERT_HANDLING_RATE) {
        const range = { scopePrefix: '51', regionPrefix: codePrefix(reg.code), periodFrom: ctx.period.firstMonth, periodTo: ctx.period.lastMonth, limit: 1 };
        const total = ctx.alerts.list(range).total;
        const handled = ctx.alerts.list({ ...range, workflow: 'acknowledged' }).total + ctx.alerts.list({ ...range, workflow: 'closed' }).total;
        // No alert in the year: nothing to handle, full points (value 1 with 0/0 shown).
        value = total === 0 ? 1 : handled / total;
        figure = ctx.book.alerts(reg.code, ctx.period.id, undefined, total);
        ctx.book.alerts(reg.code, ctx.period.id, 'acknowledged', ctx.alerts.list({ ...range, workflow: 'acknowledged' }).total);
        ctx.book.alerts(reg.code, ctx.period.id, 'closed', ctx.alerts.list({ ...range, workflow: 'closed' }).total);
        const points = indicatorPoints(ind, value);
        return {
          indicator: ind.id,
          label: ind.label,
          weight: ind.weight,
          figure,
          points,
          rule: total === 0 ? `本年无预警，得满分${ind.weight}分` : `已签收或已办结${handled}条 / 预警${total}条 = ${pct(value)}；${ruleText(ind, value, points)}`,
        };
      }
      const v = r.get(reg.code, ctx.period.id, ind.metric);
      value = v.value;
      figure = ctx.book.metric(ind.metric, reg.code, ctx.period.id, v);
      const points = indicatorPoints(ind, value);
      return { indicator: ind.id, label: ind.label, weight: ind.weight, figure, points, rule: ruleText(ind, value, points) };
    });
    const score = Math.round(items.reduce((s, i) => s + i.points, 0) * 100) / 100;
    return { code: reg.code, name: reg.name, level: reg.level, score, items };
  });
  // Ranks within each level (cities among cities, counties among counties); ties share a rank.
  const out: AssessmentRow[] = [];
  for (const level of ['city', 'county']) {
    const sorted = rows.filter((x) => x.level === level).sort((a, b) => b.score - a.score || a.code.localeCompare(b.code));
    sorted.forEach((row, i) => {
      const prev = out[out.length - 1];
      const rank = i > 0 && prev.score === row.score ? prev.rank : i + 1;
      out.push({ ...row, rank, grade: gradeOf(scheme, row.score) });
    });
  }
  return out;
}
