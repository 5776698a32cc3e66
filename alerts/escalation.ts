/**
 * Escalation: a firing alert that nobody has acknowledged goes up a level — from the
 * county (or below) to the city after `escalationToCityDays` days since it fired, then
 * to the province after `escalationToProvinceDays` more; a city's own alert goes to the
 * province after `escalationToProvinceDays`. Each step is recorded in the alert's
 * history and notified to the level it reaches. Time-based: run after every
 * evaluation and on the alert cron, with the injected clock.
 */
import type { AlertRecord, AlertStore } from './alert-store.ts';
import type { AlertSettings } from './alert-settings.ts';
import type { PendingChange } from './notify/notification-items.ts';
import { PROVINCE_CODE } from '../warehouse/reference/regions.ts';

const DAY = 86_400_000;

/** The escalation an alert should have at `now` (never lower than it has). */
export function dueEscalation(a: AlertRecord, settings: AlertSettings, now: Date): AlertRecord['escalation'] {
  if (a.state !== 'firing' || a.workflow !== 'open' || !a.firedAt || a.inhibitedBy !== null || a.level === 'province') return a.escalation;
  const days = (now.getTime() - Date.parse(a.firedAt)) / DAY;
  if (a.level === 'city') return days >= settings.escalationToProvinceDays ? 'province' : a.escalation;
  if (days >= settings.escalationToCityDays + settings.escalationToProvinceDays) return 'province';
  if (days >= settings.escalationToCityDays) return a.escalation === 'province' ? 'province' : 'city';
  return a.escalation;
}

/** Escalates what is due (call inside a transaction); returns the changes to notify. */
export function escalateDue(store: AlertStore, settings: AlertSettings, now: Date, runId: string | null): PendingChange[] {
  const changes: PendingChange[] = [];
  for (const a of store.open()) {
    const due = dueEscalation(a, settings, now);
    if (due === a.escalation) continue;
    const days = Math.floor((now.getTime() - Date.parse(a.firedAt!)) / DAY);
    store.update(a.id, { escalation: due, escalated_at: now.toISOString(), updated_at: now.toISOString() });
    store.addHistory({ alertId: a.id, at: now.toISOString(), actor: null, action: 'escalated', fromState: a.escalation, toState: due, detail: { daysSinceFired: days, reason: `not acknowledged ${days} days after firing` }, runId });
    changes.push({ alertId: a.id, change: 'escalated', group: due === 'city' ? a.city ?? PROVINCE_CODE : PROVINCE_CODE });
  }
  return changes;
}
