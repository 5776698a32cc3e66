/**
 * Login rate limiting and temporary lockout, in the state database so that it holds
 * across restarts: after `maxFailures` failed logins for a username (or from one IP)
 * within `windowMs`, further attempts are refused until `lockMs` has passed.
 */
import { stateSchema, type StateDb } from '../../warehouse/state/open-state-db.ts';

stateSchema(
  'login_throttle',
  `CREATE TABLE IF NOT EXISTS login_failures (key TEXT NOT NULL, at INTEGER NOT NULL);
   CREATE INDEX IF NOT EXISTS login_failures_key ON login_failures (key, at);`,
);

export interface ThrottlePolicy {
  readonly maxFailures: number;
  readonly windowMs: number;
  readonly lockMs: number;
  /** IPs get a higher limit than usernames (many users behind one office NAT). */
  readonly maxFailuresPerIp: number;
}

export const DEFAULT_THROTTLE: ThrottlePolicy = { maxFailures: 5, windowMs: 15 * 60_000, lockMs: 15 * 60_000, maxFailuresPerIp: 50 };

export class LoginThrottle {
  constructor(
    private readonly db: StateDb,
    private readonly policy: ThrottlePolicy = DEFAULT_THROTTLE,
    private readonly now: () => number = Date.now,
  ) {}

  /** Milliseconds until the next attempt is allowed, or 0 when allowed now. */
  retryAfterMs(username: string, ip: string): number {
    return Math.max(this.lockRemaining(`u:${username.toLowerCase()}`, this.policy.maxFailures), this.lockRemaining(`ip:${ip}`, this.policy.maxFailuresPerIp));
  }

  recordFailure(username: string, ip: string): void {
    const t = this.now();
    const ins = this.db.prepare('INSERT INTO login_failures (key, at) VALUES (?, ?)');
    ins.run(`u:${username.toLowerCase()}`, t);
    ins.run(`ip:${ip}`, t);
    this.db.prepare('DELETE FROM login_failures WHERE at < ?').run(t - Math.max(this.policy.windowMs, this.policy.lockMs) * 2);
  }

  recordSuccess(username: string): void {
    this.db.prepare('DELETE FROM login_failures WHERE key = ?').run(`u:${username.toLowerCase()}`);
  }

  private lockRemaining(key: string, max: number): number {
    const t = this.now();
    const rows = this.db.prepare('SELECT at FROM login_failures WHERE key = ? AND at >= ? ORDER BY at DESC').all(key, t - this.policy.windowMs - this.policy.lockMs) as { at: number }[];
    // Locked when `max` failures fall within one window; the lock runs from the latest of them.
    for (let i = 0; i + max - 1 < rows.length; i++) {
      const newest = rows[i].at;
      const oldest = rows[i + max - 1].at;
      if (newest - oldest <= this.policy.windowMs) return Math.max(0, newest + this.policy.lockMs - t);
    }
    return 0;
  }
}
