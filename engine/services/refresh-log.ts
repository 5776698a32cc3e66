/**
 * Read access to the refresh run log in the state database (refresh_runs, refresh_files,
 * refresh_steps, written by the warehouse refresh). The tables are created by the refresh
 * module's schema; before the first refresh they may not exist: then there are no runs.
 */
import type { StateDb } from '../../warehouse/state/open-state-db.ts';

export interface RefreshRunRow {
  run_id: string;
  trigger: string | null;
  started_at: string | null;
  finished_at: string | null;
  result: string | null;
  message: string | null;
  version: string | null;
  data_as_of: string | null;
}

export interface RefreshFileRow {
  batch: string;
  rel_path: string;
  sha256: string | null;
  format: string | null;
  encoding: string | null;
  rows_read: number | null;
  rows_loaded: number | null;
  rows_quarantined: number | null;
  by_reason: Record<string, number>;
  status: string | null;
}

export class RefreshLog {
  constructor(private readonly db: StateDb) {}

  private has(table: string): boolean {
    return Boolean(this.db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(table));
  }

  runs(limit: number, result?: string): RefreshRunRow[] {
    if (!this.has('refresh_runs')) return [];
    const sql = `SELECT run_id, trigger, started_at, finished_at, result, message, version, data_as_of FROM refresh_runs
      ${result ? 'WHERE result = ?' : ''} ORDER BY started_at DESC, rowid DESC LIMIT ?`;
    return this.db.prepare(sql).all(...(result ? [result, limit] : [limit])) as RefreshRunRow[];
  }

  run(runId: string): RefreshRunRow | undefined {
    if (!this.has('refresh_runs')) return undefined;
    return this.db.prepare('SELECT run_id, trigger, started_at, finished_at, result, message, version, data_as_of FROM refresh_runs WHERE run_id = ?').get(runId) as RefreshRunRow | undefined;
  }

  files(runId: string): RefreshFileRow[] {
    if (!this.has('refresh_files')) return [];
    const rows = this.db
      .prepare('SELECT batch, rel_path, sha256, format, encoding, rows_read, rows_loaded, rows_quarantined, by_reason, status FROM refresh_files WHERE run_id = ? ORDER BY batch, rel_path')
      .all(runId) as (Omit<RefreshFileRow, 'by_reason'> & { by_reason: string | null })[];
    return rows.map((r) => ({ ...r, by_reason: parseReasons(r.by_reason) }));
  }

  steps(runId: string): { step: string; ms: number }[] {
    if (!this.has('refresh_steps')) return [];
    return this.db.prepare('SELECT step, ms FROM refresh_steps WHERE run_id = ? ORDER BY rowid').all(runId) as { step: string; ms: number }[];
  }
}

function parseReasons(json: string | null): Record<string, number> {
  if (!json) return {};
  try {
    const v = JSON.parse(json) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, number>) : {};
  } catch {
    return {};
  }
}
