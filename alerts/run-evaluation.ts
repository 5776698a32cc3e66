/**
 * One alert evaluation run on the published warehouse:
 *   1. plan the periods per rule: from the last period evaluated (re-evaluated, for late
 *      corrections) to the last complete month of the data; on the first run, the last
 *      `backfillMonths` months, so that episodes start in the month they really started;
 *   2. evaluate every rule for every planned period (set-based SQL per source);
 *   3. compute the evidence series of the regions concerned;
 *   4. in ONE state-database transaction: apply the state machine to every series, open
 *      / update / resolve alerts, write their history, inhibit children of firing
 *      parents, escalate overdue alerts, queue the notifications (outbox), record the
 *      evaluations and the run. A crash before the commit leaves nothing half-written;
 *      a re-run re-does the same work, and the same data twice changes nothing;
 *   5. after the commit, send the queued notifications.
 *
 * `npm run alerts -- evaluate`, the engine after each refresh, and the alert cron
 * (time-based rules and escalation) call runAlertEvaluation.
 */
import { randomUUID } from 'node:crypto';
import { openStateDb, type StateDb } from '../warehouse/state/open-state-db.ts';
import { AlertStore, type AlertRecord, type SeriesRecord } from './alert-store.ts';
import { readSettings, type AlertSettings } from './alert-settings.ts';
import { loadRules, RULES_FILE } from './load-rules.ts';
import { applyThresholdOverrides, type Rule, type RuleSet, type ThresholdOverrides } from './rule-schema.ts';
import { openWarehouseFile, type WarehouseReader } from './warehouse-reader.ts';
import { coverageOf, evaluatePlan, type Observation, type RuleResult } from './evaluate.ts';
import { computeEvidence, type Evidence } from './evidence.ts';
import { step, type Evaluation, type SeriesStatus, type StepResult } from './state-machine.ts';
import { ancestorsOf } from './region-codes.ts';
import { addMonths, lastCompleteMonth, monthRange } from './month.ts';
import { maxSeverity, severityRank } from './severity.ts';
import { SilenceStore } from './silences.ts';
import { NotificationOutbox } from './notify/notification-outbox.ts';
import { queueNotifications, type PendingChange } from './notify/notification-items.ts';
import { escalateDue } from './escalation.ts';
import { withRunLock } from './run-lock.ts';
import type { SourceSettings } from './sources/quantity-source.ts';

export type RunTrigger = 'cli' | 'refresh' | 'cron' | 'api' | 'test' | 'bench';

export interface RunOptions {
  readonly dataDir: string;
  readonly trigger: RunTrigger;
  /** Evaluate exactly this month (YYYY-MM) instead of the planned periods. */
  readonly month?: string;
  /** A warehouse build file; default: the one data/warehouse/CURRENT points at. */
  readonly warehouseFile?: string;
  readonly rulesFile?: string;
  /** Only these rules (the cron evaluates the time-based ones). */
  readonly ruleIds?: readonly string[];
  readonly now?: () => Date;
  /** Send queued notifications after the commit (default true). */
  readonly notify?: boolean;
  /** Reuse an open state database (the server's). */
  readonly db?: StateDb;
  readonly log?: (line: string) => void;
  /** Called inside the run's transaction just before it commits (tests simulate a crash by throwing). */
  readonly beforeCommit?: () => void;
  /** Backoff sleep for notification retries (tests). */
  readonly sleep?: (ms: number) => Promise<void>;
}

export interface RunSummary {
  readonly runId: string;
  readonly result: 'ok' | 'partial' | 'failed' | 'no_warehouse';
  readonly message: string;
  readonly warehouseVersion: string | null;
  readonly dataAsOf: string | null;
  readonly evaluations: readonly { rule: string; period: string; status: string; observations: number; breaches: number; nodata: number; ms: number; message: string }[];
  readonly transitions: number;
  readonly opened: number;
  readonly resolved: number;
  readonly escalated: number;
  readonly notificationsQueued: number;
  readonly notifications: { readonly sent: number; readonly failed: number };
  readonly ms: { readonly evaluate: number; readonly evidence: number; readonly persist: number; readonly total: number };
}

