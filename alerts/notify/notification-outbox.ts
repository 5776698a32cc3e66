/**
 * The notification outbox: notifications are written in the same transaction as the
 * alert changes they report (so a crash loses none), then dispatched: each is claimed
 * (so two processes never send the same one), sent with retries and exponential
 * backoff (backoff × 2^(attempt−1)), and every attempt is logged in alert_deliveries.
 * A notification claimed by a process that died is reclaimed after 10 minutes.
 */
import type { StateDb } from '../../warehouse/state/open-state-db.ts';
import type { AlertSettings } from '../alert-settings.ts';
import { ChannelStore, type Channel } from './channel-store.ts';
import { emailSubject, emailText, type NotificationPayload } from './notification-payload.ts';
import { sendWebhook, type SendResult } from './webhook-sender.ts';
import { sendEmail } from './email-sender.ts';
import '../alert-schema.ts';

const RECLAIM_MS = 10 * 60_000;

export interface NotificationRecord {
  readonly id: number;
  readonly runId: string;
  readonly channelId: number;
  readonly groupRegion: string;
  readonly payload: NotificationPayload;
  readonly status: 'pending' | 'sending' | 'sent' | 'failed';
  readonly attempts: number;
  readonly createdAt: string;
  readonly sentAt: string | null;
  readonly lastError: string | null;
}

export interface DeliveryRecord {
  readonly id: number;
  readonly notificationId: number;
  readonly attempt: number;
  readonly at: string;
  readonly ok: boolean;
  readonly statusCode: number | null;
  readonly error: string | null;
  readonly ms: number;
}

interface Row {
  id: number;
  run_id: string;
  channel_id: number;
  group_region: string;
  payload: string;
  status: string;
  attempts: number;
  created_at: string;
  sent_at: string | null;
  last_error: string | null;
}

const toRecord = (r: Row): NotificationRecord => ({
  id: r.id,
  runId: r.run_id,
  channelId: r.channel_id,
  groupRegion: r.group_region,
  payload: JSON.parse(r.payload),
  status: r.status as NotificationRecord['status'],
  attempts: r.attempts,
  createdAt: r.created_at,
  sentAt: r.sent_at,
  lastError: r.last_error,
});

export interface OutboxOptions {
  readonly now?: () => Date;
  readonly sleep?: (ms: number) => Promise<void>;
}

export class NotificationOutbox {
  private readonly now: () => Date;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly channels: ChannelStore;

  constructor(
    private readonly db: StateDb,
    opts: OutboxOptions = {},
  ) {
    this.now = opts.now ?? (() => new Date());
    this.sleep = opts.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.channels = new ChannelStore(db);
  }

  /** Queues one notification per receiving channel (call inside the run's transaction). */
  enqueue(runId: string, groupRegion: string, payload: NotificationPayload): number {
    const insert = this.db.prepare(
      `INSERT INTO alert_notifications (run_id, channel_id, group_region, payload, status, created_at) VALUES (?, ?, ?, ?, 'pending', ?)
       ON CONFLICT (run_id, channel_id, group_region) DO NOTHING`,
    );
    let n = 0;
    for (const c of this.channels.receiving(groupRegion)) n += insert.run(runId, c.id, groupRegion, JSON.stringify(payload), this.now().toISOString()).changes;
    return n;
  }

  private claim(): Row | undefined {
    const now = this.now();
    const stale = new Date(now.getTime() - RECLAIM_MS).toISOString();
    return this.db.transaction(() => {
      const row = this.db
        .prepare("SELECT * FROM alert_notifications WHERE status = 'pending' OR (status = 'sending' AND claimed_at < ?) ORDER BY id LIMIT 1")
        .get(stale) as Row | undefined;
      if (!row) return undefined;
      this.db.prepare("UPDATE alert_notifications SET status = 'sending', claimed_at = ? WHERE id = ?").run(now.toISOString(), row.id);
      return row;
    }).immediate();
  }

