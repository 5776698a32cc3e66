/**
 * Silences: an administrator or a responsible user mutes notifications for a matcher
 * (rule or every rule; a region and everything below it; severities up to a level)
 * until an end time, with a reason. Silenced alerts still change state and stay in the
 * inbox, marked with the silence; they are not notified.
 */
import type { StateDb } from '../warehouse/state/open-state-db.ts';
import { severityRank, type Severity } from './severity.ts';
import { scopeWithin } from './region-codes.ts';
import './alert-schema.ts';

export interface Silence {
  readonly id: number;
  readonly rule: string | null;
  readonly region: string;
  readonly severity: Severity | null;
  readonly startsAt: string;
  readonly endsAt: string;
  readonly reason: string;
  readonly createdBy: string;
  readonly createdAt: string;
  readonly expiredBy: string | null;
  readonly expiredAt: string | null;
}

interface Row {
  id: number;
  rule: string | null;
  region: string;
  severity: string | null;
  starts_at: string;
  ends_at: string;
  reason: string;
  created_by: string;
  created_at: string;
  expired_by: string | null;
  expired_at: string | null;
}

const toSilence = (r: Row): Silence => ({
  id: r.id,
  rule: r.rule,
  region: r.region,
  severity: r.severity as Severity | null,
  startsAt: r.starts_at,
  endsAt: r.ends_at,
  reason: r.reason,
  createdBy: r.created_by,
  createdAt: r.created_at,
  expiredBy: r.expired_by,
  expiredAt: r.expired_at,
});

export function isActive(s: Silence, now: Date): boolean {
  const t = now.toISOString();
  return s.expiredAt === null && s.startsAt <= t && t < s.endsAt;
}

/** Whether an active silence mutes an alert (rule, scope, severity). */
export function silences(s: Silence, alert: { rule: string; scope: string; severity: Severity | null }, now: Date): boolean {
  if (!isActive(s, now)) return false;
  if (s.rule !== null && s.rule !== alert.rule) return false;
  if (!scopeWithin(s.region, alert.scope)) return false;
  if (s.severity !== null && severityRank(alert.severity) > severityRank(s.severity)) return false;
  return true;
}

export class SilenceStore {
  constructor(private readonly db: StateDb) {}

  add(s: { rule: string | null; region: string; severity: Severity | null; startsAt: string; endsAt: string; reason: string; createdBy: string; now: Date }): Silence {
    const info = this.db
      .prepare('INSERT INTO alert_silences (rule, region, severity, starts_at, ends_at, reason, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(s.rule, s.region, s.severity, s.startsAt, s.endsAt, s.reason, s.createdBy, s.now.toISOString());
    return this.get(Number(info.lastInsertRowid))!;
  }

  get(id: number): Silence | undefined {
    const r = this.db.prepare('SELECT * FROM alert_silences WHERE id = ?').get(id) as Row | undefined;
    return r ? toSilence(r) : undefined;
  }

  /** Ends a silence now (kept for the record). */
  expire(id: number, by: string, now: Date): Silence | undefined {
    this.db.prepare('UPDATE alert_silences SET expired_by = ?, expired_at = ? WHERE id = ? AND expired_at IS NULL').run(by, now.toISOString(), id);
    return this.get(id);
  }

  all(): Silence[] {
    return (this.db.prepare('SELECT * FROM alert_silences ORDER BY id DESC').all() as Row[]).map(toSilence);
  }

  active(now: Date): Silence[] {
    return this.all().filter((s) => isActive(s, now));
  }
}
