/**
 * Alert settings, kept in the state database (table alert_settings, one JSON value per
 * key) and changed by administrators through the API; defaults below. Every value is
 * validated; errors name the field.
 */
import type { StateDb } from '../warehouse/state/open-state-db.ts';
import './alert-schema.ts';

export interface SmtpSettings {
  readonly host: string;
  readonly port: number;
  /** TLS from the start (port 465); otherwise STARTTLS when the server offers it. */
  readonly secure: boolean;
  readonly user?: string;
  readonly password?: string;
  readonly from: string;
}

export interface AlertSettings {
  /** Day of the following month by which a point must submit. */
  readonly deadlineDay: number;
  /** Festival day at which the departure lag is measured. */
  readonly festivalLagDay: number;
  /** Unacknowledged firing alerts go to the city after this many days, then to the province after this many more. */
  readonly escalationToCityDays: number;
  readonly escalationToProvinceDays: number;
  /** On the first run (no earlier evaluation), how many months back to evaluate so that episodes start in their true month. */
  readonly backfillMonths: number;
  readonly webhookAttempts: number;
  readonly webhookBackoffMs: number;
  readonly webhookTimeoutMs: number;
  /** Base URL of the web app, for links in notifications (empty: no links). */
  readonly publicUrl: string;
  readonly smtp: SmtpSettings | null;
}

export const DEFAULT_ALERT_SETTINGS: AlertSettings = {
  deadlineDay: 5,
  festivalLagDay: 30,
  escalationToCityDays: 3,
  escalationToProvinceDays: 4,
  backfillMonths: 12,
  webhookAttempts: 5,
  webhookBackoffMs: 1000,
  webhookTimeoutMs: 10_000,
  publicUrl: '',
  smtp: null,
};

export class SettingsError extends Error {
  override name = 'SettingsError';
}

const INT_FIELDS: Record<string, [number, number]> = {
  deadlineDay: [1, 28],
  festivalLagDay: [1, 60],
  escalationToCityDays: [1, 60],
  escalationToProvinceDays: [1, 60],
  backfillMonths: [1, 36],
  webhookAttempts: [1, 10],
  webhookBackoffMs: [1, 600_000],
  webhookTimeoutMs: [100, 120_000],
};

function checkSmtp(v: unknown): SmtpSettings | null {
  if (v === null) return null;
  if (typeof v !== 'object' || Array.isArray(v)) throw new SettingsError("field 'smtp': must be an object or null");
  const o = v as Record<string, unknown>;
  for (const k of Object.keys(o)) if (!['host', 'port', 'secure', 'user', 'password', 'from'].includes(k)) throw new SettingsError(`field 'smtp.${k}': unknown field`);
  if (typeof o.host !== 'string' || !/^[A-Za-z0-9.:-]{1,253}$/.test(o.host)) throw new SettingsError("field 'smtp.host': must be a host name or address");
  if (!Number.isInteger(o.port) || (o.port as number) < 1 || (o.port as number) > 65535) throw new SettingsError("field 'smtp.port': must be a port number");
  if (typeof o.secure !== 'boolean') throw new SettingsError("field 'smtp.secure': must be true or false");
  if (typeof o.from !== 'string' || !/^[^@\s<>]+@[^@\s<>]+$|<[^@\s<>]+@[^@\s<>]+>$/.test(o.from)) throw new SettingsError("field 'smtp.from': must be an e-mail address");
  for (const k of ['user', 'password'] as const) if (o[k] !== undefined && typeof o[k] !== 'string') throw new SettingsError(`field 'smtp.${k}': must be a string`);
  return { host: o.host, port: o.port as number, secure: o.secure, from: o.from, ...(o.user ? { user: o.user as string } : {}), ...(o.password ? { password: o.password as string } : {}) };
}

/** Validates a partial settings object; returns the validated values. */
export function validateSettings(patch: Record<string, unknown>): Partial<AlertSettings> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(patch)) {
    if (k in INT_FIELDS) {
      const [lo, hi] = INT_FIELDS[k];
      if (!Number.isInteger(v) || (v as number) < lo || (v as number) > hi) throw new SettingsError(`field '${k}': must be an integer from ${lo} to ${hi}`);
      out[k] = v;
    } else if (k === 'publicUrl') {
      if (typeof v !== 'string' || (v !== '' && !/^https?:\/\/[^\s]+$/.test(v))) throw new SettingsError("field 'publicUrl': must be an http(s) URL or empty");
      out[k] = v.replace(/\/+$/, '');
    } else if (k === 'smtp') {
      out[k] = checkSmtp(v);
    } else {
      throw new SettingsError(`field '${k}': unknown setting`);
    }
  }
  return out as Partial<AlertSettings>;
}

export function readSettings(db: StateDb): AlertSettings {
  const rows = db.prepare('SELECT key, value FROM alert_settings').all() as { key: string; value: string }[];
  const stored: Record<string, unknown> = {};
  for (const r of rows) stored[r.key] = JSON.parse(r.value);
  return { ...DEFAULT_ALERT_SETTINGS, ...validateSettings(stored) };
}

export function writeSettings(db: StateDb, patch: Record<string, unknown>, actor: string | null, now: Date): AlertSettings {
  const valid = validateSettings(patch);
  const put = db.prepare(
    'INSERT INTO alert_settings (key, value, updated_by, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_by = excluded.updated_by, updated_at = excluded.updated_at',
  );
  db.transaction(() => {
    for (const [k, v] of Object.entries(valid)) put.run(k, JSON.stringify(v), actor, now.toISOString());
  })();
  return readSettings(db);
}

/** Settings for display: the SMTP password is never returned. */
export function publicSettings(s: AlertSettings): Omit<AlertSettings, 'smtp'> & { smtp: (Omit<SmtpSettings, 'password'> & { passwordSet: boolean }) | null } {
  const { smtp, ...rest } = s;
  if (!smtp) return { ...rest, smtp: null };
  const { password, ...visible } = smtp;
  return { ...rest, smtp: { ...visible, passwordSet: Boolean(password) } };
}
