/**
 * A quantity source: one set-based SQL query over the warehouse's aggregate tables
 * that yields, for every region of the requested levels and every requested period,
 * the named quantities a rule's metric expression combines.
 */
import type { AlertLevel } from '../alert-level.ts';
import type { WarehouseReader } from '../warehouse-reader.ts';

export interface SourceRow {
  /** Region code, or point code for level 'point'. */
  readonly region: string;
  readonly level: AlertLevel;
  readonly period: string;
  /** Region code used for access scoping: the region itself, or a point's township. */
  readonly scope: string;
  /** Values of the source's quantities (null: not computable). */
  readonly q: Record<string, number | null>;
  /** Descriptive labels (e.g. the destination of a job-loss cluster). */
  readonly labels?: Readonly<Record<string, string>>;
}

export interface SourceSettings {
  /** Day of the following month by which a point must submit (default 5). */
  readonly deadlineDay: number;
  /** Day relative to the Spring Festival at which the departure lag is measured (default 30). */
  readonly festivalLagDay: number;
}

export interface SourceQuery {
  readonly periods: readonly string[];
  readonly levels: readonly AlertLevel[];
  /** Restrict to these regions (evidence of a few alerts); all when absent. */
  readonly regions?: readonly string[];
  /** Last day the data covers (meta data_as_of), YYYY-MM-DD. */
  readonly dataAsOf: string;
  readonly settings: SourceSettings;
}

export interface QuantitySource {
  readonly id: string;
  readonly description: string;
  readonly levels: readonly AlertLevel[];
  /** Quantity name → what it is (documented in docs/alerts.md). */
  readonly quantities: Readonly<Record<string, string>>;
  /**
   * Whether the source can say something about `period` given the data's coverage;
   * returns undefined if it can, else the reason (e.g. deadline not yet passed).
   */
  notApplicable(period: string, coverage: { firstMonth: string; lastMonth: string; dataAsOf: string }, settings: SourceSettings): string | undefined;
  /** The periods an alert's evidence series shows (default: the n months up to `period`). */
  evidencePeriods?(period: string, n: number, settings: SourceSettings): string[];
  query(wh: WarehouseReader, q: SourceQuery): Promise<SourceRow[]>;
}
