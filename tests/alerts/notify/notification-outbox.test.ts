/**
 * Notifications against real servers started by the test on 127.0.0.1: an HTTP
 * receiver (webhook: HMAC-SHA256 signature, retries with exponential backoff, delivery
 * log) and an SMTP server (smtp-server package; e-mail through nodemailer).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { openStateDb, type StateDb } from '../../../warehouse/state/open-state-db.ts';
import { NotificationOutbox } from '../../../alerts/notify/notification-outbox.ts';
import { ChannelStore } from '../../../alerts/notify/channel-store.ts';
import { makePayload, type NotificationItem } from '../../../alerts/notify/notification-payload.ts';
import { DEFAULT_ALERT_SETTINGS, type AlertSettings } from '../../../alerts/alert-settings.ts';
import { decodeMail } from './mime-decode.ts';

const SECRET = 'test-webhook-secret-0123456789';
const NOW = new Date('2026-04-06T01:00:00Z');

interface Received {
  headers: IncomingMessage['headers'];
  body: string;
  validSignature: boolean;
}

let dir: string;
let db: StateDb;
let http: Server;
let httpUrl: string;
let received: Received[] = [];
let plan: number[] = []; // status codes to answer, then 200
let smtp: SMTPServer;
let smtpPort: number;
const mails: { from: string; to: string[]; raw: string; user: string | undefined }[] = [];

function verify(headers: IncomingMessage['headers'], body: string): boolean {
  const ts = String(headers['x-rlm-timestamp']);
  const sig = String(headers['x-rlm-signature']);
  const expected = `sha256=${createHmac('sha256', SECRET).update(`${ts}.${body}`).digest('hex')}`;
  return sig.length === expected.length && timingSafeEqual(Buffer.from(sig), Buffer.from(expected));
}

const item = (over: Partial<NotificationItem> = {}): NotificationItem => ({
  id: 7,
  change: 'firing',
  rule: 'mass_return',
  ruleName: { zh: '非节期大规模返乡', en: 'Mass return home outside the festival' },
  region: '511702',
  regionName: '通川区',
  level: 'county',
  period: '2026-03',
  lastPeriod: '2026-03',
  severity: 'red',
  state: 'firing',
  reason: 'returns_vs_baseline ×24.5 ≥ red ×20',
  value: 24.5,
  threshold: 20,
  escalation: 'none',
  url: 'http://127.0.0.1:8080/alerts/7',
  ...over,
});

const settings = (over: Partial<AlertSettings> = {}): AlertSettings => ({
  ...DEFAULT_ALERT_SETTINGS,
  webhookAttempts: 4,
  webhookBackoffMs: 20,
  webhookTimeoutMs: 2000,
  smtp: { host: '127.0.0.1', port: smtpPort, secure: false, user: 'alerts', password: 'smtp-pass-1', from: 'alerts@rlm.example.cn' },
  ...over,
});

beforeAll(async () => {
  http = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      received.push({ headers: req.headers, body, validSignature: verify(req.headers, body) });
      const status = plan.shift() ?? 200;
      res.writeHead(status, { 'content-type': 'text/plain' }).end(status === 200 ? 'ok' : 'no');
    });
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  httpUrl = `http://127.0.0.1:${(http.address() as AddressInfo).port}/hook`;

  smtp = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    authOptional: false,
    onAuth(auth, _session, cb) {
      if (auth.username === 'alerts' && auth.password === 'smtp-pass-1') cb(null, { user: auth.username });
      else cb(new Error('invalid credentials'));
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
          user: session.user as string | undefined,
        });
        cb();
      });
    },
  });
  await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', () => r()));
  smtpPort = (smtp.server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise((r) => http.close(r));
  await new Promise<void>((r) => smtp.close(() => r()));
});

beforeEach(() => {
  db?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = mkdtempSync(join(tmpdir(), 'rlm-notify-'));
  db = openStateDb(dir);
  received = [];
  plan = [];
  mails.length = 0;
});

function outbox(sleeps: number[] = []) {
  return new NotificationOutbox(db, { now: () => NOW, sleep: async (ms) => void sleeps.push(ms) });
}

describe('webhook', () => {
  test('signed JSON; retried with exponential backoff until it succeeds; every attempt logged', async () => {
    const ch = new ChannelStore(db).add({ name: '通川区人社局', kind: 'webhook', region: '511702', target: httpUrl, secret: SECRET, createdBy: 'admin', now: NOW });
    const sleeps: number[] = [];
    const box = outbox(sleeps);
    const payload = makePayload('run-1', NOW.toISOString(), { region: '511702', name: '通川区' }, [item(), item({ id: 8, change: 'resolved', state: 'resolved', severity: 'blue' })]);
    expect(box.enqueue('run-1', '511702', payload)).toBe(1);
    plan = [503, 502];
    const result = await box.dispatch(settings());
    expect(result).toEqual({ sent: 1, failed: 0 });
    expect(received).toHaveLength(3);
    expect(received.every((r) => r.validSignature)).toBe(true);
    expect(new Set(received.map((r) => r.headers['x-rlm-delivery'])).size).toBe(1);
    expect(received[0].headers['content-type']).toMatch(/application\/json/);
    const body = JSON.parse(received[2].body);
    expect(body).toMatchObject({ type: 'rlm.alerts', runId: 'run-1', group: { region: '511702', name: '通川区' }, counts: { firing: 1, resolved: 1 } });
    expect(body.alerts.map((a: NotificationItem) => [a.id, a.change])).toEqual([[7, 'firing'], [8, 'resolved']]);
    expect(sleeps).toEqual([20, 40]);
    const [n] = box.list();
    expect(n).toMatchObject({ channelId: ch.id, status: 'sent', attempts: 3, lastError: null });
    expect(box.deliveries(n.id).map((d) => [d.attempt, d.ok, d.statusCode])).toEqual([[1, false, 503], [2, false, 502], [3, true, 200]]);
  });

  test('a tampered body fails the receiver\'s signature check', () => {
    const ts = '1775437200';
    const body = '{"a":1}';
    const sig = `sha256=${createHmac('sha256', SECRET).update(`${ts}.${body}`).digest('hex')}`;
    expect(verify({ 'x-rlm-timestamp': ts, 'x-rlm-signature': sig }, body)).toBe(true);
    expect(verify({ 'x-rlm-timestamp': ts, 'x-rlm-signature': sig }, '{"a":2}')).toBe(false);
  });

  test('gives up after the configured attempts and records the failure', async () => {
    new ChannelStore(db).add({ name: 'hook', kind: 'webhook', region: '511702', target: httpUrl, secret: SECRET, createdBy: 'admin', now: NOW });
    const sleeps: number[] = [];
    const box = outbox(sleeps);
    box.enqueue('run-2', '511702', makePayload('run-2', NOW.toISOString(), { region: '511702', name: '通川区' }, [item()]));
    plan = [500, 500, 500, 500, 500];
    expect(await box.dispatch(settings())).toEqual({ sent: 0, failed: 1 });
    expect(received).toHaveLength(4);
    expect(sleeps).toEqual([20, 40, 80]);
    const [n] = box.list();
    expect(n).toMatchObject({ status: 'failed', attempts: 4, lastError: 'HTTP 500' });
    expect(box.deliveries(n.id)).toHaveLength(4);
    // An administrator re-queues it; the receiver is back: delivered.
    expect(box.requeueFailed()).toBe(1);
    plan = [];
    expect(await box.dispatch(settings())).toEqual({ sent: 1, failed: 0 });
    expect(box.deliveries(n.id).map((d) => d.attempt)).toEqual([1, 2, 3, 4, 5]);
  });

  test('a 4xx answer other than 408/429 is not retried', async () => {
    new ChannelStore(db).add({ name: 'hook', kind: 'webhook', region: '511702', target: httpUrl, secret: SECRET, createdBy: 'admin', now: NOW });
    const box = outbox();
    box.enqueue('run-3', '511702', makePayload('run-3', NOW.toISOString(), { region: '511702', name: '通川区' }, [item()]));
    plan = [400];
    expect(await box.dispatch(settings())).toEqual({ sent: 0, failed: 1 });
    expect(received).toHaveLength(1);
  });

  test('an unreachable receiver is a network error, retried, then failed', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    new ChannelStore(db).add({ name: 'gone', kind: 'webhook', region: '511702', target: `http://127.0.0.1:${port}/x`, secret: SECRET, createdBy: 'admin', now: NOW });
    const box = outbox();
    box.enqueue('run-4', '511702', makePayload('run-4', NOW.toISOString(), { region: '511702', name: '通川区' }, [item()]));
    expect(await box.dispatch(settings({ webhookAttempts: 2 }))).toEqual({ sent: 0, failed: 1 });
    expect(box.list()[0].lastError).toMatch(/ECONNREFUSED/);
  });

  test('two dispatchers at once send each notification once', async () => {
    new ChannelStore(db).add({ name: 'hook', kind: 'webhook', region: '511702', target: httpUrl, secret: SECRET, createdBy: 'admin', now: NOW });
    const box = outbox();
    for (const run of ['a', 'b', 'c', 'd']) box.enqueue(run, '511702', makePayload(run, NOW.toISOString(), { region: '511702', name: '通川区' }, [item()]));
    const other = new NotificationOutbox(openStateDb(dir), { now: () => NOW });
    const [x, y] = await Promise.all([box.dispatch(settings()), other.dispatch(settings())]);
    expect(x.sent + y.sent).toBe(4);
    expect(received.map((r) => JSON.parse(r.body).runId).sort()).toEqual(['a', 'b', 'c', 'd']);
  });

  test('channels: own receives exactly its region, all receives every group inside it; bad channels are refused', () => {
    const store = new ChannelStore(db);
    store.add({ name: 'county', kind: 'webhook', region: '511702', target: httpUrl, secret: SECRET, createdBy: 'a', now: NOW });
    store.add({ name: 'city own', kind: 'email', region: '511700', target: 'city@dz.example.cn', createdBy: 'a', now: NOW });
    store.add({ name: 'city all', kind: 'email', region: '511700', mode: 'all', target: 'watch@dz.example.cn', createdBy: 'a', now: NOW });
    store.add({ name: 'province all', kind: 'email', region: '510000', mode: 'all', target: 'sc@sc.example.cn', createdBy: 'a', now: NOW });
    expect(store.receiving('511702').map((c) => c.name)).toEqual(['county', 'city all', 'province all']);
    expect(store.receiving('511700').map((c) => c.name)).toEqual(['city own', 'city all', 'province all']);
    expect(store.receiving('510100').map((c) => c.name)).toEqual(['province all']);
    expect(() => store.add({ name: 'x', kind: 'webhook', region: '511702', target: 'ftp://x', secret: SECRET, createdBy: 'a', now: NOW })).toThrow(/http or https/);
    expect(() => store.add({ name: 'x', kind: 'webhook', region: '511702', target: httpUrl, secret: 'short', createdBy: 'a', now: NOW })).toThrow(/secret/);
    expect(() => store.add({ name: 'x', kind: 'email', region: '511702', target: 'not-an-address', createdBy: 'a', now: NOW })).toThrow(/not an e-mail address/);
  });
});

describe('e-mail', () => {
  test('sent over SMTP with authentication; subject and text list the alerts in Chinese', async () => {
    new ChannelStore(db).add({ name: '通川区', kind: 'email', region: '511702', target: 'a@tc.example.cn, b@tc.example.cn', createdBy: 'admin', now: NOW });
    const box = outbox();
    box.enqueue('run-5', '511702', makePayload('run-5', NOW.toISOString(), { region: '511702', name: '通川区' }, [item(), item({ id: 9, change: 'resolved', state: 'resolved', severity: 'yellow', rule: 'unemployment_jump', ruleName: { zh: '失业率骤升', en: 'Unemployment jump' } })]));
    expect(await box.dispatch(settings())).toEqual({ sent: 1, failed: 0 });
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({ from: 'alerts@rlm.example.cn', to: ['a@tc.example.cn', 'b@tc.example.cn'], user: 'alerts' });
    const mail = decodeMail(mails[0].raw);
    expect(mail.headers.subject).toBe('【失业风险预警】通川区：新预警 1 条，已解除 1 条');
    expect(mail.headers['message-id']).toMatch(/^<rlm-alerts-\d+@rlm\.example\.cn>$/);
    expect(mail.text).toContain('【新预警】红色 · 非节期大规模返乡 · 通川区（511702） · 2026-03');
    expect(mail.text).toContain('【已解除】黄色 · 失业率骤升 · 通川区（511702）');
    expect(mail.text).toContain('详情：http://127.0.0.1:8080/alerts/7');
  });

  test('wrong SMTP credentials fail (the error is logged); no SMTP settings fail at once', async () => {
    new ChannelStore(db).add({ name: 'x', kind: 'email', region: '511702', target: 'a@tc.example.cn', createdBy: 'admin', now: NOW });
    const box = outbox();
    box.enqueue('run-6', '511702', makePayload('run-6', NOW.toISOString(), { region: '511702', name: '通川区' }, [item()]));
    const bad = settings({ webhookAttempts: 2 });
    expect(await box.dispatch({ ...bad, smtp: { ...bad.smtp!, password: 'wrong-password' } })).toEqual({ sent: 0, failed: 1 });
    expect(box.list()[0].lastError).toMatch(/auth|credentials|535/i);
    expect(mails).toHaveLength(0);
    box.enqueue('run-7', '511702', makePayload('run-7', NOW.toISOString(), { region: '511702', name: '通川区' }, [item()]));
    expect(await box.dispatch(settings({ smtp: null }))).toEqual({ sent: 0, failed: 1 });
    expect(box.list({ status: 'failed' })[0].lastError).toMatch(/SMTP is not configured/);
  });
});
