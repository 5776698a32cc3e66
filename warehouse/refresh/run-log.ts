/**
 * The refresh run log in the application-state database (never replaced by a refresh):
 * refresh_runs (one row per run), refresh_files (every file a run considered, with hash,
 * format, encoding, counts and counts per reject reason), refresh_steps (duration of each
 * step). The engine's operations page reads these tables.
 */
import { stateSchema, type StateDb } from '../state/open-state-db.ts';

stateSchema(
  'refresh-run-log',
  `CREATE TABLE IF NOT EXISTS refresh_runs (
     run_id TEXT PRIMARY KEY,
     trigger TEXT NOT NULL,
     started_at TEXT NOT NULL,
     finished_at TEXT,
     result TEXT,            -- published | nothing_new | failed | rolled_back; NULL while running (or killed)
     message TEXT,
     version TEXT,
     data_as_of TEXT,
     pid INTEGER
   );
   CREATE TABLE IF NOT EXISTS refresh_files (
     run_id TEXT NOT NULL,
     batch TEXT NOT NULL,
     rel_path TEXT NOT NULL,
     sha256 TEXT,
     format TEXT,
     encoding TEXT,
     rows_read INTEGER,
     rows_loaded INTEGER,
     rows_quarantined INTEGER,
     by_reason TEXT,         -- JSON {reason: count}
     status TEXT NOT NULL,   -- loaded | skipped | failed
     rows_already_present INTEGER,
     message TEXT,
     PRIMARY KEY (run_id, rel_path)
   );
   CREATE TABLE IF NOT EXISTS refresh_steps (
     run_id TEXT NOT NULL,
     step TEXT NOT NULL,
     ms INTEGER NOT NULL
   );
   CREATE INDEX IF NOT EXISTS refresh_runs_started ON refresh_runs (started_at);`,
);

export interface FileLogEntry {
  readonly batch: string;
  readonly relPath: string;
  readonly sha256: string | null;
  readonly format: string | null;
  readonly encoding: string | null;
  readonly rowsRead: number | null;
  readonly rowsLoaded: number | null;
  readonly rowsQuarantined: number | null;
  readonly byReason: Record<string, number> | null;
  readonly status: 'loaded' | 'skipped' | 'failed';
  readonly rowsAlreadyPresent?: number | null;
  readonly message?: string | null;
}

export class RunLog {
  constructor(
    private readonly db: StateDb,
    readonly runId: string,
  ) {}

  start(trigger: string, startedAt: string): void {
    this.db
      .prepare('INSERT INTO refresh_runs (run_id, trigger, started_at, pid) VALUES (?, ?, ?, ?)')
      .run(this.runId, trigger, startedAt, process.pid);
  }

  file(e: FileLogEntry): void {
    this.db
      .prepare(
        `INSERT OR REPLACE INTO refresh_files (run_id, batch, rel_path, sha256, format, encoding, rows_read, rows_loaded,
           rows_quarantined, by_reason, status, rows_already_present, message) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(this.runId, e.batch, e.relPath, e.sha256, e.format, e.encoding, e.rowsRead, e.rowsLoaded, e.rowsQuarantined,
        e.byReason ? JSON.stringify(e.byReason) : null, e.status, e.rowsAlreadyPresent ?? null, e.message ?? null);
  }

  step(step: string, ms: number): void {
    this.db.prepare('INSERT INTO refresh_steps (run_id, step, ms) VALUES (?, ?, ?)').run(this.runId, step, Math.round(ms));
  }

  finish(result: string, message: string, version: string | null, dataAsOf: string | null, finishedAt: string): void {
    this.db
      .prepare('UPDATE refresh_runs SET finished_at = ?, result = ?, message = ?, version = ?, data_as_of = ? WHERE run_id = ?')
      .run(finishedAt, result, message, version, dataAsOf, this.runId);
  }
}

/** Marks runs left unfinished by a killed process (called by the next run). */
export function closeAbandonedRuns(db: StateDb, finishedAt: string): number {
  return db
    .prepare(`UPDATE refresh_runs SET result = 'failed', finished_at = ?, message = 'the refresh process ended without finishing (killed?)'
              WHERE result IS NULL`)
    .run(finishedAt).changes;
}
