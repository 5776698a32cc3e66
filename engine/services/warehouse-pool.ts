/**
 * Read access to the published warehouse for the server.
 *
 * The refresh publishes a new DuckDB file and atomically replaces warehouse/CURRENT.
 * This pool watches CURRENT, opens each new build read-only as a new "generation",
 * sends new queries there, and closes the previous generation once its in-flight
 * queries finish: queries running during a swap never fail.
 *
 * Also: a cap on concurrent DuckDB queries (each uses a connection; DuckDB work runs on
 * libuv's thread pool, sized at start-up), a result cache keyed by warehouse version
 * (dropped on swap) where identical concurrent requests share one promise, a per-query
 * timeout that interrupts the statement, and a slow-query log.
 */
import { DuckDBInstance, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';
import { unwatchFile, watchFile } from 'node:fs';
import { join } from 'node:path';
import { readCurrentWarehouse } from '../../warehouse/publish/current-warehouse.ts';

export type Row = Record<string, string | number | boolean | null | string[] | number[]>;

export interface WarehouseInfo {
  readonly version: string;
  readonly dataAsOf: string;
  readonly publishedAt: string;
}

/** Loads a value derived from one build; `run` runs uncached queries on that build. */
export type DerivedLoader<T> = (run: (sql: string, params?: DuckDBValue[]) => Promise<Row[]>) => Promise<T>;

export class WarehouseUnavailableError extends Error {
  override name = 'WarehouseUnavailableError';
}

export class QueryTimeoutError extends Error {
  override name = 'QueryTimeoutError';
}

interface Generation {
  readonly info: WarehouseInfo;
  readonly instance: DuckDBInstance;
  readonly idle: DuckDBConnection[];
  inflight: number;
  retired: boolean;
}

export interface WarehousePoolOptions {
  readonly maxConcurrent?: number;
  readonly timeoutMs?: number;
  readonly slowMs?: number;
  readonly cacheEntries?: number;
  readonly onSlowQuery?: (ms: number, sql: string) => void;
  readonly onSwap?: (from: WarehouseInfo | undefined, to: WarehouseInfo) => void;
  /** Poll interval for warehouse/CURRENT; 0 disables watching (tests call checkForNewVersion). */
  readonly watchIntervalMs?: number;
}

export class WarehousePool {
  private generation: Generation | undefined;
  private opening: Promise<void> | undefined;
  private active = 0;
  private readonly waiters: (() => void)[] = [];
  private readonly cache = new Map<string, Promise<Row[]>>();
  private readonly derived = new Map<string, Promise<unknown>>();
  private readonly preloads = new Map<string, DerivedLoader<unknown>>();
  private readonly maxConcurrent: number;
  private readonly timeoutMs: number;
  private readonly slowMs: number;
  private readonly cacheEntries: number;
  private readonly currentFile: string;
  private closed = false;

  constructor(
    private readonly dataDir: string,
    private readonly options: WarehousePoolOptions = {},
  ) {
    this.maxConcurrent = options.maxConcurrent ?? 4;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.slowMs = options.slowMs ?? 500;
    this.cacheEntries = options.cacheEntries ?? 5_000;
    this.currentFile = join(dataDir, 'warehouse', 'CURRENT');
    const interval = options.watchIntervalMs ?? 1_000;
    if (interval > 0) watchFile(this.currentFile, { interval, persistent: false }, () => void this.checkForNewVersion());
  }

  /** The published warehouse now served, or undefined before the first refresh. */
  info(): WarehouseInfo | undefined {
    return this.generation?.info;
  }

  /** Opens the published build if it differs from the one served. Safe to call often. */
  async checkForNewVersion(): Promise<void> {
    if (this.closed) return;
    if (this.opening) return this.opening;
    this.opening = (async () => {
      const current = readCurrentWarehouse(this.dataDir);
      if (!current || current.version === this.generation?.info.version) return;
      const instance = await DuckDBInstance.create(current.file, { access_mode: 'READ_ONLY', threads: '2' });
      const setup = await instance.connect();
      await setup.run("SET TimeZone = 'Asia/Shanghai'");
      const info = { version: current.version, dataAsOf: current.dataAsOf, publishedAt: current.publishedAt };
      const previous = this.generation;
      const next: Generation = { info, instance, idle: [setup], inflight: 0, retired: false };
      // Registered per-version values are loaded from the new build before it is served, so
      // the first requests after a swap do not wait for them (a failed one loads on demand).
      await Promise.allSettled([...this.preloads].map(([name, load]) => this.derive(next, name, load)));
      this.generation = next;
      this.cache.clear();
      for (const key of this.derived.keys()) if (!key.startsWith(`${info.version}\u0000`)) this.derived.delete(key);
      this.options.onSwap?.(previous?.info, info);
      if (previous) {
        previous.retired = true;
        this.closeIfDrained(previous);
      }
    })().finally(() => {
      this.opening = undefined;
    });
    return this.opening;
  }

  /**
   * Runs a read query with bound parameters. Results are cached per warehouse version;
   * identical concurrent calls share one execution.
   */
  async query<T extends Row = Row>(sql: string, params: DuckDBValue[] = [], options: { cache?: boolean } = {}): Promise<T[]> {
    if (!this.generation) await this.checkForNewVersion();
    const gen = this.generation;
    if (!gen) throw new WarehouseUnavailableError('no warehouse has been published yet: run a refresh');
    if (options.cache === false) return (await this.execute(gen, sql, params)) as T[];
    const key = `${gen.info.version}\u0000${sql}\u0000${JSON.stringify(params, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))}`;
    let hit = this.cache.get(key);
    if (!hit) {
      hit = this.execute(gen, sql, params);
      hit.catch(() => this.cache.delete(key));
      if (this.cache.size >= this.cacheEntries) this.cache.delete(this.cache.keys().next().value as string);
      this.cache.set(key, hit);
    }
    return (await hit) as T[];
  }

  /**
   * A value derived from the served build (e.g. a table held in memory), computed once
   * per warehouse version by `load`, whose queries all run on that build; concurrent
   * callers share one load, a failed load is retried by the next caller, and a swap
   * drops it.
   */
  async perVersion<T>(name: string, load: DerivedLoader<T>): Promise<T> {
    if (!this.generation) await this.checkForNewVersion();
    const gen = this.generation;
    if (!gen) throw new WarehouseUnavailableError('no warehouse has been published yet: run a refresh');
    return this.derive(gen, name, load);
  }

  /**
   * Like perVersion, and also loaded for every build published later before that build is
   * served (and now, in the background, for the build served).
   */
  preload<T>(name: string, load: DerivedLoader<T>): void {
    this.preloads.set(name, load);
    if (this.generation) this.derive(this.generation, name, load).catch(() => {});
  }

  private derive<T>(gen: Generation, name: string, load: DerivedLoader<T>): Promise<T> {
    const key = `${gen.info.version}\u0000${name}`;
    let hit = this.derived.get(key) as Promise<T> | undefined;
    if (!hit) {
      hit = load((sql, params = []) => this.execute(gen, sql, params));
      hit.catch(() => this.derived.delete(key));
      this.derived.set(key, hit);
    }
    return hit;
  }

  private async execute(gen: Generation, sql: string, params: DuckDBValue[]): Promise<Row[]> {
    await this.acquireSlot();
    gen.inflight++;
    const started = performance.now();
    let conn: DuckDBConnection | undefined;
    try {
      conn = gen.idle.pop() ?? (await gen.instance.connect());
      const c = conn;
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          c.interrupt();
          reject(new QueryTimeoutError(`query exceeded ${this.timeoutMs} ms`));
        }, this.timeoutMs);
      });
      try {
        const reader = await Promise.race([c.runAndReadAll(sql, params), timeout]);
        return reader.getRowObjectsJS().map(toPlainRow);
      } finally {
        clearTimeout(timer);
      }
    } finally {
      const ms = performance.now() - started;
      if (ms >= this.slowMs) this.options.onSlowQuery?.(Math.round(ms), sql);
      if (conn) {
        if (gen.retired) conn.closeSync();
        else gen.idle.push(conn);
      }
      gen.inflight--;
      this.releaseSlot();
      this.closeIfDrained(gen);
    }
  }

  private acquireSlot(): Promise<void> {
    if (this.active < this.maxConcurrent) {
      this.active++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private releaseSlot(): void {
    const next = this.waiters.shift();
    if (next) next();
    else this.active--;
  }

  private closeIfDrained(gen: Generation): void {
    if (!gen.retired || gen.inflight > 0) return;
    for (const c of gen.idle.splice(0)) c.closeSync();
    gen.instance.closeSync();
  }

  /** Stops watching and closes the served generation after its in-flight queries. */
  close(): void {
    this.closed = true;
    unwatchFile(this.currentFile);
    if (this.generation) {
      this.generation.retired = true;
      this.closeIfDrained(this.generation);
      this.generation = undefined;
    }
  }
}

function toPlain(v: unknown): Row[string] {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (Array.isArray(v)) return v.map((x) => toPlain(x)) as string[] | number[];
  if (typeof v === 'object') return String(v);
  return v as string | number | boolean;
}

function toPlainRow(r: Record<string, unknown>): Row {
  const out: Row = {};
  for (const k in r) out[k] = toPlain(r[k]);
  return out;
}
