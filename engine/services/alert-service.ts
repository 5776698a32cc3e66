/**
 * The alerts as the API sees them: the state-database stores of alerts/ (alerts,
 * workflow, silences, channels, settings, threshold overrides, notification outbox),
 * region scoping of every read and action by the signed-in user's region, and the API
 * shape of an alert. Evaluation runs through alerts/run-evaluation.ts.
 */
import type { StateDb } from '../../warehouse/state/open-state-db.ts';
import { AlertStore, type AlertRecord, type AlertFilter } from '../../alerts/alert-store.ts';
import { AlertWorkflow } from '../../alerts/alert-workflow.ts';
import { SilenceStore } from '../../alerts/silences.ts';
import { ChannelStore } from '../../alerts/notify/channel-store.ts';
import { NotificationOutbox } from '../../alerts/notify/notification-outbox.ts';
import { readSettings, writeSettings, type AlertSettings } from '../../alerts/alert-settings.ts';
import { effectiveRules, readOverrides, runAlertEvaluation, runEscalations, type RunOptions } from '../../alerts/run-evaluation.ts';
import { loadRules } from '../../alerts/load-rules.ts';
import { withThresholds, type Rule, type Thresholds } from '../../alerts/rule-schema.ts';
import { regionName } from '../../alerts/notify/notification-items.ts';
import { codePrefix, scopeWithin } from '../../alerts/region-codes.ts';
import { loadRegions, levelOfCode } from '../../warehouse/reference/regions.ts';
import type { User } from './users.ts';

/** The API shape of an alert (fixed fields: id, rule, region, period, severity, state). */
export function alertJson(a: AlertRecord, rule: Rule | undefined) {
  return {
    id: a.id,
    rule: a.rule,
    ruleName: rule?.name ?? { zh: a.rule, en: a.rule },
    region: a.region,
    regionName: regionName(a),
    level: a.level,
    county: a.county,
    city: a.city,
    period: a.period,
    lastPeriod: a.lastPeriod,
    severity: a.severity,
    maxSeverity: a.maxSeverity,
    state: a.state,
    reason: a.reason,
    signal: a.signal,
    value: a.value,
    threshold: a.threshold,
    labels: a.labels,
    fired: a.fired,
    createdAt: a.createdAt,
    updatedAt: a.updatedAt,
    firedAt: a.firedAt,
    resolvedAt: a.resolvedAt,
    workflow: a.workflow,
    assignee: a.assignee,
    acknowledgedBy: a.acknowledgedBy,
    acknowledgedAt: a.acknowledgedAt,
    outcome: a.outcome,
    outcomeNote: a.outcomeNote,
    closedBy: a.closedBy,
    closedAt: a.closedAt,
    escalation: a.escalation,
    escalatedAt: a.escalatedAt,
    inhibitedBy: a.inhibitedBy,
    silencedBy: a.silencedBy,
  };
}

export function ruleJson(r: Rule, overridden: boolean) {
  return {
    id: r.id,
    enabled: r.enabled,
    name: r.name,
    description: r.description,
    levels: r.levels,
    source: r.source,
    pendingFor: r.pendingFor,
    keepFiringFor: r.keepFiringFor,
    inhibitChildren: r.inhibitChildren,
    labels: r.labels,
    thresholdsOverridden: overridden,
    signals: r.signals.map((s) => ({
      id: s.id,
      name: s.name,
      metric: s.metric.source,
      unit: s.unit,
      condition: s.condition,
      thresholds: s.thresholds,
      minCounts: s.minCounts.map((g) => ({ expr: g.expr.source, min: g.min })),
      require: s.require.map((g) => ({ expr: g.expr.source, min: g.min })),
    })),
    evidence: {
      series: r.evidence.series.map((s) => ({ expr: s.expr.source, name: s.name })),
      baseline: r.evidence.baseline?.source ?? null,
      baselineName: r.evidence.baselineName,
      periods: r.evidence.periods,
    },
  };
}

export class AlertService {
  readonly store: AlertStore;
  readonly workflow: AlertWorkflow;
  readonly silences: SilenceStore;
  readonly channels: ChannelStore;
  readonly outbox: NotificationOutbox;

