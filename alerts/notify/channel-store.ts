/**
 * Notification channels (table alert_channels): a webhook URL with its HMAC secret, or
 * e-mail addresses, receiving the notification groups of one region: 'own' = the
 * groups of exactly that region (a county's alerts; a city's own and escalated
 * alerts), 'all' = every group within the region.
 */
import type { StateDb } from '../../warehouse/state/open-state-db.ts';
import { scopeWithin } from '../region-codes.ts';
import '../alert-schema.ts';

export interface Channel {
  readonly id: number;
  readonly name: string;
  readonly kind: 'webhook' | 'email';
  readonly region: string;
  readonly mode: 'own' | 'all';
  readonly target: string;
  readonly secret: string | null;
  readonly enabled: boolean;
  readonly createdBy: string | null;
  readonly createdAt: string;
}

export class ChannelError extends Error {
  override name = 'ChannelError';
}

interface Row {
  id: number;
  name: string;
  kind: string;
  region: string;
  mode: string;
  target: string;
  secret: string | null;
  enabled: number;
  created_by: string | null;
  created_at: string;
}

const toChannel = (r: Row): Channel => ({
  id: r.id,
  name: r.name,
  kind: r.kind as Channel['kind'],
  region: r.region,
  mode: r.mode as Channel['mode'],
  target: r.target,
  secret: r.secret,
  enabled: r.enabled === 1,
  createdBy: r.created_by,
  createdAt: r.created_at,
});

const EMAIL = /^[^@\s,<>]+@[^@\s,<>]+\.[^@\s,<>]+$|^[^@\s,<>]+@localhost$/;

export function checkChannel(c: { kind: string; target: string; secret?: string | null }): void {
  if (c.kind === 'webhook') {
    let url: URL;
    try {
      url = new URL(c.target);
    } catch {
      throw new ChannelError(`field 'target': '${c.target}' is not a URL`);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new ChannelError("field 'target': a webhook URL must be http or https");
    if (!c.secret || c.secret.length < 16) throw new ChannelError("field 'secret': a webhook needs a secret of at least 16 characters (HMAC-SHA256 key)");
  } else if (c.kind === 'email') {
    const addresses = c.target.split(',').map((a) => a.trim()).filter(Boolean);
    if (addresses.length === 0) throw new ChannelError("field 'target': at least one e-mail address");
    for (const a of addresses) if (!EMAIL.test(a)) throw new ChannelError(`field 'target': '${a}' is not an e-mail address`);
  } else {
    throw new ChannelError(`field 'kind': must be webhook or email`);
  }
}

export class ChannelStore {
  constructor(private readonly db: StateDb) {}

  add(c: { name: string; kind: 'webhook' | 'email'; region: string; mode?: 'own' | 'all'; target: string; secret?: string | null; createdBy: string | null; now: Date }): Channel {
    checkChannel(c);
    const info = this.db
      .prepare('INSERT INTO alert_channels (name, kind, region, mode, target, secret, enabled, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?)')
      .run(c.name, c.kind, c.region, c.mode ?? 'own', c.target, c.secret ?? null, c.createdBy, c.now.toISOString());
    return this.get(Number(info.lastInsertRowid))!;
  }

  get(id: number): Channel | undefined {
    const r = this.db.prepare('SELECT * FROM alert_channels WHERE id = ?').get(id) as Row | undefined;
    return r ? toChannel(r) : undefined;
  }

  setEnabled(id: number, enabled: boolean): Channel | undefined {
    this.db.prepare('UPDATE alert_channels SET enabled = ? WHERE id = ?').run(enabled ? 1 : 0, id);
    return this.get(id);
  }

  all(): Channel[] {
    return (this.db.prepare('SELECT * FROM alert_channels ORDER BY id').all() as Row[]).map(toChannel);
  }

  /** Enabled channels that receive the group of `groupRegion`. */
  receiving(groupRegion: string): Channel[] {
    return this.all().filter((c) => c.enabled && (c.mode === 'own' ? c.region === groupRegion : c.region === groupRegion || scopeWithin(c.region, groupRegion)));
  }
}
