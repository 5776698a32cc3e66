/**
 * Persistence of alert series (the state machine's status per rule × region), alerts
 * (one per rule × region × episode), their history, and evaluation runs, in the state
 * database. Callers group writes in one transaction per run (db.transaction).
 */
import type { StateDb } from '../warehouse/state/open-state-db.ts';
import type { SeriesStatus } from './state-machine.ts';
import type { AlertLevel } from './alert-level.ts';
import type { Severity } from './severity.ts';
import './alert-schema.ts';

export type AlertState = 'pending' | 'firing' | 'resolved' | 'nodata' | 'error' | 'normal';
export type Workflow = 'open' | 'acknowledged' | 'closed';
export type Escalation = 'none' | 'city' | 'province';

export interface AlertRecord {
  readonly id: number;
  readonly rule: string;
  readonly region: string;
  readonly level: AlertLevel;
  readonly scope: string;
  readonly county: string | null;
  readonly city: string | null;
  readonly period: string;
  readonly lastPeriod: string;
  readonly state: AlertState;
  readonly reason: string;
  readonly severity: Severity | null;
  readonly maxSeverity: Severity | null;
  readonly signal: string | null;
  readonly value: number | null;
  readonly threshold: number | null;
  readonly quantities: Record<string, number | null>;
  readonly labels: Record<string, string>;
  readonly evidence: Record<string, unknown>;
  readonly fired: boolean;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly firedAt: string | null;
  readonly resolvedAt: string | null;
  readonly workflow: Workflow;
  readonly assignee: string | null;
  readonly acknowledgedBy: string | null;
  readonly acknowledgedAt: string | null;
  readonly outcome: string | null;
  readonly outcomeNote: string | null;
  readonly closedBy: string | null;
  readonly closedAt: string | null;
  readonly escalation: Escalation;
  readonly escalatedAt: string | null;
  readonly inhibitedBy: number | null;
  readonly silencedBy: number | null;
}

export interface HistoryEntry {
  readonly id: number;
  readonly alertId: number;
  readonly at: string;
  readonly actor: string | null;
  readonly action: string;
  readonly fromState: string | null;
  readonly toState: string | null;
  readonly detail: Record<string, unknown>;
  readonly runId: string | null;
}

export interface SeriesRecord {
  readonly rule: string;
  readonly region: string;
  readonly level: AlertLevel;
  readonly scope: string;
  readonly status: SeriesStatus;
  readonly alertId: number | null;
}

interface AlertRow {
  id: number;
  rule: string;
  region: string;
  level: string;
  scope: string;
  county: string | null;
  city: string | null;
  period: string;
  last_period: string;
  state: string;
  reason: string;
  severity: string | null;
  max_severity: string | null;
  signal: string | null;
  value: number | null;
  threshold: number | null;
  quantities: string;
  labels: string;
  evidence: string;
  fired: number;
  created_at: string;
  updated_at: string;
  fired_at: string | null;
  resolved_at: string | null;
  workflow: string;
  assignee: string | null;
  acknowledged_by: string | null;
  acknowledged_at: string | null;
  outcome: string | null;
  outcome_note: string | null;
  closed_by: string | null;
  closed_at: string | null;
  escalation: string;
  escalated_at: string | null;
  inhibited_by: number | null;
  silenced_by: number | null;
}

const toRecord = (r: AlertRow): AlertRecord => ({
  id: r.id,
  rule: r.rule,
  region: r.region,
  level: r.level as AlertLevel,
  scope: r.scope,
  county: r.county,
  city: r.city,
  period: r.period,
  lastPeriod: r.last_period,
  state: r.state as AlertState,
  reason: r.reason,
  severity: r.severity as Severity | null,
  maxSeverity: r.max_severity as Severity | null,
  signal: r.signal,
  value: r.value,
  threshold: r.threshold,
  quantities: JSON.parse(r.quantities),
  labels: JSON.parse(r.labels),
  evidence: JSON.parse(r.evidence),
  fired: r.fired === 1,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  firedAt: r.fired_at,
  resolvedAt: r.resolved_at,
  workflow: r.workflow as Workflow,
  assignee: r.assignee,
  acknowledgedBy: r.acknowledged_by,
  acknowledgedAt: r.acknowledged_at,
  outcome: r.outcome,
  outcomeNote: r.outcome_note,
  closedBy: r.closed_by,
  closedAt: r.closed_at,
  escalation: r.escalation as Escalation,
  escalatedAt: r.escalated_at,
  inhibitedBy: r.inhibited_by,
  silencedBy: r.silenced_by,
});

