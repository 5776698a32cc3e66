/**
 * Server-side sessions in the state database. The cookie holds a random token; the
 * table holds only its SHA-256, so a stolen state file yields no usable session.
 * Idle and absolute expiry; logout; logout everywhere. Each session has its own CSRF
 * token, which state-changing requests must echo in the x-csrf-token header.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { stateSchema, type StateDb } from '../../warehouse/state/open-state-db.ts';

stateSchema(
  'sessions',
  `CREATE TABLE IF NOT EXISTS sessions (
     token_hash TEXT PRIMARY KEY,
     username TEXT NOT NULL,
     csrf_token TEXT NOT NULL,
     created_at INTEGER NOT NULL,
     last_seen_at INTEGER NOT NULL,
     ip TEXT
   );
   CREATE INDEX IF NOT EXISTS sessions_user ON sessions (username);`,
);

export interface Session {
  readonly tokenHash: string;
  readonly username: string;
  readonly csrfToken: string;
  readonly createdAt: number;
}

export interface SessionPolicy {
  readonly idleMs: number;
  readonly absoluteMs: number;
}

export const DEFAULT_SESSION_POLICY: SessionPolicy = { idleMs: 30 * 60_000, absoluteMs: 12 * 3_600_000 };

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

export class SessionStore {
  constructor(
    private readonly db: StateDb,
    private readonly policy: SessionPolicy = DEFAULT_SESSION_POLICY,
    private readonly now: () => number = Date.now,
  ) {}

  /** Creates a session; returns the cookie token (shown once) and the session. */
  create(username: string, ip: string | null): { token: string; session: Session } {
    const token = randomBytes(32).toString('base64url');
    const csrfToken = randomBytes(24).toString('base64url');
    const t = this.now();
    this.db
      .prepare('INSERT INTO sessions (token_hash, username, csrf_token, created_at, last_seen_at, ip) VALUES (?, ?, ?, ?, ?, ?)')
      .run(sha(token), username, csrfToken, t, t, ip);
    return { token, session: { tokenHash: sha(token), username, csrfToken, createdAt: t } };
  }

  /** The live session of a cookie token (touching it), or undefined when unknown or expired. */
  resolve(token: string | undefined): Session | undefined {
    if (!token || token.length > 100) return undefined;
    const h = sha(token);
    const r = this.db.prepare('SELECT * FROM sessions WHERE token_hash = ?').get(h) as
      | { token_hash: string; username: string; csrf_token: string; created_at: number; last_seen_at: number }
      | undefined;
    if (!r) return undefined;
    const t = this.now();
    if (t - r.last_seen_at > this.policy.idleMs || t - r.created_at > this.policy.absoluteMs) {
      this.db.prepare('DELETE FROM sessions WHERE token_hash = ?').run(h);
      return undefined;
    }
    if (t - r.last_seen_at > 60_000) this.db.prepare('UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?').run(t, h);
    return { tokenHash: h, username: r.username, csrfToken: r.csrf_token, createdAt: r.created_at };
  }

  destroy(tokenHash: string): void {
    this.db.prepare('DELETE FROM sessions WHERE token_hash = ?').run(tokenHash);
  }

  /** Ends every session of a user (logout everywhere, password reset, disabling). */
  destroyAllOf(username: string): number {
    return this.db.prepare('DELETE FROM sessions WHERE username = ?').run(username).changes;
  }

  purgeExpired(): number {
    const t = this.now();
    return this.db.prepare('DELETE FROM sessions WHERE last_seen_at < ? OR created_at < ?').run(t - this.policy.idleMs, t - this.policy.absoluteMs).changes;
  }
}

/** Constant-time comparison of a presented CSRF token with the session's. */
export function csrfMatches(session: Session, presented: string | undefined): boolean {
  if (!presented) return false;
  const a = Buffer.from(session.csrfToken);
  const b = Buffer.from(presented);
  return a.length === b.length && timingSafeEqual(a, b);
}
