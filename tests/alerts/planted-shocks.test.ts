/**
 * The rules against the shocks the generator plants (truth.json), on two generated
 * provinces (the real generator and the real refresh, cached by tests/engine/fixture.ts): every shock raises its
 * rule in its region and period (recall 100%, checked through GET /api/alerts as the
 * outside checks call it), and the alerts in regions without a planted shock stay
 * under a stated bound (reported on the console; docs/alerts.md records the numbers).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { runAlertEvaluation, type RunSummary } from '../../alerts/run-evaluation.ts';
import { openStateDb } from '../../warehouse/state/open-state-db.ts';
import { buildApp } from '../../engine/app.ts';
import { readCurrentWarehouse } from '../../warehouse/publish/current-warehouse.ts';
import { provinceFixture } from '../engine/fixture.ts';
import { classify, shockMonth, type FiredAlert, type Shock } from './shock-matching.ts';

/** Test size: small enough to generate and refresh in about a minute each, three years so that earlier years serve as baselines. */
const SIZE = { persons: 40_000, from: '2023-01', to: '2025-12' } as const;
const SEEDS = [3, 4];
/** Fired alerts allowed in regions without a planted shock (all rules, all levels, the 12 evaluated months). */
const FALSE_ALARM_BOUND = 6;

const PASSWORD = 'Correct-Horse-9';

for (const seed of SEEDS) {
  describe(`generated province, seed ${seed}`, () => {
    let province: { warehouseFile: string; truth: { shocks: Shock[] } };
    let dataDir: string;
    let app: FastifyInstance;
    let summary: RunSummary;
    let fired: FiredAlert[];
    let cookie: string;

    beforeAll(async () => {
      const fixture = await provinceFixture({ ...SIZE, seed });
      province = { warehouseFile: readCurrentWarehouse(fixture.dataDir)!.file, truth: JSON.parse(readFileSync(join(fixture.inbox, 'truth.json'), 'utf8')) };
      dataDir = mkdtempSync(join(tmpdir(), `rlm-alert-shocks-${seed}-`));
      summary = await runAlertEvaluation({ dataDir, trigger: 'test', warehouseFile: province.warehouseFile, now: () => new Date('2026-01-06T01:00:00Z'), notify: false });
      const db = openStateDb(dataDir);
      fired = db.prepare('SELECT id, rule, region, scope, period, last_period AS lastPeriod FROM alerts WHERE fired = 1 ORDER BY rule, region').all() as FiredAlert[];
      db.close();
      // serve the province's warehouse too (the data-quality score explains quality alerts below)
      mkdirSync(join(dataDir, 'warehouse'), { recursive: true });
      writeFileSync(join(dataDir, 'warehouse', 'CURRENT'), JSON.stringify(readCurrentWarehouse(fixture.dataDir)));
      app = await buildApp({ dataDir, webDir: join(dataDir, 'no-web-build'), watchIntervalMs: 0, now: () => Date.parse('2026-01-06T02:00:00Z') });
      await app.users.add({ username: 'leader', password: PASSWORD, role: 'province_leader', region: '510000' });
      const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'leader', password: PASSWORD } });
      cookie = String(res.headers['set-cookie']).split(';')[0];
    }, 900_000);

    afterAll(async () => {
      await app?.close();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    });

    test('the evaluation ran every rule without errors over the last 12 months', () => {
      expect(summary.result).toBe('ok');
      const periods = new Set(summary.evaluations.map((e) => e.period));
      expect([...periods].sort()).toEqual(['2025-01', '2025-02', '2025-03', '2025-04', '2025-05', '2025-06', '2025-07', '2025-08', '2025-09', '2025-10', '2025-11', '2025-12']);
      expect(summary.evaluations.filter((e) => e.status === 'error')).toEqual([]);
    });

    test('the truth has shocks of every kind the generator plants', () => {
      const rules = new Set(province.truth.shocks.map((s) => s.rule));
      for (const r of ['mass_return', 'unemployment_jump', 'clustered_job_loss', 'poverty_employment_below_last_year', 'festival_return_lag', 'point_not_reporting', 'unemployment_rate_high']) {
        expect(rules, r).toContain(r);
      }
    });

    test('recall 100%: every planted shock raises its rule in its region and period (GET /api/alerts)', async () => {
      const missed: string[] = [];
      for (const s of province.truth.shocks) {
        const res = await app.inject({ url: `/api/alerts?region=${s.region}&rule=${s.rule}&period=${s.period}`, headers: { cookie } });
        expect(res.statusCode, `${s.rule} ${s.region} ${s.period}`).toBe(200);
        const hits = (res.json().alerts as { region: string; rule: string; fired: boolean; period: string; lastPeriod: string }[]).filter(
          (a) => a.region === s.region && a.rule === s.rule && a.fired && a.period <= shockMonth(s) && a.lastPeriod >= shockMonth(s),
        );
        if (hits.length === 0) missed.push(`${s.rule} ${s.region} ${s.period}: ${s.description}`);
      }
      expect(missed).toEqual([]);
      // …and the first month of the episode is the shock's month (not a later one), except for a condition present from the start.
      for (const f of classify(fired, province.truth.shocks).found) {
        if (f.shock.rule === 'unemployment_rate_high') continue;
        expect(f.alert!.period, `${f.shock.rule} ${f.shock.region}`).toBe(shockMonth(f.shock));
      }
    });

    test(`false alarms: fired alerts in regions without a planted shock stay ≤ ${FALSE_ALARM_BOUND}`, async () => {
      const c = classify(fired, province.truth.shocks);
      // The generator records a person's verification date (核实日期) only with their events, so
      // most generated records look unverified for 3+ months: a real data-quality condition of
      // the synthetic data (not planted, not a false alarm), which quality_score_low rightly
      // reports. Such an alert counts as explained only when its county's score really has
      // the currency component below 0.5 in that month (GET /api/data-quality/score).
      const explained: FiredAlert[] = [];
      const falseAlarms: FiredAlert[] = [];
      for (const a of c.falseAlarms) {
        if (a.rule === 'quality_score_low') {
          const res = await app.inject({ url: `/api/data-quality/score?region=${a.region}&period=${a.lastPeriod}`, headers: { cookie } });
          expect(res.statusCode, res.body).toBe(200);
          const currency = res.json().score.components.currency.value as number | null;
          if (currency !== null && currency < 0.5) {
            explained.push(a);
            continue;
          }
        }
        falseAlarms.push(a);
      }
      const byRule = new Map<string, number>();
      for (const a of falseAlarms) byRule.set(a.rule, (byRule.get(a.rule) ?? 0) + 1);
      console.log(
        `[alerts seed ${seed}] shocks ${province.truth.shocks.length}, found ${c.found.length - c.missed.length}; fired alerts ${fired.length}: ` +
          `${c.matched} matching a shock, ${c.related.length} related (same, parent or child region of a shock), ` +
          `${explained.length} quality_score_low explained by stale verification dates, ${falseAlarms.length} in regions without a shock` +
          (falseAlarms.length ? ` (${[...byRule].map(([r, n]) => `${r} ${n}`).join(', ')}: ${falseAlarms.map((a) => `${a.rule}/${a.region}/${a.period}`).join(', ')})` : ''),
      );
      expect(falseAlarms.length).toBeLessThanOrEqual(FALSE_ALARM_BOUND);
    });
  });
}