/** The county and city an alert belongs to, from its level and scope code. */
export function groupCodes(level: AlertLevel, scope: string): { county: string | null; city: string | null } {
  if (level === 'province') return { county: null, city: null };
  const city = `${scope.slice(0, 4)}00`;
  if (level === 'city') return { county: null, city };
  return { county: scope.slice(0, 6), city };
}

/** Column names an alert update may set (whitelist for the SET clause). */
const UPDATABLE = [
  'last_period', 'state', 'reason', 'severity', 'max_severity', 'signal', 'value', 'threshold', 'quantities', 'labels', 'evidence', 'fired',
  'updated_at', 'fired_at', 'resolved_at', 'workflow', 'assignee', 'acknowledged_by', 'acknowledged_at', 'outcome', 'outcome_note',
  'closed_by', 'closed_at', 'escalation', 'escalated_at', 'inhibited_by', 'silenced_by', 'period',
] as const;
export type AlertPatch = Partial<Record<(typeof UPDATABLE)[number], string | number | null>>;

export interface AlertFilter {
  /** Scope prefix the reader may see (from the user's region). */
  readonly scopePrefix: string;
  /** Region filter: the region and everything below it (a code prefix), or a point code. */
  readonly regionPrefix?: string;
  readonly pointCode?: string;
  readonly states?: readonly string[];
  readonly rule?: string;
  /** Alerts whose episode (period..last_period) overlaps these months. */
  readonly periodFrom?: string;
  readonly periodTo?: string;
  readonly severity?: string;
  readonly workflow?: string;
  readonly escalation?: string;
  readonly assignee?: string;
  readonly level?: string;
  readonly includeInhibited?: boolean;
  readonly limit?: number;
  readonly offset?: number;
}

export class AlertStore {
  constructor(readonly db: StateDb) {}

  /** Every series of a rule, by region. */
  seriesOf(rule: string): Map<string, SeriesRecord> {
    const rows = this.db.prepare('SELECT rule, region, level, scope, status, alert_id FROM alert_series WHERE rule = ?').all(rule) as {
      rule: string; region: string; level: string; scope: string; status: string; alert_id: number | null;
    }[];
    return new Map(rows.map((r) => [r.region, { rule: r.rule, region: r.region, level: r.level as AlertLevel, scope: r.scope, status: JSON.parse(r.status), alertId: r.alert_id }]));
  }

  putSeries(s: SeriesRecord, now: string): void {
    this.db
      .prepare(
        `INSERT INTO alert_series (rule, region, level, scope, state, status, alert_id, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (rule, region) DO UPDATE SET state = excluded.state, status = excluded.status, alert_id = excluded.alert_id, updated_at = excluded.updated_at`,
      )
      .run(s.rule, s.region, s.level, s.scope, s.status.state, JSON.stringify(s.status), s.alertId, now);
  }

  get(id: number): AlertRecord | undefined {
    const r = this.db.prepare('SELECT * FROM alerts WHERE id = ?').get(id) as AlertRow | undefined;
    return r ? toRecord(r) : undefined;
  }

  findEpisode(rule: string, region: string, period: string): AlertRecord | undefined {
    const r = this.db.prepare('SELECT * FROM alerts WHERE rule = ? AND region = ? AND period = ?').get(rule, region, period) as AlertRow | undefined;
    return r ? toRecord(r) : undefined;
  }

