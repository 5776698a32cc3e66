/**
 * What a file loader needs: the connection (staging catalog as default, the build
 * attached as `wh`), the run and file identity as SQL parameters, the keys, and the
 * run's accumulated scope of change (which persons, from which day).
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { DataKeys } from '../vault/data-keys.ts';
import type { ParamBag } from '../model/named-params.ts';

export interface RunScope {
  /** Everything must be recomputed (first build, or the base snapshot changed). */
  all: boolean;
  /** Earliest event date among the events accepted in this run (YYYY-MM-DD). */
  minEventDate: string | undefined;
  /** Event dates touched (for festival windows). */
  eventDates: Set<string>;
  /** Persons whose history changed are in the staging table `affected_pids`. */
  affectedCount: number;
}

export interface LoadContext {
  readonly conn: DuckDBConnection;
  readonly runId: string;
  readonly batch: string;
  /** batch/file name, as reported and stored. */
  readonly file: string;
  readonly keys: DataKeys;
  /** run_id, batch, file, pid_ipad, pid_opad, file_date. */
  readonly params: ParamBag;
  readonly scope: RunScope;
  readonly log: (line: string) => void;
}

export interface KindLoadResult {
  /** Rows accepted into the warehouse (or, for snapshots after the base, accepted for reconciliation). */
  readonly loaded: number;
  /** Of the loaded rows, those already present from an earlier version of the file (changes). */
  readonly alreadyPresent?: number;
  readonly note?: string;
}
