/**
 * The briefings archive in the state database: drafts and published briefings with their
 * figures frozen as JSON, the warehouse version they came from and a SHA-256 of the
 * content. The only change a row can undergo is draft → published; SQLite triggers refuse
 * any UPDATE or DELETE of a published row, and one briefing per kind, region and period
 * can be published.
 */
import { createHash } from 'node:crypto';
import type { StateDb } from '../../warehouse/state/open-state-db.ts';
import type { BriefingContent, BriefingKind } from '../briefings/briefing-content.ts';

const DDL = `
CREATE TABLE IF NOT EXISTS briefings (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  kind TEXT NOT NULL CHECK (kind IN ('monthly', 'quarterly', 'annual')),
  region TEXT NOT NULL,
  period TEXT NOT NULL,
  title TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('draft', 'published')),
  warehouse_version TEXT NOT NULL,
  data_as_of TEXT NOT NULL,
  content TEXT NOT NULL,
  content_sha256 TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  published_by TEXT,
  published_at TEXT
);
CREATE INDEX IF NOT EXISTS briefings_region ON briefings (region, kind, period);
CREATE UNIQUE INDEX IF NOT EXISTS briefings_published_once ON briefings (kind, region, period) WHERE status = 'published';
CREATE TRIGGER IF NOT EXISTS briefings_published_frozen BEFORE UPDATE ON briefings WHEN OLD.status = 'published'
  BEGIN SELECT RAISE(ABORT, 'published briefings are immutable'); END;
CREATE TRIGGER IF NOT EXISTS briefings_published_kept BEFORE DELETE ON briefings WHEN OLD.status = 'published'
  BEGIN SELECT RAISE(ABORT, 'published briefings are archived and cannot be deleted'); END;
`;

export interface BriefingSummary {
  readonly id: number;
  readonly kind: BriefingKind;
  readonly region: string;
  readonly period: string;
  readonly title: string;
  readonly status: 'draft' | 'published';
  readonly warehouseVersion: string;
  readonly dataAsOf: string;
  readonly contentSha256: string;
  readonly createdBy: string;
  readonly createdAt: string;
  readonly publishedBy: string | null;
  readonly publishedAt: string | null;
}

export interface BriefingRecord extends BriefingSummary {
  readonly content: BriefingContent;
}

interface Row {
  id: number;
  kind: BriefingKind;
  region: string;
  period: string;
  title: string;
  status: 'draft' | 'published';
  warehouse_version: string;
  data_as_of: string;
  content?: string;
  content_sha256: string;
  created_by: string;
  created_at: string;
  published_by: string | null;
  published_at: string | null;
}

const summary = (r: Row): BriefingSummary => ({
  id: r.id,
  kind: r.kind,
  region: r.region,
  period: r.period,
  title: r.title,
  status: r.status,
  warehouseVersion: r.warehouse_version,
  dataAsOf: r.data_as_of,
  contentSha256: r.content_sha256,
  createdBy: r.created_by,
  createdAt: r.created_at,
  publishedBy: r.published_by,
  publishedAt: r.published_at,
});

const SUMMARY_COLUMNS = 'id, kind, region, period, title, status, warehouse_version, data_as_of, content_sha256, created_by, created_at, published_by, published_at';

export class PublishConflict extends Error {}

export class BriefingStore {
  constructor(
    private readonly db: StateDb,
    private readonly now: () => Date = () => new Date(),
  ) {
    db.exec(DDL);
  }

  create(content: BriefingContent, createdBy: string): BriefingRecord {
    const json = JSON.stringify(content);
    const sha = createHash('sha256').update(json).digest('hex');
    const info = this.db
      .prepare(
        `INSERT INTO briefings (kind, region, period, title, status, warehouse_version, data_as_of, content, content_sha256, created_by, created_at)
         VALUES (?, ?, ?, ?, 'draft', ?, ?, ?, ?, ?, ?)`,
      )
      .run(content.kind, content.region, content.period, content.title, content.warehouseVersion, content.dataAsOf, json, sha, createdBy, this.now().toISOString());
    return this.get(Number(info.lastInsertRowid))!;
  }

  get(id: number): BriefingRecord | undefined {
    const r = this.db.prepare('SELECT * FROM briefings WHERE id = ?').get(id) as Row | undefined;
    return r ? { ...summary(r), content: JSON.parse(r.content!) as BriefingContent } : undefined;
  }

  /** Briefings whose region lies in the scope (a code-prefix test), newest first. */
  list(filter: { scopePrefix: string; kind?: BriefingKind; region?: string; status?: 'draft' | 'published'; limit?: number }): BriefingSummary[] {
    const where = ['substr(region, 1, length(@scopePrefix)) = @scopePrefix'];
    const p: Record<string, unknown> = { scopePrefix: filter.scopePrefix, limit: filter.limit ?? 200 };
    if (filter.kind) (where.push('kind = @kind'), (p.kind = filter.kind));
    if (filter.region) (where.push('region = @region'), (p.region = filter.region));
    if (filter.status) (where.push('status = @status'), (p.status = filter.status));
    return (this.db.prepare(`SELECT ${SUMMARY_COLUMNS} FROM briefings WHERE ${where.join(' AND ')} ORDER BY id DESC LIMIT @limit`).all(p) as Row[]).map(summary);
  }

  /** The published briefing of a kind, region and period, if any. */
  published(kind: BriefingKind, region: string, period: string): BriefingRecord | undefined {
    const r = this.db.prepare("SELECT id FROM briefings WHERE kind = ? AND region = ? AND period = ? AND status = 'published'").get(kind, region, period) as { id: number } | undefined;
    return r ? this.get(r.id) : undefined;
  }

  /** Draft → published (the only UPDATE there is); PublishConflict when already published. */
  publish(id: number, by: string): BriefingRecord {
    return this.db.transaction(() => {
      const b = this.get(id);
      if (!b) throw new Error(`no briefing ${id}`);
      if (b.status === 'published') throw new PublishConflict(`briefing ${id} was published on ${b.publishedAt} by ${b.publishedBy}; published briefings are immutable`);
      const other = this.published(b.kind, b.region, b.period);
      if (other) throw new PublishConflict(`briefing ${other.id} is already the published ${b.kind} briefing of ${b.region} for ${b.period}`);
      this.db.prepare("UPDATE briefings SET status = 'published', published_by = ?, published_at = ? WHERE id = ? AND status = 'draft'").run(by, this.now().toISOString(), id);
      return this.get(id)!;
    }).immediate();
  }
}
