/**
 * The application-state database: users, sessions, alerts, audit log, briefings archive,
 * and the refresh run log. It is never swapped or rebuilt by a refresh.
 *
 * SQLite (better-sqlite3) in WAL mode rather than DuckDB: several processes use it at
 * once (the server, `npm run refresh`, `npm run users`), which DuckDB's single-writer
 * file lock does not allow; and its work is small transactional writes, SQLite's
 * strength. See docs/ARCHITECTURE.md.
 *
 * Each module that keeps state declares its tables with `stateSchema(name, sql)`; the
 * statements are idempotent (CREATE ... IF NOT EXISTS) and run when the database opens.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';

export type StateDb = Database.Database;

const schemas = new Map<string, string>();

/** Registers the DDL of one module; runs on every open (must be idempotent). */
export function stateSchema(name: string, sql: string): void {
  schemas.set(name, sql);
}

export function stateDbPath(dataDir: string): string {
  return join(dataDir, 'state', 'state.sqlite');
}

/** Opens (creating if needed) the state database of a data folder. */
export function openStateDb(dataDir: string, options: { readonly?: boolean } = {}): StateDb {
  const file = stateDbPath(dataDir);
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const db = new Database(file, { readonly: options.readonly ?? false, fileMustExist: options.readonly ?? false });
  db.pragma('busy_timeout = 10000');
  if (!options.readonly) {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    for (const sql of schemas.values()) db.exec(sql);
  }
  return db;
}
