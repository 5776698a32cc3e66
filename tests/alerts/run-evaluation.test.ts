/**
 * Evaluation runs on a small hand-made warehouse (tests/alerts/fixtures/tiny-warehouse.ts)
 * with planted shocks: the right alerts in the right periods and nothing else,
 * evidence equal to an independent computation, the same data twice changes nothing,
 * a crash before the commit leaves nothing (and a kill -9 of the real CLI loses and
 * duplicates nothing), inhibition, grouped notifications to a real HTTP receiver,
 * silences, escalation, and a user's close of a continuing breach.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { openStateDb, type StateDb } from '../../warehouse/state/open-state-db.ts';
import { runAlertEvaluation, runEscalations } from '../../alerts/run-evaluation.ts';
import { AlertStore, type AlertRecord } from '../../alerts/alert-store.ts';
import { AlertWorkflow } from '../../alerts/alert-workflow.ts';
import { SilenceStore } from '../../alerts/silences.ts';
import { ChannelStore } from '../../alerts/notify/channel-store.ts';
import { writeSettings } from '../../alerts/alert-settings.ts';
import { buildTinyWarehouse, tinyCounts } from './fixtures/tiny-warehouse.ts';
import type { NotificationPayload } from '../../alerts/notify/notification-payload.ts';

const SECRET = 'tiny-webhook-secret-0123456789';
const T0 = Date.parse('2026-01-06T01:00:00Z');
const DAY = 86_400_000;

let root: string;
let whFile: string;
let receiver: Server;
let hookUrl: string;
let posts: { path: string; body: NotificationPayload }[] = [];

function freshDataDir(name: string): string {
  return mkdtempSync(join(root, `${name}-`));
}

const key = (a: AlertRecord) => `${a.rule}|${a.region}|${a.period}`;

function allAlerts(db: StateDb): AlertRecord[] {
  return new AlertStore(db).list({ scopePrefix: '51', limit: 1000 }).alerts.sort((a, b) => a.id - b.id);
}

/** Everything an evaluation may change, except the run log itself. */
function snapshot(db: StateDb) {
  return {
    alerts: db.prepare('SELECT * FROM alerts ORDER BY id').all(),
    history: db.prepare('SELECT * FROM alert_history ORDER BY id').all(),
    series: db.prepare('SELECT * FROM alert_series ORDER BY rule, region').all(),
    notifications: db.prepare('SELECT * FROM alert_notifications ORDER BY id').all(),
  };
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'rlm-alert-run-'));
  whFile = join(root, 'tiny.duckdb');
  await buildTinyWarehouse(whFile);
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      posts.push({ path: req.url ?? '', body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((r) => receiver.close(r));
  rmSync(root, { recursive: true, force: true });
});

