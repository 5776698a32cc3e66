/**
 * Where the data lives and where the server listens: command-line option first, then
 * environment (RLM_DATA_DIR, PORT, HOST, RLM_REFRESH_CRON, RLM_COMPRESS), then the defaults (./data, 127.0.0.1:8080).
 */
import { resolve } from 'node:path';

export interface ServerConfig {
  readonly dataDir: string;
  readonly port: number;
  readonly host: string;
  /** node-cron expression for the nightly refresh (Asia/Shanghai). */
  readonly refreshCron: string;
  /** Compress answers and send the precompressed web files (off behind a proxy that compresses). */
  readonly compress: boolean;
}

export function resolveDataDir(option?: string): string {
  return resolve(option || process.env.RLM_DATA_DIR || 'data');
}

export function resolveServerConfig(opts: { data?: string; port?: number; host?: string }): ServerConfig {
  const envPort = process.env.PORT ? Number(process.env.PORT) : undefined;
  if (envPort !== undefined && !(Number.isInteger(envPort) && envPort > 0 && envPort < 65536)) {
    throw new Error(`environment PORT must be a port number, got '${process.env.PORT}'`);
  }
  return {
    dataDir: resolveDataDir(opts.data),
    port: opts.port ?? envPort ?? 8080,
    host: opts.host || process.env.HOST || '127.0.0.1',
    refreshCron: process.env.RLM_REFRESH_CRON || '0 2 * * *',
    compress: compressSetting(process.env.RLM_COMPRESS),
  };
}

function compressSetting(v: string | undefined): boolean {
  if (v === undefined || v === '' || v === 'on') return true;
  if (v === 'off') return false;
  throw new Error(`environment RLM_COMPRESS must be 'on' or 'off', got '${v}'`);
}

export const portCheck = (v: string | number | boolean) => (Number.isInteger(v) && (v as number) > 0 && (v as number) < 65536 ? undefined : 'must be a port number 1-65535');