  insert(a: {
    rule: string; region: string; level: AlertLevel; scope: string; period: string; state: string; reason: string;
    severity: Severity | null; signal: string | null; value: number | null; threshold: number | null;
    quantities: Record<string, number | null>; labels: Record<string, string>; fired: boolean; now: string;
  }): number {
    const { county, city } = groupCodes(a.level, a.scope);
    const info = this.db
      .prepare(
        `INSERT INTO alerts (rule, region, level, scope, county, city, period, last_period, state, reason, severity, max_severity, signal, value, threshold,
                             quantities, labels, fired, created_at, updated_at, fired_at)
         VALUES (@rule, @region, @level, @scope, @county, @city, @period, @period, @state, @reason, @severity, @severity, @signal, @value, @threshold,
                 @quantities, @labels, @fired, @now, @now, @fired_at)`,
      )
      .run({
        ...a,
        county,
        city,
        quantities: JSON.stringify(a.quantities),
        labels: JSON.stringify(a.labels),
        fired: a.fired ? 1 : 0,
        fired_at: a.fired ? a.now : null,
      });
    return Number(info.lastInsertRowid);
  }

  update(id: number, patch: AlertPatch): void {
    const keys = Object.keys(patch).filter((k) => (UPDATABLE as readonly string[]).includes(k));
    if (keys.length === 0) return;
    this.db.prepare(`UPDATE alerts SET ${keys.map((k) => `${k} = @${k}`).join(', ')} WHERE id = @id`).run({ ...patch, id });
  }

