/**
 * 月调度 Monthly dispatch (and the common body of the bulletin and the assessment): key
 * figures with the previous period and the same period last year, trends, rankings of the
 * children, increases and decreases by reason, alerts opened / acknowledged / closed, and
 * coverage, update rate, timeliness and quality by child region. Every number comes from
 * the services behind /api/metrics, /api/explore and /api/alerts.
 */
import { EVENT_REASONS } from '../../warehouse/contract/codes.ts';
import type { MetricId } from '../../warehouse/metrics/catalogue.ts';
import { periodOf, periodsBetween, previousPeriod, samePeriodLastYear, shiftPeriod, stockMonth, type Period } from '../../warehouse/metrics/period.ts';
import { loadRegions } from '../../warehouse/reference/regions.ts';
import type { Change } from '../services/metric-service.ts';
import type { AlertCounts, ChildRow, KeyFigureRow, RankingTable, ReasonRow, TrendSeries } from './briefing-content.ts';
import { alertCountFigure, type BriefingContext } from './briefing-context.ts';

export const KEY_METRICS: readonly MetricId[] = [
  'labour_force',
  'employed',
  'transfer_employed',
  'unemployed',
  'unemployment_rate',
  'employment_rate',
  'increases',
  'decreases',
  'net_change',
  'poverty_employed',
  'poverty_employed_yoy',
  'point_coverage',
  'point_update_rate',
  'point_on_time_rate',
  'quality_score',
];

export const RANKING_METRICS: readonly { metric: MetricId; order: 'asc' | 'desc' }[] = [
  { metric: 'labour_force', order: 'desc' },
  { metric: 'transfer_employed', order: 'desc' },
  { metric: 'unemployment_rate', order: 'desc' },
  { metric: 'point_update_rate', order: 'asc' },
];

export const CHILD_METRICS: readonly MetricId[] = ['labour_force', 'unemployment_rate', 'point_coverage', 'point_update_rate', 'point_on_time_rate', 'quality_score'];

export const TREND_METRICS: readonly MetricId[] = ['labour_force', 'transfer_employed', 'unemployment_rate'];

export interface DispatchSections {
  readonly keyFigures: KeyFigureRow[];
  readonly trend: TrendSeries[];
  readonly rankings: RankingTable[];
  readonly reasons: ReasonRow[];
  readonly alerts: AlertCounts;
  readonly childLevel: string | null;
  readonly children: ChildRow[];
}

const inHistory = (ctx: BriefingContext, p: Period) => stockMonth(p, ctx.coverage) !== undefined;

function change(a: number | null, b: number | null): Change | null {
  if (a === null || b === null) return null;
  const c = a - b;
  return { change: c, relative: b === 0 ? null : c / Math.abs(b) };
}

async function keyFigures(ctx: BriefingContext): Promise<KeyFigureRow[]> {
  const { region, period, book } = ctx;
  const prev = previousPeriod(period);
  const ly = samePeriodLastYear(period);
  const periods = [period, ...[prev, ly].filter((p) => inHistory(ctx, p))];
  const r = await ctx.metrics.compute([region.code], periods, KEY_METRICS);
  return KEY_METRICS.map((metric) => {
    const cur = r.get(region.code, period.id, metric);
    const pv = inHistory(ctx, prev) ? r.get(region.code, prev.id, metric) : null;
    const lv = inHistory(ctx, ly) ? r.get(region.code, ly.id, metric) : null;
    return {
      metric,
      current: book.metric(metric, region.code, period.id, cur),
      previous: pv ? book.metric(metric, region.code, prev.id, pv) : null,
      lastYear: lv ? book.metric(metric, region.code, ly.id, lv) : null,
      previousPeriod: prev.id,
      lastYearPeriod: ly.id,
      mom: pv ? change(cur.value, pv.value) : null,
      yoy: lv ? change(cur.value, lv.value) : null,
    };
  });
}

