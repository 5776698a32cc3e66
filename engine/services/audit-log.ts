/**
 * The audit log: append-only and hash-chained, so that any change to a past entry
 * (or a deleted entry) is detectable. Each entry's hash is SHA-256 over the previous
 * entry's hash and the entry's canonical content.
 *
 * Logged: logins and failed logins, every read of person-level data, every reveal,
 * every export and approval, every alert action, every admin change.
 */
import { createHash } from 'node:crypto';
import { stateSchema, type StateDb } from '../../warehouse/state/open-state-db.ts';

stateSchema(
  'audit',
  `CREATE TABLE IF NOT EXISTS audit_log (
     seq INTEGER PRIMARY KEY,
     at TEXT NOT NULL,
     actor TEXT,
     action TEXT NOT NULL,
     region TEXT,
     target TEXT,
     detail TEXT NOT NULL,
     ip TEXT,
     prev_hash TEXT NOT NULL,
     hash TEXT NOT NULL
   );
   CREATE TRIGGER IF NOT EXISTS audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
   CREATE TRIGGER IF NOT EXISTS audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;`,
);

export interface AuditEntry {
  readonly actor: string | null;
  readonly action: string;
  readonly region?: string | null;
  readonly target?: string | null;
  readonly detail?: Record<string, unknown>;
  readonly ip?: string | null;
}

export interface AuditRow {
  seq: number;
  at: string;
  actor: string | null;
  action: string;
  region: string | null;
  target: string | null;
  detail: string;
  ip: string | null;
  prev_hash: string;
  hash: string;
}

const GENESIS = '0'.repeat(64);

function entryHash(prev: string, r: Omit<AuditRow, 'hash' | 'prev_hash'>): string {
  const canonical = JSON.stringify([r.seq, r.at, r.actor, r.action, r.region, r.target, r.detail, r.ip]);
  return createHash('sha256').update(prev).update('\n').update(canonical).digest('hex');
}

export class AuditLog {
  constructor(
    private readonly db: StateDb,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Appends an entry (in one transaction with reading the chain's head). */
  append(e: AuditEntry): AuditRow {
    return this.db.transaction(() => {
      const head = this.db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string } | undefined;
      const base = {
        seq: (head?.seq ?? 0) + 1,
        at: this.now().toISOString(),
        actor: e.actor,
        action: e.action,
        region: e.region ?? null,
        target: e.target ?? null,
        detail: JSON.stringify(e.detail ?? {}),
        ip: e.ip ?? null,
      };
      const prev = head?.hash ?? GENESIS;
      const row: AuditRow = { ...base, prev_hash: prev, hash: entryHash(prev, base) };
      this.db
        .prepare('INSERT INTO audit_log (seq, at, actor, action, region, target, detail, ip, prev_hash, hash) VALUES (@seq, @at, @actor, @action, @region, @target, @detail, @ip, @prev_hash, @hash)')
        .run(row);
      return row;
    }).immediate();
  }

  /** Entries, newest first, with optional filters. */
  list(filter: { actor?: string; action?: string; since?: string; limit?: number; offset?: number } = {}): AuditRow[] {
    const where: string[] = [];
    const params: Record<string, unknown> = { limit: filter.limit ?? 100, offset: filter.offset ?? 0 };
    if (filter.actor) (where.push('actor = @actor'), (params.actor = filter.actor));
    if (filter.action) (where.push('action = @action'), (params.action = filter.action));
    if (filter.since) (where.push('at >= @since'), (params.since = filter.since));
    const sql = `SELECT * FROM audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT @limit OFFSET @offset`;
    return this.db.prepare(sql).all(params) as AuditRow[];
  }

  /** Walks the whole chain; returns the first broken entry, or ok. */
  verify(): { ok: true; entries: number } | { ok: false; seq: number; problem: string } {
    let prev = GENESIS;
    let expectedSeq = 1;
    let n = 0;
    for (const r of this.db.prepare('SELECT * FROM audit_log ORDER BY seq').iterate() as IterableIterator<AuditRow>) {
      if (r.seq !== expectedSeq) return { ok: false, seq: r.seq, problem: `entry ${expectedSeq} is missing` };
      if (r.prev_hash !== prev) return { ok: false, seq: r.seq, problem: 'previous-hash link broken' };
      const { hash, prev_hash: _p, ...base } = r;
      if (entryHash(prev, base) !== hash) return { ok: false, seq: r.seq, problem: 'content does not match its hash' };
      prev = hash;
      expectedSeq++;
      n++;
    }
    return { ok: true, entries: n };
  }
}
