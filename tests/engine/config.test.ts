/**
 * Server settings from options and environment: options first, then environment, then defaults;
 * a bad value is refused with the name of the variable.
 */
import { afterEach, expect, test } from 'vitest';
import { resolve } from 'node:path';
import { resolveServerConfig } from '../../engine/config.ts';

const NAMES = ['RLM_DATA_DIR', 'PORT', 'HOST', 'RLM_REFRESH_CRON', 'RLM_COMPRESS'] as const;
const saved = Object.fromEntries(NAMES.map((n) => [n, process.env[n]]));
afterEach(() => {
  for (const n of NAMES) {
    if (saved[n] === undefined) delete process.env[n];
    else process.env[n] = saved[n];
  }
});

test('defaults: ./data, 127.0.0.1:8080, 02:00 refresh, compression on', () => {
  for (const n of NAMES) delete process.env[n];
  expect(resolveServerConfig({})).toEqual({ dataDir: resolve('data'), port: 8080, host: '127.0.0.1', refreshCron: '0 2 * * *', compress: true });
});

test('environment, and options over environment', () => {
  Object.assign(process.env, { RLM_DATA_DIR: '/srv/rlm', PORT: '9000', HOST: '0.0.0.0', RLM_REFRESH_CRON: '30 1 * * *', RLM_COMPRESS: 'off' });
  expect(resolveServerConfig({})).toEqual({ dataDir: '/srv/rlm', port: 9000, host: '0.0.0.0', refreshCron: '30 1 * * *', compress: false });
  expect(resolveServerConfig({ data: '/other', port: 8081, host: '127.0.0.2' })).toMatchObject({ dataDir: '/other', port: 8081, host: '127.0.0.2' });
  process.env.RLM_COMPRESS = 'on';
  expect(resolveServerConfig({}).compress).toBe(true);
});

test('bad values name the variable', () => {
  process.env.PORT = 'eighty';
  expect(() => resolveServerConfig({})).toThrow(/PORT must be a port number, got 'eighty'/);
  delete process.env.PORT;
  process.env.RLM_COMPRESS = 'no';
  expect(() => resolveServerConfig({})).toThrow(/RLM_COMPRESS must be 'on' or 'off', got 'no'/);
});