/** Monthly points for a month or a year, quarterly points for a quarter. */
function trendPeriods(ctx: BriefingContext): Period[] {
  const p = ctx.period;
  const range =
    p.kind === 'month' ? periodsBetween(shiftPeriod(p, -12), p) : p.kind === 'quarter' ? periodsBetween(shiftPeriod(p, -4), p) : p.months.map((m) => periodOf(m));
  return range.filter((x) => inHistory(ctx, x));
}

async function trend(ctx: BriefingContext): Promise<TrendSeries[]> {
  const periods = trendPeriods(ctx);
  const r = await ctx.metrics.compute([ctx.region.code], periods, TREND_METRICS);
  return TREND_METRICS.map((metric) => ({ metric, points: periods.map((p) => ctx.book.metric(metric, ctx.region.code, p.id, r.get(ctx.region.code, p.id, metric))) }));
}

async function rankings(ctx: BriefingContext): Promise<RankingTable[]> {
  const out: RankingTable[] = [];
  for (const { metric, order } of RANKING_METRICS) {
    const r = await ctx.metrics.ranking(ctx.region, ctx.period, metric, order, 1000);
    out.push({
      metric,
      order,
      items: r.items.map((it) => ({
        rank: it.rank,
        code: it.code,
        name: it.name,
        figure: ctx.book.metric(metric, it.code, ctx.period.id, { value: it.value, ...('numerator' in it ? { numerator: it.numerator, denominator: it.denominator } : {}) }),
      })),
    });
  }
  return out;
}

async function reasons(ctx: BriefingContext): Promise<ReasonRow[]> {
  const result = await ctx.explore.explore({ level: ctx.region.level, region: ctx.region.code, periods: [ctx.period.id], dimensions: ['reason'], measures: ['increases', 'decreases'] });
  const out: ReasonRow[] = [];
  const dirs = [
    { direction: 'increases' as const, codes: EVENT_REASONS.新增.map((c) => c.code as string) },
    { direction: 'decreases' as const, codes: EVENT_REASONS.减少.map((c) => c.code as string) },
  ];
  for (const { direction, codes } of dirs) {
    for (const code of codes) {
      const row = result.rows.find((r) => r.reason === code && r.region_code === ctx.region.code);
      const raw = row?.[direction];
      const value = raw === undefined || raw === null ? 0 : Number(raw);
      out.push({ direction, reason: code, figure: ctx.book.explore(direction, ctx.region.code, ctx.period.id, 'reason', code, value) });
    }
  }
  return out;
}

function alertCounts(ctx: BriefingContext): AlertCounts {
  const code = ctx.region.code;
  return {
    total: alertCountFigure(ctx, code, ctx.period, undefined),
    open: alertCountFigure(ctx, code, ctx.period, 'open'),
    acknowledged: alertCountFigure(ctx, code, ctx.period, 'acknowledged'),
    closed: alertCountFigure(ctx, code, ctx.period, 'closed'),
  };
}

async function children(ctx: BriefingContext): Promise<{ level: string | null; rows: ChildRow[] }> {
  const kids = loadRegions().children(ctx.region.code);
  if (kids.length === 0) return { level: null, rows: [] };
  const r = await ctx.metrics.compute(kids.map((k) => k.code), [ctx.period], CHILD_METRICS);
  return {
    level: kids[0].level,
    rows: kids.map((k) => ({
      code: k.code,
      name: k.name,
      figures: Object.fromEntries(CHILD_METRICS.map((m) => [m, ctx.book.metric(m, k.code, ctx.period.id, r.get(k.code, ctx.period.id, m))])),
    })),
  };
}

export async function dispatchSections(ctx: BriefingContext): Promise<DispatchSections> {
  const [k, t, rk, rs, ch] = await Promise.all([keyFigures(ctx), trend(ctx), rankings(ctx), reasons(ctx), children(ctx)]);
  return { keyFigures: k, trend: t, rankings: rk, reasons: rs, alerts: alertCounts(ctx), childLevel: ch.level, children: ch.rows };
}