  addHistory(e: { alertId: number; at: string; actor: string | null; action: string; fromState?: string | null; toState?: string | null; detail?: Record<string, unknown>; runId?: string | null }): void {
    this.db
      .prepare('INSERT INTO alert_history (alert_id, at, actor, action, from_state, to_state, detail, run_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(e.alertId, e.at, e.actor, e.action, e.fromState ?? null, e.toState ?? null, JSON.stringify(e.detail ?? {}), e.runId ?? null);
  }

  history(alertId: number): HistoryEntry[] {
    return (this.db.prepare('SELECT * FROM alert_history WHERE alert_id = ? ORDER BY id').all(alertId) as {
      id: number; alert_id: number; at: string; actor: string | null; action: string; from_state: string | null; to_state: string | null; detail: string; run_id: string | null;
    }[]).map((r) => ({ id: r.id, alertId: r.alert_id, at: r.at, actor: r.actor, action: r.action, fromState: r.from_state, toState: r.to_state, detail: JSON.parse(r.detail), runId: r.run_id }));
  }

  list(f: AlertFilter): { alerts: AlertRecord[]; total: number } {
    const where: string[] = ["substr(scope, 1, length(@scopePrefix)) = @scopePrefix"];
    const p: Record<string, unknown> = { scopePrefix: f.scopePrefix };
    if (f.pointCode) (where.push('region = @pointCode'), (p.pointCode = f.pointCode));
    if (f.regionPrefix) (where.push('(substr(scope, 1, length(@regionPrefix)) = @regionPrefix OR region = @regionExact)'), (p.regionPrefix = f.regionPrefix), (p.regionExact = f.regionPrefix));
    if (f.states?.length) {
      where.push(`state IN (${f.states.map((_, i) => `@state${i}`).join(', ')})`);
      f.states.forEach((s, i) => (p[`state${i}`] = s));
    }
    if (f.rule) (where.push('rule = @rule'), (p.rule = f.rule));
    if (f.periodFrom && f.periodTo) (where.push('period <= @periodTo AND last_period >= @periodFrom'), (p.periodFrom = f.periodFrom), (p.periodTo = f.periodTo));
    if (f.severity) (where.push('severity = @severity'), (p.severity = f.severity));
    if (f.workflow) (where.push('workflow = @workflow'), (p.workflow = f.workflow));
    if (f.escalation) (where.push('escalation = @escalation'), (p.escalation = f.escalation));
    if (f.assignee) (where.push('assignee = @assignee'), (p.assignee = f.assignee));
    if (f.level) (where.push('level = @level'), (p.level = f.level));
    if (f.includeInhibited === false) where.push('inhibited_by IS NULL');
    const sqlWhere = where.join(' AND ');
    const total = (this.db.prepare(`SELECT count(*) AS n FROM alerts WHERE ${sqlWhere}`).get(p) as { n: number }).n;
    const rows = this.db
      .prepare(
        `SELECT * FROM alerts WHERE ${sqlWhere}
         ORDER BY CASE state WHEN 'firing' THEN 0 WHEN 'pending' THEN 1 WHEN 'nodata' THEN 2 WHEN 'error' THEN 3 ELSE 4 END,
                  CASE severity WHEN 'red' THEN 0 WHEN 'orange' THEN 1 WHEN 'yellow' THEN 2 WHEN 'blue' THEN 3 ELSE 4 END,
                  last_period DESC, id DESC
         LIMIT @limit OFFSET @offset`,
      )
      .all({ ...p, limit: f.limit ?? 100, offset: f.offset ?? 0 }) as AlertRow[];
    return { alerts: rows.map(toRecord), total };
  }

  /** Alerts with an open episode (pending/firing/nodata/error). */
  open(): AlertRecord[] {
    return (this.db.prepare("SELECT * FROM alerts WHERE state IN ('pending', 'firing', 'nodata', 'error') ORDER BY id").all() as AlertRow[]).map(toRecord);
  }

  lastEvaluatedPeriod(rule: string): string | undefined {
    const r = this.db.prepare("SELECT max(period) AS p FROM alert_evaluations WHERE rule = ? AND status <> 'not_applicable'").get(rule) as { p: string | null };
    return r.p ?? undefined;
  }

  recordEvaluation(e: { rule: string; period: string; runId: string; version: string | null; at: string; status: string; message: string; observations: number; breaches: number; nodata: number; ms: number }): void {
    this.db
      .prepare(
        `INSERT INTO alert_evaluations (rule, period, run_id, warehouse_version, evaluated_at, status, message, observations, breaches, nodata, ms)
         VALUES (@rule, @period, @runId, @version, @at, @status, @message, @observations, @breaches, @nodata, @ms)
         ON CONFLICT (rule, period) DO UPDATE SET run_id = excluded.run_id, warehouse_version = excluded.warehouse_version, evaluated_at = excluded.evaluated_at,
           status = excluded.status, message = excluded.message, observations = excluded.observations, breaches = excluded.breaches, nodata = excluded.nodata, ms = excluded.ms`,
      )
      .run(e);
  }

  recordRun(r: { runId: string; trigger: string; startedAt: string; finishedAt: string; version: string | null; dataAsOf: string | null; result: string; message: string; detail: Record<string, unknown> }): void {
    this.db
      .prepare(
        'INSERT INTO alert_runs (run_id, trigger, started_at, finished_at, warehouse_version, data_as_of, result, message, detail) VALUES (@runId, @trigger, @startedAt, @finishedAt, @version, @dataAsOf, @result, @message, @detail)',
      )
      .run({ ...r, detail: JSON.stringify(r.detail) });
  }

  runs(limit = 50): { runId: string; trigger: string; startedAt: string; finishedAt: string; version: string | null; dataAsOf: string | null; result: string; message: string; detail: Record<string, unknown> }[] {
    return (this.db.prepare('SELECT * FROM alert_runs ORDER BY started_at DESC, rowid DESC LIMIT ?').all(limit) as {
      run_id: string; trigger: string; started_at: string; finished_at: string; warehouse_version: string | null; data_as_of: string | null; result: string; message: string; detail: string;
    }[]).map((r) => ({ runId: r.run_id, trigger: r.trigger, startedAt: r.started_at, finishedAt: r.finished_at, version: r.warehouse_version, dataAsOf: r.data_as_of, result: r.result, message: r.message, detail: JSON.parse(r.detail) }));
  }
}