describe('planted shocks on the tiny warehouse', () => {
  let dataDir: string;
  let db: StateDb;

  beforeAll(async () => {
    dataDir = freshDataDir('shocks');
    db = openStateDb(dataDir);
    const channels = new ChannelStore(db);
    for (const region of ['511702', '511703', '511700']) {
      channels.add({ name: `hook ${region}`, kind: 'webhook', region, target: `${hookUrl}/${region}`, secret: SECRET, createdBy: 'test', now: new Date(T0) });
    }
    posts = [];
    await runAlertEvaluation({ dataDir, db, trigger: 'test', warehouseFile: whFile, now: () => new Date(T0) });
  });

  afterAll(() => db.close());

  test('every planted shock raises its rule in its region and period, and nothing else is raised', () => {
    expect(allAlerts(db).map(key).sort()).toEqual(
      [
        // +300 unemployed in township 511702001 from 2025-06, seen in its county and city
        'unemployment_jump|511702001|2025-06',
        'unemployment_jump|511702|2025-06',
        'unemployment_jump|511700|2025-06',
        'unemployment_rate_high|511702001|2025-06',
        'unemployment_rate_high|511702|2025-06',
        // poverty-alleviated in work −15% in 511703 from 2025-09, seen in the city
        'poverty_employment_below_last_year|511703|2025-09',
        'poverty_employment_below_last_year|511700|2025-09',
      ].sort(),
    );
    for (const a of allAlerts(db)) expect(a.state).toBe('firing');
  });

  test('the seasonal rise of every February and March raises nothing (seasonal baseline)', () => {
    const evals = db.prepare("SELECT period, breaches FROM alert_evaluations WHERE rule = 'unemployment_jump' AND period IN ('2025-02', '2025-03')").all() as { period: string; breaches: number }[];
    expect(evals).toHaveLength(2);
    for (const e of evals) expect(e.breaches).toBe(0);
  });

  test('pending before firing: unemployment_rate_high (pending_for 3) was pending in 2025-06 and fired in 2025-08', () => {
    const a = allAlerts(db).find((x) => key(x) === 'unemployment_rate_high|511702|2025-06')!;
    const h = new AlertStore(db).history(a.id).filter((e) => e.action === 'transition');
    expect(h.map((e) => [e.fromState, e.toState, e.detail.period])).toEqual([
      ['normal', 'pending', '2025-06'],
      ['pending', 'firing', '2025-08'],
    ]);
  });

  test('a parent firing alert inhibits the same rule below it', () => {
    const by = new Map(allAlerts(db).map((a) => [key(a), a]));
    const city = by.get('unemployment_jump|511700|2025-06')!;
    const county = by.get('unemployment_jump|511702|2025-06')!;
    const township = by.get('unemployment_jump|511702001|2025-06')!;
    expect(city.inhibitedBy).toBeNull();
    expect(county.inhibitedBy).toBe(city.id);
    expect(township.inhibitedBy).toBe(county.id);
    expect(by.get('unemployment_rate_high|511702001|2025-06')!.inhibitedBy).toBe(by.get('unemployment_rate_high|511702|2025-06')!.id);
    expect(by.get('unemployment_rate_high|511702|2025-06')!.inhibitedBy).toBeNull(); // no city alert of that rule
    expect(new AlertStore(db).history(county.id).some((h) => h.action === 'inhibited' && h.detail.by === city.id)).toBe(true);
  });

  test('evidence: the metric over 13 months equals an independent computation from the fixture counts', () => {
    const a = allAlerts(db).find((x) => key(x) === 'unemployment_rate_high|511702|2025-06')!;
    const ev = a.evidence as { periods: string[]; series: { values: (number | null)[] }[]; baseline: { values: number[] }; signals: { thresholds: Record<string, number> }[] };
    const counts = tinyCounts();
    expect(ev.periods).toEqual(['2024-12', '2025-01', '2025-02', '2025-03', '2025-04', '2025-05', '2025-06', '2025-07', '2025-08', '2025-09', '2025-10', '2025-11', '2025-12']);
    const rate = (r: string, m: string) => {
      const c = counts.get(r)!.get(m)!;
      return (100 * c.unemployed) / (c.employed + c.unemployed);
    };
    ev.periods.forEach((m, i) => {
      expect(ev.series[0].values[i]).toBeCloseTo(rate('511702', m), 4);
      expect(ev.baseline.values[i]).toBeCloseTo(rate('510000', m), 4);
    });
    expect(ev.signals[0].thresholds).toEqual({ blue: 1.8, yellow: 2.2, orange: 2.7, red: 3.2 });
  });

  test('notifications: one per county group and channel, inhibited alerts left out', () => {
    const byGroup = new Map(posts.map((p) => [p.path, p.body]));
    expect([...byGroup.keys()].sort()).toEqual(['/511700', '/511702']);
    expect(byGroup.get('/511702')!.alerts.map((i) => `${i.change}:${i.rule}:${i.region}`)).toEqual(['firing:unemployment_rate_high:511702']);
    expect(byGroup.get('/511700')!.alerts.map((i) => `${i.change}:${i.rule}:${i.region}`).sort()).toEqual([
      'firing:poverty_employment_below_last_year:511700',
      'firing:unemployment_jump:511700',
    ]);
    expect(byGroup.get('/511702')!.group).toEqual({ region: '511702', name: '通川区' });
  });

  test('evaluating the same data again changes nothing', async () => {
    const before = snapshot(db);
    posts = [];
    const s = await runAlertEvaluation({ dataDir, db, trigger: 'test', warehouseFile: whFile, now: () => new Date(T0 + 3_600_000) });
    expect(s.transitions).toBe(0);
    expect(s.notificationsQueued).toBe(0);
    expect(snapshot(db)).toEqual(before);
    expect(posts).toHaveLength(0);
  });

  test('escalation: unacknowledged firing alerts go to the city after 3 days and to the province after 4 more; acknowledged ones stay', async () => {
    const store = new AlertStore(db);
    const wf = new AlertWorkflow(store, () => new Date(T0 + DAY));
    const poverty703 = allAlerts(db).find((a) => key(a) === 'poverty_employment_below_last_year|511703|2025-09')!;
    // inhibited alerts do not escalate; acknowledge one that would
    const county = allAlerts(db).find((a) => key(a) === 'unemployment_rate_high|511702|2025-06')!;
    expect(poverty703.inhibitedBy).not.toBeNull();
    posts = [];
    let r = await runEscalations({ dataDir, db, now: () => new Date(T0 + 2 * DAY) });
    expect(r.escalated).toBe(0);
    r = await runEscalations({ dataDir, db, now: () => new Date(T0 + 4 * DAY) });
    const after4 = new Map(allAlerts(db).map((a) => [key(a), a.escalation]));
    expect(after4.get('unemployment_rate_high|511702|2025-06')).toBe('city');
    expect(after4.get('unemployment_jump|511700|2025-06')).toBe('province'); // a city's alert goes to the province
    expect(after4.get('poverty_employment_below_last_year|511700|2025-09')).toBe('province');
    expect(after4.get('unemployment_jump|511702|2025-06')).toBe('none'); // inhibited
    expect(r.escalated).toBe(3);
    // the county alert escalated to the city is notified to the city's channel
    const cityPost = posts.find((p) => p.path === '/511700')!;
    expect(cityPost.body.alerts.map((i) => `${i.change}:${i.region}`)).toEqual(['escalated:511702']);
    wf.acknowledge(county.id, 'tongchuan');
    r = await runEscalations({ dataDir, db, now: () => new Date(T0 + 9 * DAY) });
    expect(store.get(county.id)!.escalation).toBe('city'); // acknowledged: stops
    expect(store.history(county.id).map((h) => h.action)).toContain('acknowledged');
  });
});

