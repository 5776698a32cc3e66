/**
 * Compression over real HTTP: API answers of 1 KB or more are sent brotli- or
 * gzip-compressed when the client accepts it, small ones as they are; the web app's
 * precompressed files (.br, .gz written at build time) are sent as they are, with cache
 * headers that keep hashed files for good and revalidate the page.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startMiniApp, type MiniApp } from './mini-app.ts';
import { accepts } from '../../engine/services/accepts-encoding.ts';

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

let mini: MiniApp;
let base: string;
const webDir = mkdtempSync(join(tmpdir(), 'rlm-web-build-'));
const page = `<!doctype html><html><head><title>农村劳动力</title></head><body>${'<div>总览</div>'.repeat(200)}</body></html>`;
const script = `export const labels = ${JSON.stringify(Array.from({ length: 400 }, (_, i) => `地区${i}`))};`;

function get(path: string, headers: Record<string, string> = {}): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}${path}`, { headers: { cookie: mini.api.cookie, ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

function decoded(r: Raw): string {
  const enc = r.headers['content-encoding'];
  return (enc === 'br' ? brotliDecompressSync(r.body) : enc === 'gzip' ? gunzipSync(r.body) : r.body).toString('utf8');
}

beforeAll(async () => {
  // a web build as adapter-static writes it with precompress: every file with .br and .gz
  mkdirSync(join(webDir, '_app', 'immutable', 'entry'), { recursive: true });
  for (const [rel, text] of [['index.html', page], ['_app/immutable/entry/app.Xy12.js', script]] as const) {
    writeFileSync(join(webDir, rel), text);
    writeFileSync(join(webDir, `${rel}.br`), brotliCompressSync(text));
    writeFileSync(join(webDir, `${rel}.gz`), gzipSync(text));
  }
  mini = await startMiniApp({ webDir });
  await mini.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(mini.app.server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await mini?.close();
  rmSync(webDir, { recursive: true, force: true });
});

describe('API answers', () => {
  test('the county boundaries come brotli- or gzip-compressed as the client asks, the same JSON', async () => {
    const plain = await get('/api/geo/counties');
    expect(plain.status).toBe(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.length).toBeGreaterThan(100_000);
    const json = JSON.parse(plain.body.toString('utf8'));
    expect(json.features.length).toBe(183);

    const br = await get('/api/geo/counties', { 'accept-encoding': 'gzip, deflate, br' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers.vary).toMatch(/accept-encoding/i);
    expect(br.body.length).toBeLessThan(plain.body.length / 3);
    expect(JSON.parse(decoded(br))).toEqual(json);

    const gz = await get('/api/geo/counties', { 'accept-encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gz.body.length).toBeLessThan(plain.body.length / 3);
    expect(JSON.parse(decoded(gz))).toEqual(json);
  });

  test('the county boundaries are compressed once in the background, at the best brotli quality', async () => {
    let br: Raw | undefined;
    for (let i = 0; i < 100; i++) {
      br = await get('/api/geo/counties', { 'accept-encoding': 'gzip, deflate, br' });
      if (br.body.length < 100_000) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(br!.headers['content-encoding']).toBe('br');
    expect(br!.body.length).toBeLessThan(100_000);
    const plain = await get('/api/geo/counties');
    expect(decoded(br!)).toBe(plain.body.toString('utf8'));
    // br refused by q=0: gzip
    const gz = await get('/api/geo/counties', { 'accept-encoding': 'br;q=0, gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(decoded(gz)).toBe(plain.body.toString('utf8'));
    // a city's counties: their own answer
    const city = await get('/api/geo/counties?city=511700', { 'accept-encoding': 'br' });
    expect(JSON.parse(decoded(city)).features.every((f: { properties: { city: string } }) => f.properties.city === '511700')).toBe(true);
  });

  test('Accept-Encoding: listed and not q=0', () => {
    expect(accepts('gzip, deflate, br', 'br')).toBe(true);
    expect(accepts('gzip;q=1.0, br;q=0', 'br')).toBe(false);
    expect(accepts('GZIP', 'gzip')).toBe(true);
    expect(accepts('identity', 'gzip')).toBe(false);
    expect(accepts('', 'br')).toBe(false);
  });

  test('answers under 1 KB are sent as they are', async () => {
    const r = await get('/api/health', { 'accept-encoding': 'br, gzip' });
    expect(r.status).toBe(200);
    expect(r.body.length).toBeLessThan(1024);
    expect(r.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(r.body.toString('utf8'))).toHaveProperty('status');
  });
});

describe('the web app', () => {
  test('a hashed script is its precompressed file, cached for good', async () => {
    const br = await get('/_app/immutable/entry/app.Xy12.js', { 'accept-encoding': 'gzip, br' });
    expect(br.status).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.body.equals(brotliCompressSync(script))).toBe(true);
    expect(br.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const plain = await get('/_app/immutable/entry/app.Xy12.js');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.toString('utf8')).toBe(script);
  });

  test('the page, at / and as the fallback of a client-side route, is compressed and revalidated', async () => {
    for (const path of ['/', '/overview?region=511700']) {
      const gz = await get(path, { 'accept-encoding': 'gzip' });
      expect(gz.status, path).toBe(200);
      expect(gz.headers['content-encoding'], path).toBe('gzip');
      expect(decoded(gz), path).toBe(page);
      expect(gz.headers['cache-control'], path).toBe('no-cache');
    }
  });
});

describe('with compression off (behind a proxy that compresses)', () => {
  test('answers and web files are sent as they are, whatever the client accepts', async () => {
    const off = await startMiniApp({ webDir, compress: false });
    try {
      await off.app.listen({ port: 0, host: '127.0.0.1' });
      const url = `http://127.0.0.1:${(off.app.server.address() as AddressInfo).port}`;
      for (const path of ['/api/geo/counties', '/_app/immutable/entry/app.Xy12.js', '/']) {
        const r = await fetch(`${url}${path}`, { headers: { cookie: off.api.cookie, 'accept-encoding': 'br, gzip' } });
        expect(r.status, path).toBe(200);
        expect(r.headers.get('content-encoding'), path).toBeNull();
      }
      const js = await fetch(`${url}/_app/immutable/entry/app.Xy12.js`, { headers: { 'accept-encoding': 'br' } });
      expect(await js.text()).toBe(script);
    } finally {
      await off.close();
    }
  });
});