  private async sendOnce(channel: Channel, n: Row, settings: AlertSettings): Promise<SendResult> {
    if (channel.kind === 'webhook') {
      return sendWebhook(channel.target, channel.secret ?? '', n.payload, { deliveryId: String(n.id), timeoutMs: settings.webhookTimeoutMs, now: this.now() });
    }
    if (!settings.smtp) return { ok: false, statusCode: null, error: 'SMTP is not configured (alert settings: smtp)', retryable: false };
    const payload = JSON.parse(n.payload) as NotificationPayload;
    const to = channel.target.split(',').map((a) => a.trim()).filter(Boolean);
    const domain = settings.smtp.from.replace(/.*@/, '').replace(/>$/, '');
    return sendEmail(settings.smtp, to, emailSubject(payload), emailText(payload), { timeoutMs: settings.webhookTimeoutMs, messageId: `<rlm-alerts-${n.id}@${domain}>` });
  }

  /** Sends every pending notification; returns how many were sent and failed. */
  async dispatch(settings: AlertSettings): Promise<{ sent: number; failed: number }> {
    let sent = 0;
    let failed = 0;
    const logAttempt = this.db.prepare('INSERT INTO alert_deliveries (notification_id, attempt, at, ok, status_code, error, ms) VALUES (?, ?, ?, ?, ?, ?, ?)');
    for (let row = this.claim(); row; row = this.claim()) {
      const channel = this.channels.get(row.channel_id);
      let result: SendResult = { ok: false, statusCode: null, error: 'channel deleted', retryable: false };
      let attempt = row.attempts;
      const maxAttempts = attempt + settings.webhookAttempts;
      while (channel && attempt < maxAttempts) {
        attempt++;
        const t0 = performance.now();
        result = channel.enabled ? await this.sendOnce(channel, row, settings) : { ok: false, statusCode: null, error: 'channel disabled', retryable: false };
        logAttempt.run(row.id, attempt, this.now().toISOString(), result.ok ? 1 : 0, result.statusCode, result.error, Math.round(performance.now() - t0));
        this.db.prepare('UPDATE alert_notifications SET attempts = ?, last_error = ?, claimed_at = ? WHERE id = ?').run(attempt, result.error, this.now().toISOString(), row.id);
        if (result.ok || !result.retryable) break;
        if (attempt < maxAttempts) await this.sleep(settings.webhookBackoffMs * 2 ** (attempt - row.attempts - 1));
      }
      if (result.ok) {
        this.db.prepare("UPDATE alert_notifications SET status = 'sent', sent_at = ?, last_error = NULL WHERE id = ?").run(this.now().toISOString(), row.id);
        sent++;
      } else {
        this.db.prepare("UPDATE alert_notifications SET status = 'failed', last_error = ? WHERE id = ?").run(result.error, row.id);
        failed++;
      }
    }
    return { sent, failed };
  }

  /** Puts failed notifications back in the queue (an administrator's retry). */
  requeueFailed(): number {
    return this.db.prepare("UPDATE alert_notifications SET status = 'pending', claimed_at = NULL WHERE status = 'failed'").run().changes;
  }

  list(filter: { status?: string; limit?: number } = {}): NotificationRecord[] {
    const rows = filter.status
      ? (this.db.prepare('SELECT * FROM alert_notifications WHERE status = ? ORDER BY id DESC LIMIT ?').all(filter.status, filter.limit ?? 100) as Row[])
      : (this.db.prepare('SELECT * FROM alert_notifications ORDER BY id DESC LIMIT ?').all(filter.limit ?? 100) as Row[]);
    return rows.map(toRecord);
  }

  get(id: number): NotificationRecord | undefined {
    const r = this.db.prepare('SELECT * FROM alert_notifications WHERE id = ?').get(id) as Row | undefined;
    return r ? toRecord(r) : undefined;
  }

  deliveries(notificationId: number): DeliveryRecord[] {
    return (this.db.prepare('SELECT * FROM alert_deliveries WHERE notification_id = ? ORDER BY id').all(notificationId) as {
      id: number; notification_id: number; attempt: number; at: string; ok: number; status_code: number | null; error: string | null; ms: number;
    }[]).map((r) => ({ id: r.id, notificationId: r.notification_id, attempt: r.attempt, at: r.at, ok: r.ok === 1, statusCode: r.status_code, error: r.error, ms: r.ms }));
  }
}