describe('a silence mutes the notifications of matching alerts', () => {
  test('silenced alerts change state and are recorded, but are not sent', async () => {
    const dataDir = freshDataDir('silence');
    const db = openStateDb(dataDir);
    new ChannelStore(db).add({ name: 'city', kind: 'webhook', region: '511700', target: `${hookUrl}/511700`, secret: SECRET, createdBy: 'test', now: new Date(T0) });
    const s = new SilenceStore(db).add({ rule: 'unemployment_jump', region: '511700', severity: null, startsAt: new Date(T0 - DAY).toISOString(), endsAt: new Date(T0 + DAY).toISOString(), reason: '已知企业停产，正在处置', createdBy: 'dazhou', now: new Date(T0 - DAY) });
    posts = [];
    await runAlertEvaluation({ dataDir, db, trigger: 'test', warehouseFile: whFile, now: () => new Date(T0) });
    const city = allAlerts(db).find((a) => key(a) === 'unemployment_jump|511700|2025-06')!;
    expect(city.state).toBe('firing');
    expect(city.silencedBy).toBe(s.id);
    expect(new AlertStore(db).history(city.id).find((h) => h.action === 'silenced')!.detail).toMatchObject({ silence: s.id, reason: '已知企业停产，正在处置' });
    expect(posts.flatMap((p) => p.body.alerts.map((i) => i.rule))).toEqual(['poverty_employment_below_last_year']);
    db.close();
  });
});

