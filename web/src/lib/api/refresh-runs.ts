/** The refresh run log (GET /api/refresh/runs, GET /api/refresh/runs/:id): runs, their files and step durations. */
import { apiGet } from './http.js';

export interface RefreshRun {
  readonly runId: string;
  readonly trigger: string | null;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
  readonly result: string | null;
  readonly message: string | null;
  readonly version: string | null;
  readonly dataAsOf: string | null;
}

export interface RefreshFile {
  readonly batch: string;
  readonly relPath: string;
  readonly sha256: string | null;
  readonly format: string | null;
  readonly encoding: string | null;
  readonly rowsRead: number | null;
  readonly rowsLoaded: number | null;
  readonly rowsQuarantined: number | null;
  readonly byReason: Readonly<Record<string, number>> | null;
  readonly status: string | null;
}

export interface RefreshStep {
  readonly step: string;
  readonly ms: number;
}

export interface RefreshRunDetail extends RefreshRun {
  readonly files: readonly RefreshFile[];
  readonly steps: readonly RefreshStep[];
}

export async function fetchRuns(limit = 50, signal?: AbortSignal): Promise<RefreshRun[]> {
  const r = await apiGet<{ runs: RefreshRun[] }>('/api/refresh/runs', { limit }, signal);
  return r.runs;
}

export async function fetchRun(runId: string, signal?: AbortSignal): Promise<RefreshRunDetail> {
  const r = await apiGet<{ run: RefreshRun; files: RefreshFile[]; steps: RefreshStep[] }>(`/api/refresh/runs/${encodeURIComponent(runId)}`, undefined, signal);
  return { ...r.run, files: r.files, steps: r.steps };
}
