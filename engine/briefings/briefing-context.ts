/**
 * What a briefing is built from: the metric and explorer services the API uses (so its
 * figures equal the API's), the alert store, the warehouse coverage, the region and the
 * period, and the figure book the sections record into.
 */
import type { MetricService } from '../services/metric-service.ts';
import type { ExploreService } from '../services/explore-service.ts';
import type { AlertStore } from '../../alerts/alert-store.ts';
import { codePrefix } from '../../alerts/region-codes.ts';
import type { WarehouseCoverage } from '../../warehouse/metrics/warehouse-coverage.ts';
import type { Period } from '../../warehouse/metrics/period.ts';
import type { Region } from '../../warehouse/reference/regions.ts';
import type { Figure } from './briefing-content.ts';
import { FigureBook } from './figure-book.ts';

export interface BriefingContext {
  readonly metrics: MetricService;
  readonly explore: ExploreService;
  readonly alerts: AlertStore;
  readonly coverage: WarehouseCoverage;
  readonly region: Region;
  readonly period: Period;
  readonly book: FigureBook;
}

/** The months of a period as the alert list's period filter reads them. */
function monthRange(p: Period): { periodFrom: string; periodTo: string } {
  return { periodFrom: p.firstMonth, periodTo: p.lastMonth };
}

/**
 * Counts of alerts whose episode overlaps the period in the region (and below it), as
 * GET /api/alerts?region&period[&workflow] answers for a province user; recorded as figures.
 */
export function alertCountFigure(ctx: BriefingContext, region: string, period: Period, workflow: Figure['workflow']): string {
  const { total } = ctx.alerts.list({ scopePrefix: '51', regionPrefix: codePrefix(region), ...monthRange(period), workflow, limit: 1 });
  return ctx.book.alerts(region, period.id, workflow, total);
}