describe('restart loses and duplicates nothing', () => {
  test('a run that fails before its commit leaves nothing; the next run does the whole work once', async () => {
    const clean = freshDataDir('clean');
    const crashed = freshDataDir('crash');
    const a = openStateDb(clean);
    await runAlertEvaluation({ dataDir: clean, db: a, trigger: 'test', warehouseFile: whFile, now: () => new Date(T0), notify: false });
    const b = openStateDb(crashed);
    await expect(
      runAlertEvaluation({ dataDir: crashed, db: b, trigger: 'test', warehouseFile: whFile, now: () => new Date(T0), notify: false, beforeCommit: () => { throw new Error('power cut'); } }),
    ).rejects.toThrow('power cut');
    expect(snapshot(b)).toEqual({ alerts: [], history: [], series: [], notifications: [] });
    expect(b.prepare('SELECT count(*) AS n FROM alert_runs').get()).toEqual({ n: 0 });
    expect(existsSync(join(crashed, 'alerts.lock'))).toBe(false);
    await runAlertEvaluation({ dataDir: crashed, db: b, trigger: 'test', warehouseFile: whFile, now: () => new Date(T0), notify: false });
    const strip = (rows: unknown[]) => rows.map((r) => ({ ...(r as object), run_id: undefined }));
    expect(strip(snapshot(b).history)).toEqual(strip(snapshot(a).history));
    expect(snapshot(b).alerts).toEqual(snapshot(a).alerts);
    expect(snapshot(b).series).toEqual(snapshot(a).series);
    a.close();
    b.close();
  });

  test('kill -9 of `alerts evaluate` at any moment, then a re-run: the same alerts and history as an uninterrupted run', async () => {
    const cli = join(process.cwd(), 'engine/cli.ts');
    const run = (dataDir: string, killAfterMs?: number) =>
      new Promise<number | null>((resolve) => {
        // One process (node --import tsx), so that SIGKILL hits the evaluation itself.
        const child = spawn(process.execPath, ['--import', 'tsx', cli, 'alerts', 'evaluate', '--data', dataDir, '--warehouse', whFile, '--no-notify'], { stdio: 'ignore' });
        const timer = killAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), killAfterMs);
        child.on('close', (code) => {
          clearTimeout(timer);
          resolve(code);
        });
      });
    const reference = freshDataDir('ref');
    expect(await run(reference)).toBe(0);
    const ref = openStateDb(reference);
    const facts = (db: StateDb) => ({
      alerts: (db.prepare('SELECT rule, region, period, last_period, state, severity, inhibited_by IS NOT NULL AS inhibited FROM alerts ORDER BY rule, region, period').all()),
      history: db.prepare("SELECT a.rule, a.region, h.action, h.from_state, h.to_state FROM alert_history h JOIN alerts a ON a.id = h.alert_id WHERE h.action IN ('transition', 'severity', 'inhibited') ORDER BY a.rule, a.region, h.id").all(),
    });
    const expected = facts(ref);
    expect(expected.alerts.length).toBe(7);
    ref.close();
    for (const ms of [1200, 2400]) {
      const dir = freshDataDir(`kill${ms}`);
      await run(dir, ms);
      expect(await run(dir)).toBe(0);
      const db = openStateDb(dir);
      expect(facts(db)).toEqual(expected);
      db.close();
    }
  }, 600_000);
});

describe('a user closes an alert whose breach continues; the breach then ends', () => {
  test('no new alert while the breach continues; resolved notices once it clears', async () => {
    const dataDir = freshDataDir('close');
    const db = openStateDb(dataDir);
    writeSettings(db, { backfillMonths: 12 }, 'test', new Date(T0));
    new ChannelStore(db).add({ name: 'county', kind: 'webhook', region: '511702', target: `${hookUrl}/close-511702`, secret: SECRET, createdBy: 'test', now: new Date(T0) });
    await runAlertEvaluation({ dataDir, db, trigger: 'test', warehouseFile: whFile, now: () => new Date(T0) });
    const store = new AlertStore(db);
    const county = allAlerts(db).find((a) => key(a) === 'unemployment_rate_high|511702|2025-06')!;
    new AlertWorkflow(store, () => new Date(T0 + DAY)).resolve(county.id, 'tongchuan', 'handled', '已对接企业复工');
    expect(store.get(county.id)).toMatchObject({ state: 'resolved', workflow: 'closed', outcome: 'handled', closedBy: 'tongchuan' });
    // Two more months of data, the shock still on: nothing new for the closed episode.
    const later = join(root, 'tiny-2026-02.duckdb');
    await buildTinyWarehouse(later, { dataAsOf: '2026-02-28', version: 'tiny-2' });
    await runAlertEvaluation({ dataDir, db, trigger: 'test', warehouseFile: later, now: () => new Date(T0 + 40 * DAY) });
    expect(allAlerts(db).filter((a) => a.rule === 'unemployment_rate_high' && a.region === '511702').map((a) => a.period)).toEqual(['2025-06']);
    // The shock ends in 2026-03: the other alerts resolve (after keep_firing_for), with notices.
    const ended = join(root, 'tiny-2026-06.duckdb');
    await buildTinyWarehouse(ended, { dataAsOf: '2026-06-30', version: 'tiny-3', shockEnd: '2026-03' });
    posts = [];
    const s = await runAlertEvaluation({ dataDir, db, trigger: 'test', warehouseFile: ended, now: () => new Date(T0 + 160 * DAY) });
    expect(s.resolved).toBeGreaterThan(0);
    const jump = allAlerts(db).find((a) => key(a) === 'unemployment_jump|511700|2025-06')!;
    expect(jump.state).toBe('resolved');
    const township = allAlerts(db).find((a) => key(a) === 'unemployment_rate_high|511702001|2025-06')!;
    expect(township.state).toBe('resolved');
    expect(allAlerts(db).filter((a) => a.rule === 'unemployment_rate_high' && a.region === '511702').map((a) => a.period)).toEqual(['2025-06']);
    const notice = posts.find((p) => p.path === '/close-511702');
    expect(notice?.body.alerts.map((i) => i.change)).toContain('resolved');
    db.close();
  });
});
