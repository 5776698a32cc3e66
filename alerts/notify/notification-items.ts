/**
 * Turns alert changes of a run into notification items and queues one notification
 * per group (the alert's county; a city's or the province's own alerts; escalations go
 * to the city or province they were escalated to) and receiving channel. Inhibited and
 * silenced alerts are not notified (a silence is recorded in the alert's history).
 */
import type { AlertRecord, AlertStore } from '../alert-store.ts';
import type { RuleSet } from '../rule-schema.ts';
import type { Silence } from '../silences.ts';
import { silences } from '../silences.ts';
import { loadRegions, PROVINCE_CODE } from '../../warehouse/reference/regions.ts';
import { makePayload, type Change, type NotificationItem } from './notification-payload.ts';
import type { NotificationOutbox } from './notification-outbox.ts';

export interface PendingChange {
  readonly alertId: number;
  readonly change: Change;
  /** Group for escalations: the region escalated to. */
  readonly group?: string;
}

export function regionName(a: Pick<AlertRecord, 'region' | 'level' | 'labels'>): string {
  if (a.level === 'point') return a.labels.point_name || a.region;
  return loadRegions().byCode.get(a.region)?.name ?? a.region;
}

export function defaultGroup(a: Pick<AlertRecord, 'county' | 'city'>): string {
  return a.county ?? a.city ?? PROVINCE_CODE;
}

/** Queues the notifications of a run (inside its transaction); returns how many were queued. */
export function queueNotifications(opts: {
  store: AlertStore;
  outbox: NotificationOutbox;
  rules: RuleSet;
  silences: readonly Silence[];
  changes: readonly PendingChange[];
  runId: string;
  now: Date;
  publicUrl: string;
}): number {
  const groups = new Map<string, NotificationItem[]>();
  for (const c of opts.changes) {
    const a = opts.store.get(c.alertId);
    if (!a) continue;
    if (a.inhibitedBy !== null && c.change !== 'escalated') continue;
    const silence = opts.silences.find((s) => silences(s, { rule: a.rule, scope: a.scope, severity: a.severity }, opts.now));
    if (silence) {
      if (a.silencedBy !== silence.id) {
        opts.store.update(a.id, { silenced_by: silence.id, updated_at: opts.now.toISOString() });
      }
      opts.store.addHistory({ alertId: a.id, at: opts.now.toISOString(), actor: null, action: 'silenced', detail: { silence: silence.id, change: c.change, reason: silence.reason, until: silence.endsAt }, runId: opts.runId });
      continue;
    }
    const rule = opts.rules.byId(a.rule);
    const item: NotificationItem = {
      id: a.id,
      change: c.change,
      rule: a.rule,
      ruleName: rule?.name ?? { zh: a.rule, en: a.rule },
      region: a.region,
      regionName: regionName(a),
      level: a.level,
      period: a.period,
      lastPeriod: a.lastPeriod,
      severity: a.severity,
      state: a.state,
      reason: a.reason,
      value: a.value,
      threshold: a.threshold,
      escalation: a.escalation,
      url: opts.publicUrl ? `${opts.publicUrl}/alerts/${a.id}` : null,
    };
    const g = c.group ?? defaultGroup(a);
    const list = groups.get(g);
    if (list) list.push(item);
    else groups.set(g, [item]);
  }
  let queued = 0;
  for (const [g, items] of [...groups].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const name = loadRegions().byCode.get(g)?.name ?? g;
    const n = opts.outbox.enqueue(opts.runId, g, makePayload(opts.runId, opts.now.toISOString(), { region: g, name }, items));
    if (n > 0) for (const i of items) opts.store.addHistory({ alertId: i.id, at: opts.now.toISOString(), actor: null, action: 'notified', detail: { group: g, channels: n, change: i.change }, runId: opts.runId });
    queued += n;
  }
  return queued;
}