/** Rules whose sources depend on the calendar (deadlines): evaluated by the alert cron. */
export const TIME_BASED_SOURCES = new Set(['points', 'quality']);

export function readOverrides(db: StateDb): Record<string, ThresholdOverrides> {
  const rows = db.prepare('SELECT rule, thresholds FROM alert_rule_overrides').all() as { rule: string; thresholds: string }[];
  return Object.fromEntries(rows.map((r) => [r.rule, JSON.parse(r.thresholds)]));
}

/** The rules in force: the file with the administrators' threshold overrides. */
export function effectiveRules(db: StateDb, rulesFile: string = RULES_FILE): RuleSet {
  return applyThresholdOverrides(loadRules(rulesFile), readOverrides(db));
}

async function currentWarehouseFile(dataDir: string): Promise<string | undefined> {
  const { readCurrentWarehouse } = await import('../warehouse/publish/current-warehouse.ts');
  return readCurrentWarehouse(dataDir)?.file;
}

/** Periods per rule for this run. */
export function planPeriods(rules: readonly Rule[], store: AlertStore, coverage: { firstMonth: string; lastMonth: string; dataAsOf: string }, settings: AlertSettings, month?: string): Map<string, string[]> {
  const plan = new Map<string, string[]>();
  let end = lastCompleteMonth(coverage.dataAsOf);
  if (end > coverage.lastMonth) end = coverage.lastMonth;
  for (const r of rules) {
    if (month) {
      plan.set(r.id, [month]);
      continue;
    }
    const last = store.lastEvaluatedPeriod(r.id);
    let start = last && last <= end ? last : addMonths(end, -(settings.backfillMonths - 1));
    if (start < coverage.firstMonth) start = coverage.firstMonth;
    plan.set(r.id, monthRange(start, end));
  }
  return plan;
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

interface Counters {
  transitions: number;
  opened: number;
  resolved: number;
}

/** Applies one step's result to the alert rows and history; returns the alert id. */
function applyStep(
  store: AlertStore,
  rule: Rule,
  s: { region: string; level: SeriesRecord['level']; scope: string; alertId: number | null },
  obs: Observation | null,
  r: StepResult,
  runId: string,
  at: string,
  changes: PendingChange[],
  counters: Counters,
): number | null {
  let alertId = s.alertId;
  for (const t of r.transitions) {
    counters.transitions++;
    if (t.opensEpisode) {
      const existing = store.findEpisode(rule.id, s.region, t.episode!);
      if (existing) {
        alertId = existing.id;
        store.addHistory({ alertId, at, actor: null, action: 'reopened', fromState: existing.state, toState: t.to, detail: { period: t.period }, runId });
      } else {
        alertId = store.insert({
          rule: rule.id,
          region: s.region,
          level: s.level,
          scope: s.scope,
          period: t.episode!,
          state: t.to,
          reason: t.reason,
          severity: t.severityTo,
          signal: obs?.judgement.signal ?? null,
          value: obs?.judgement.value ?? null,
          threshold: obs?.judgement.threshold ?? null,
          quantities: obs?.quantities ?? {},
          labels: obs?.labels ?? {},
          fired: t.to === 'firing',
          now: at,
        });
        counters.opened++;
      }
    }
    if (alertId === null) continue;
    const before = store.get(alertId)!;
    const firstFire = t.to === 'firing' && !before.fired;
    store.update(alertId, {
      state: t.to,
      reason: t.reason,
      severity: t.severityTo,
      max_severity: maxSeverity(before.maxSeverity, t.severityTo),
      last_period: t.period,
      updated_at: at,
      ...(firstFire ? { fired: 1, fired_at: at } : {}),
      ...(t.to === 'resolved' ? { resolved_at: at } : {}),
      ...(t.opensEpisode && before.state === 'resolved' ? { resolved_at: null } : {}),
    });
    store.addHistory({
      alertId,
      at,
      actor: null,
      action: t.kind === 'severity' ? 'severity' : 'transition',
      fromState: t.from,
      toState: t.to,
      detail: { reason: t.reason, period: t.period, severityFrom: t.severityFrom, severityTo: t.severityTo },
      runId,
    });
    if (t.to === 'firing' && (firstFire || t.opensEpisode)) changes.push({ alertId, change: 'firing' });
    else if (t.kind === 'severity' && severityRank(t.severityTo) > severityRank(t.severityFrom)) changes.push({ alertId, change: 'severity_raised' });
    else if (t.to === 'resolved' && before.fired) {
      changes.push({ alertId, change: 'resolved' });
      counters.resolved++;
    }
  }
  if (alertId !== null && obs && r.next.episode && store.get(alertId)?.period === r.next.episode.startPeriod) {
    // Same state: keep the latest figures (written only when they changed).
    const a = store.get(alertId)!;
    const patch: Record<string, string | number | null> = {};
    if (obs.period >= a.lastPeriod) {
      if (a.lastPeriod !== obs.period) patch.last_period = obs.period;
      if (obs.judgement.outcome.kind === 'breach') {
        if (a.value !== obs.judgement.value) patch.value = obs.judgement.value;
        if (a.threshold !== obs.judgement.threshold) patch.threshold = obs.judgement.threshold;
        if (a.signal !== obs.judgement.signal) patch.signal = obs.judgement.signal;
        if (!sameJson(a.quantities, obs.quantities)) patch.quantities = JSON.stringify(obs.quantities);
        if (!sameJson(a.labels, obs.labels)) patch.labels = JSON.stringify(obs.labels);
      }
      if (a.reason !== r.next.reason && ['pending', 'firing', 'nodata', 'error'].includes(r.next.state)) patch.reason = r.next.reason;
    }
    if (Object.keys(patch).length) store.update(alertId, { ...patch, updated_at: at });
  }
  return alertId;
}

/** Inhibition for one rule: alerts under a firing ancestor of the same rule are marked. */
function inhibit(store: AlertStore, rule: Rule, series: Map<string, SeriesRecord>, runId: string, at: string): void {
  const firing = new Map<string, number>();
  for (const s of series.values()) if (s.status.state === 'firing' && s.alertId !== null) firing.set(s.region, s.alertId);
  for (const s of series.values()) {
    if (s.alertId === null) continue;
    const a = store.get(s.alertId);
    if (!a) continue;
    const open = ['pending', 'firing', 'nodata', 'error'].includes(s.status.state);
    const ancestor = open && rule.inhibitChildren ? ancestorsOf(s.level, s.region, s.scope).find((code) => firing.has(code)) : undefined;
    const want = ancestor ? firing.get(ancestor)! : null;
    if (a.inhibitedBy === want || (!open && a.inhibitedBy === null)) continue;
    if (!open && a.inhibitedBy !== null && a.state === 'resolved') continue; // keep the record of a past inhibition
    store.update(a.id, { inhibited_by: want, updated_at: at });
    store.addHistory({ alertId: a.id, at, actor: null, action: want ? 'inhibited' : 'uninhibited', detail: want ? { by: want, region: ancestor } : { was: a.inhibitedBy }, runId });
  }
}

export async function runAlertEvaluation(opts: RunOptions): Promise<RunSummary> {
  return withRunLock(opts.dataDir, () => runLocked(opts));
}

async function runLocked(opts: RunOptions): Promise<RunSummary> {
  const clock = opts.now ?? (() => new Date());
  const log = opts.log ?? (() => {});
  const t0 = performance.now();
  const startedAt = clock();
  const runId = `${startedAt.toISOString().replace(/[-:.]/g, '').slice(0, 15)}-${randomUUID().slice(0, 8)}`;
  const db = opts.db ?? openStateDb(opts.dataDir);
  const store = new AlertStore(db);
  const outbox = new NotificationOutbox(db, { now: clock, sleep: opts.sleep });
  try {
    const settings = readSettings(db);
    const ruleSet = effectiveRules(db, opts.rulesFile);
    const rules = ruleSet.rules.filter((r) => r.enabled && (!opts.ruleIds || opts.ruleIds.includes(r.id)));
    const sourceSettings: SourceSettings = { deadlineDay: settings.deadlineDay, festivalLagDay: settings.festivalLagDay };
    const file = opts.warehouseFile ?? (await currentWarehouseFile(opts.dataDir));

    let wh: WarehouseReader | undefined;
    const results: RuleResult[] = [];
    const evidenceByRule = new Map<string, Map<string, Evidence>>();
    let tEval = 0;
    let tEvidence = 0;
    let version: string | null = null;
    let dataAsOf: string | null = null;
    if (file) {
      wh = await openWarehouseFile(file);
      try {
        const coverage = coverageOf(wh);
        version = wh.meta.version ?? null;
        dataAsOf = coverage.dataAsOf;
        const plan = planPeriods(rules, store, coverage, settings, opts.month);
        const t1 = performance.now();
        results.push(...(await evaluatePlan(wh, plan, rules, sourceSettings)));
        tEval = performance.now() - t1;
        // Evidence for every region with a breach in this run or an alert series.
        const t2 = performance.now();
        for (const rule of rules) {
          const mine = results.filter((r) => r.rule.id === rule.id && r.status === 'ok');
          if (mine.length === 0) continue;
          const known = store.seriesOf(rule.id);
          const breached = new Set(mine.flatMap((res) => res.observations.filter((o) => o.judgement.outcome.kind === 'breach').map((o) => o.region)));
          const latest = new Map<string, Observation>();
          for (const res of [...mine].sort((a, b) => (a.period < b.period ? -1 : 1))) {
            for (const o of res.observations) if (breached.has(o.region) || known.has(o.region)) latest.set(o.region, o);
          }
          const targets = [...latest.values()].map((o) => ({ region: o.region, level: o.level, period: o.period, labels: o.labels }));
          evidenceByRule.set(rule.id, await computeEvidence(wh, rule, targets, sourceSettings));
        }
        tEvidence = performance.now() - t2;
      } finally {
        wh.close();
      }
    }

    // One transaction for everything the run changes.
    const t3 = performance.now();
    const now = clock();
    const at = now.toISOString();
    const counters: Counters = { transitions: 0, opened: 0, resolved: 0 };
    let escalated = 0;
    let queued = 0;
    const evaluations: RunSummary['evaluations'][number][] = [];
    db.transaction(() => {
      const changes: PendingChange[] = [];
      for (const rule of rules) {
        const mine = results.filter((r) => r.rule.id === rule.id).sort((a, b) => (a.period < b.period ? -1 : 1));
        if (mine.length === 0) continue;
        const series = store.seriesOf(rule.id);
        const evidence = evidenceByRule.get(rule.id);
        for (const res of mine) {
          const breaches = res.observations.filter((o) => o.judgement.outcome.kind === 'breach').length;
          const nodata = res.observations.filter((o) => o.judgement.outcome.kind === 'nodata').length;
          evaluations.push({ rule: rule.id, period: res.period, status: res.status, observations: res.observations.length, breaches, nodata, ms: res.ms, message: res.message });
          store.recordEvaluation({ rule: rule.id, period: res.period, runId, version, at, status: res.status, message: res.message, observations: res.observations.length, breaches, nodata, ms: res.ms });
          if (res.status === 'not_applicable') continue;
          const apply = (s: SeriesRecord | undefined, base: { region: string; level: SeriesRecord['level']; scope: string }, ev: Evaluation, obs: Observation | null) => {
            const r = step(s?.status, ev, rule, now);
            const alertId = applyStep(store, rule, { ...base, alertId: s?.alertId ?? null }, obs, r, runId, at, changes, counters);
            const next: SeriesRecord = { rule: rule.id, region: base.region, level: base.level, scope: base.scope, status: r.next, alertId };
            if (!s || !sameJson(s.status, r.next) || s.alertId !== alertId) {
              store.putSeries(next, at);
            }
            series.set(base.region, next);
          };
          if (res.status === 'error') {
            for (const s of [...series.values()]) {
              if (['pending', 'firing', 'nodata'].includes(s.status.state)) apply(s, s, { period: res.period, outcome: { kind: 'error', reason: res.message } }, null);
            }
            continue;
          }
          const seen = new Set<string>();
          for (const o of res.observations) {
            seen.add(o.region);
            const s = series.get(o.region);
            if (!s && o.judgement.outcome.kind !== 'breach') continue;
            apply(s, o, { period: res.period, outcome: o.judgement.outcome }, o);
          }
          for (const s of [...series.values()]) {
            if (!seen.has(s.region) && ['pending', 'firing', 'error'].includes(s.status.state) && rule.levels.includes(s.level)) {
              apply(s, s, { period: res.period, outcome: { kind: 'nodata', reason: `no data for ${s.region} in ${res.period}` } }, null);
            }
          }
        }
        inhibit(store, rule, series, runId, at);
        // Evidence: written when it changed.
        if (evidence) {
          for (const [region, ev] of evidence) {
            const s = series.get(region);
            if (!s?.alertId) continue;
            const a = store.get(s.alertId)!;
            if (!sameJson(a.evidence, ev)) store.update(a.id, { evidence: JSON.stringify(ev) });
          }
        }
      }
      const escalations = escalateDue(store, settings, now, runId);
      escalated = escalations.length;
      queued = queueNotifications({ store, outbox, rules: ruleSet, silences: new SilenceStore(db).active(now), changes: [...changes, ...escalations], runId, now, publicUrl: settings.publicUrl });
      const errors = evaluations.filter((e) => e.status === 'error');
      const result = !file ? 'no_warehouse' : errors.length === 0 ? 'ok' : errors.length === evaluations.length ? 'failed' : 'partial';
      const message = !file
        ? 'no published warehouse: only escalations were checked'
        : `${evaluations.filter((e) => e.status === 'ok').length} evaluations, ${counters.transitions} transitions (${counters.opened} alerts opened, ${counters.resolved} resolved), ${escalated} escalated, ${queued} notifications queued${errors.length ? `; ${errors.length} failed: ${errors[0].message}` : ''}`;
      store.recordRun({
        runId,
        trigger: opts.trigger,
        startedAt: startedAt.toISOString(),
        finishedAt: at,
        version,
        dataAsOf,
        result,
        message,
        detail: { evaluations: evaluations.map(({ rule, period, status, breaches }) => ({ rule, period, status, breaches })) },
      });
      opts.beforeCommit?.();
    }).immediate();
    const tPersist = performance.now() - t3;
    const run = store.runs(1)[0];
    log(`alerts: ${run.message}`);
    const notifications = opts.notify === false ? { sent: 0, failed: 0 } : await outbox.dispatch(readSettings(db));
    if (notifications.sent + notifications.failed > 0) log(`alerts: notifications sent ${notifications.sent}, failed ${notifications.failed}`);
    return {
      runId,
      result: run.result as RunSummary['result'],
      message: run.message,
      warehouseVersion: version,
      dataAsOf,
      evaluations,
      transitions: counters.transitions,
      opened: counters.opened,
      resolved: counters.resolved,
      escalated,
      notificationsQueued: queued,
      notifications,
      ms: { evaluate: Math.round(tEval), evidence: Math.round(tEvidence), persist: Math.round(tPersist), total: Math.round(performance.now() - t0) },
    };
  } finally {
    if (!opts.db) db.close();
  }
}

/** Escalations and pending notifications only (the alert cron between evaluations). */
export async function runEscalations(opts: { dataDir: string; db?: StateDb; now?: () => Date; sleep?: (ms: number) => Promise<void> }): Promise<{ escalated: number; notifications: { sent: number; failed: number } }> {
  return withRunLock(opts.dataDir, async () => {
    const clock = opts.now ?? (() => new Date());
    const db = opts.db ?? openStateDb(opts.dataDir);
    try {
      const store = new AlertStore(db);
      const outbox = new NotificationOutbox(db, { now: clock, sleep: opts.sleep });
      const settings = readSettings(db);
      const now = clock();
      const runId = `esc-${now.toISOString().replace(/[-:.]/g, '').slice(0, 15)}-${randomUUID().slice(0, 8)}`;
      let escalated = 0;
      db.transaction(() => {
        const changes = escalateDue(store, settings, now, runId);
        escalated = changes.length;
        queueNotifications({ store, outbox, rules: effectiveRules(db), silences: new SilenceStore(db).active(now), changes, runId, now, publicUrl: settings.publicUrl });
      }).immediate();
      return { escalated, notifications: await outbox.dispatch(settings) };
    } finally {
      if (!opts.db) db.close();
    }
  });
}

export type { AlertRecord, SeriesStatus };