  constructor(
    readonly db: StateDb,
    readonly dataDir: string,
    readonly now: () => Date,
  ) {
    this.store = new AlertStore(db);
    this.workflow = new AlertWorkflow(this.store, now);
    this.silences = new SilenceStore(db);
    this.channels = new ChannelStore(db);
    this.outbox = new NotificationOutbox(db, { now });
  }

  rules() {
    return effectiveRules(this.db);
  }

  settings(): AlertSettings {
    return readSettings(this.db);
  }

  updateSettings(patch: Record<string, unknown>, actor: string): AlertSettings {
    return writeSettings(this.db, patch, actor, this.now());
  }

  /** Whether a user may see an alert (its scope lies in the user's region). */
  visible(user: User, a: AlertRecord): boolean {
    return scopeWithin(user.region, a.scope);
  }

  /** The alert if it exists and the user may see it; otherwise undefined (callers answer 404 either way). */
  find(user: User, id: number): AlertRecord | undefined {
    const a = this.store.get(id);
    return a && this.visible(user, a) ? a : undefined;
  }

  /** A region filter resolved against the user's scope: undefined when unknown or outside it. */
  regionFilter(user: User, code: string): Pick<AlertFilter, 'regionPrefix' | 'pointCode'> | undefined {
    if (levelOfCode(code)) {
      if (!loadRegions().byCode.has(code) || !scopeWithin(user.region, code)) return undefined;
      return { regionPrefix: codePrefix(code) };
    }
    // A collection point code: visible when its alerts' township is in scope.
    const any = this.store.db.prepare('SELECT scope FROM alerts WHERE region = ? LIMIT 1').get(code) as { scope: string } | undefined;
    if (!any || !scopeWithin(user.region, any.scope)) return undefined;
    return { pointCode: code };
  }

  list(user: User, filter: Omit<AlertFilter, 'scopePrefix'>) {
    return this.store.list({ ...filter, scopePrefix: codePrefix(user.region) });
  }

  /** Counts for an inbox: by state, severity, rule, workflow and escalation, within a region. */
  summary(user: User, regionPrefix: string) {
    const p = { scope: codePrefix(user.region), region: regionPrefix };
    const where = "substr(scope, 1, length(@scope)) = @scope AND substr(scope, 1, length(@region)) = @region";
    const count = (col: string) =>
      Object.fromEntries(
        (this.db.prepare(`SELECT ${col} AS k, count(*) AS n FROM alerts WHERE ${where} AND state IN ('pending', 'firing', 'nodata', 'error') GROUP BY ${col}`).all(p) as { k: string | null; n: number }[]).map((r) => [r.k ?? 'none', r.n]),
      );
    return { open: { byState: count('state'), bySeverity: count('severity'), byRule: count('rule'), byWorkflow: count('workflow'), byEscalation: count('escalation') } };
  }

  /** Sets or clears an administrator's threshold override, validated like the rule file. */
  setThresholds(ruleId: string, signalId: string | undefined, thresholds: Thresholds | null, actor: string) {
    const base = loadRules().byId(ruleId);
    if (!base) return undefined;
    const overrides = { ...(readOverrides(this.db)[ruleId] ?? {}) };
    const signal = signalId ?? base.signals[0].id;
    if (thresholds === null) delete overrides[signal];
    else overrides[signal] = thresholds;
    const rule = withThresholds(base, overrides); // throws RuleFileError naming the field
    const at = this.now().toISOString();
    if (Object.keys(overrides).length === 0) this.db.prepare('DELETE FROM alert_rule_overrides WHERE rule = ?').run(ruleId);
    else {
      this.db
        .prepare('INSERT INTO alert_rule_overrides (rule, thresholds, updated_by, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (rule) DO UPDATE SET thresholds = excluded.thresholds, updated_by = excluded.updated_by, updated_at = excluded.updated_at')
        .run(ruleId, JSON.stringify(overrides), actor, at);
    }
    return { rule, signal };
  }

  overridden(ruleId: string): boolean {
    return readOverrides(this.db)[ruleId] !== undefined;
  }

  evaluate(options: Partial<RunOptions> & { trigger: RunOptions['trigger'] }) {
    return runAlertEvaluation({ dataDir: this.dataDir, db: this.db, now: this.now, ...options });
  }

  escalate() {
    return runEscalations({ dataDir: this.dataDir, db: this.db, now: this.now });
  }
}
