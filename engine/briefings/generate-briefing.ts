/**
 * Generates the content of a briefing of a kind, region and period from the warehouse
 * served now: the dispatch sections, the bulletin's listings (quarterly), the assessment
 * (annual), the revisions against the previous period's published briefing, and the
 * narrative over all of them.
 */
import { getMetric, isMetricId } from '../../warehouse/metrics/catalogue.ts';
import { stockMonth, type Period } from '../../warehouse/metrics/period.ts';
import type { Region } from '../../warehouse/reference/regions.ts';
import type { AlertStore } from '../../alerts/alert-store.ts';
import type { MetricService } from '../services/metric-service.ts';
import type { ExploreService } from '../services/explore-service.ts';
import type { BriefingStore } from '../services/briefing-store.ts';
import { ApiError, badRequest } from '../plugins/errors.ts';
import { KIND_NAMES, type BriefingContent, type BriefingKind } from './briefing-content.ts';
import { FigureBook } from './figure-book.ts';
import type { BriefingContext } from './briefing-context.ts';
import { CHILD_METRICS, dispatchSections } from './monthly-dispatch.ts';
import { bulletinListings } from './quarterly-bulletin.ts';
import { assessmentRows } from './annual-assessment.ts';
import { revisionsSince } from './revisions.ts';
import { briefingNarrative } from './briefing-narrative.ts';
import { loadScheme } from './assessment-scheme.ts';

const ALERT_METRIC_NAMES: Record<string, { zh: string; en: string; unit: string }> = {
  alerts: { zh: '期内预警', en: 'Alerts in the period', unit: 'events' },
  alerts_open: { zh: '待签收预警', en: 'Alerts not yet acknowledged', unit: 'events' },
  alerts_acknowledged: { zh: '已签收预警', en: 'Alerts acknowledged', unit: 'events' },
  alerts_closed: { zh: '已办结预警', en: 'Alerts closed', unit: 'events' },
};

const PERIOD_KIND: Record<BriefingKind, Period['kind']> = { monthly: 'month', quarterly: 'quarter', annual: 'year' };

export function periodLabel(p: Period): string {
  if (p.kind === 'month') return `${p.year}年${Number(p.firstMonth.slice(5))}月`;
  if (p.kind === 'quarter') return `${p.year}年第${p.id.slice(-1)}季度`;
  return `${p.year}年`;
}

export interface GenerateDeps {
  readonly metrics: MetricService;
  readonly explore: ExploreService;
  readonly alerts: AlertStore;
  readonly store: BriefingStore;
  readonly now: () => Date;
}

export async function generateBriefing(deps: GenerateDeps, kind: BriefingKind, region: Region, period: Period): Promise<BriefingContent> {
  if (period.kind !== PERIOD_KIND[kind]) throw badRequest(`parameter 'period': a ${kind} briefing needs a ${PERIOD_KIND[kind]} period, not '${period.id}'`);
  if (!['province', 'city', 'county'].includes(region.level)) throw badRequest(`parameter 'region': briefings are for the province, a city or a county, not a ${region.level}`);
  const coverage = await deps.metrics.coverage();
  if (!stockMonth(period, coverage)) throw new ApiError(404, 'no_data', `no data for period '${period.id}': the warehouse covers ${coverage.firstMonth} to ${coverage.lastMonth} (data as of ${coverage.dataAsOf})`);
  const ctx: BriefingContext = { metrics: deps.metrics, explore: deps.explore, alerts: deps.alerts, coverage, region, period, book: new FigureBook() };
  const scheme = loadScheme();
  const body = await dispatchSections(ctx);
  const listings = kind === 'quarterly' ? await bulletinListings(ctx, scheme) : { commended: [], calledIn: [] };
  const assessment = kind === 'annual' ? await assessmentRows(ctx, scheme) : [];
  const { base, revisions } = await revisionsSince(ctx, deps.store, kind);
  // The figures must not have moved while the briefing was built (a warehouse swap in between).
  const after = await deps.metrics.coverage();
  if (after.version !== coverage.version) throw new ApiError(409, 'conflict', `the warehouse changed from ${coverage.version} to ${after.version} while the briefing was generated; generate it again`);
  const label = periodLabel(period);
  const figures = ctx.book.all();
  const narrative = briefingNarrative({
    kind,
    regionName: region.name,
    periodLabel: label,
    keyFigures: body.keyFigures,
    rankings: body.rankings,
    reasons: body.reasons,
    alerts: body.alerts,
    commended: listings.commended,
    calledIn: listings.calledIn,
    assessment,
    revisions,
    figure: (k) => ctx.book.get(k),
  });
  const headline = ['labour_force', 'employed', 'transfer_employed', 'unemployment_rate'].map((m) => body.keyFigures.find((k) => k.metric === m)!.current);
  return {
    kind,
    region: region.code,
    regionName: region.name,
    regionLevel: region.level,
    period: period.id,
    title: `${region.name}农村劳动力${label}${KIND_NAMES[kind].zh}`,
    warehouseVersion: coverage.version,
    dataAsOf: coverage.dataAsOf,
    generatedAt: deps.now().toISOString(),
    headline,
    narrative,
    ...body,
    childMetrics: [...CHILD_METRICS],
    commended: listings.commended,
    calledIn: listings.calledIn,
    assessment,
    assessmentScheme: kind === 'annual' ? { name: scheme.name, description: scheme.description } : null,
    revisions,
    revisionBase: base,
    figures,
    metricNames: Object.fromEntries(
      [...new Set(figures.map((f) => f.metric))].map((id) => {
        if (isMetricId(id)) {
          const m = getMetric(id);
          return [id, { zh: m.zh, en: m.en, unit: m.unit }];
        }
        return [id, ALERT_METRIC_NAMES[id] ?? { zh: id, en: id, unit: 'events' }];
      }),
    ),
  };
}
