/**
 * Briefings on the generated province: every figure of a monthly dispatch, a quarterly
 * bulletin and an annual assessment equals the API's answer for its metric id, region and
 * period (walked one by one); every narrative sentence states figures of the briefing; the
 * bulletin's listings and the assessment's scores follow from their figures and the scheme.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startProvinceApp, type ProvinceApp } from '../province-app.ts';
import { runAlertEvaluation } from '../../../alerts/run-evaluation.ts';
import { loadScheme, indicatorPoints } from '../../../engine/briefings/assessment-scheme.ts';
import { formatFigure } from '../../../engine/briefings/figure-format.ts';
import { checkFigures, type Figure } from './figure-check.ts';

let p: ProvinceApp;

beforeAll(async () => {
  p = await startProvinceApp();
  await runAlertEvaluation({ dataDir: p.dataDir, trigger: 'test', month: '2026-03', notify: false });
}, 240_000);
afterAll(async () => p?.close());

interface Content {
  kind: string;
  headline: string[];
  narrative: { text: string; figures: string[] }[];
  figures: Figure[];
  keyFigures: { metric: string; current: string; previous: string | null; lastYear: string | null }[];
  rankings: { metric: string; items: { code: string; figure: string }[] }[];
  children: { code: string; figures: Record<string, string> }[];
  reasons: unknown[];
  commended: { code: string; rule: string; figures: string[] }[];
  calledIn: { code: string; rule: string; figures: string[] }[];
  assessment: { code: string; level: string; score: number; rank: number; items: { indicator: string; figure: string; points: number; weight: number }[] }[];
  revisions: unknown[];
}

async function generate(kind: string, region: string, period: string): Promise<{ id: number; content: Content }> {
  const res = await p.api.post('/api/briefings', { kind, region, period });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

function expectWellFormed(c: Content): void {
  const keys = new Set(c.figures.map((f) => f.key));
  expect(keys.size).toBe(c.figures.length);
  expect(c.headline.every((k) => keys.has(k))).toBe(true);
  expect(c.narrative.length).toBeGreaterThanOrEqual(5);
  for (const s of c.narrative) {
    expect(s.figures.length, s.text).toBeGreaterThan(0);
    for (const k of s.figures) expect(keys.has(k), `${k} of "${s.text}"`).toBe(true);
  }
  // Every figure a sentence names is written in it (metric figures with their formatting).
  const byKey = new Map(c.figures.map((f) => [f.key, f]));
  for (const s of c.narrative) {
    for (const k of s.figures.slice(0, 2)) {
      const f = byKey.get(k)!;
      if (f.value !== null) expect(s.text, k).toContain(formatFigure(f.metric, f.value));
    }
  }
}

describe('briefing figures equal the API', () => {
  test('monthly dispatch of the province, 2026-03', async () => {
    const b = await generate('monthly', '510000', '2026-03');
    const c = b.content;
    expectWellFormed(c);
    expect(c.keyFigures.find((k) => k.metric === 'labour_force')!.previous).toBe('m:labour_force:510000:2026-02');
    expect(c.rankings[0].items.length).toBe(21);
    expect(c.children.length).toBe(21);
    expect(c.reasons.length).toBe(8);
    expect(c.figures.filter((f) => f.source === 'alerts').length).toBeGreaterThanOrEqual(4);
    const { checked, mismatches } = await checkFigures(p.api, c.figures);
    expect(mismatches).toEqual([]);
    expect(checked).toBe(c.figures.length);
    expect(checked).toBeGreaterThan(200);
  }, 60_000);

  test('quarterly bulletin of a city, 2026-Q1: commended and called-in places follow from their figures', async () => {
    const b = await generate('quarterly', '511700', '2026-Q1');
    const c = b.content;
    expectWellFormed(c);
    const scheme = loadScheme();
    const byKey = new Map(c.figures.map((f) => [f.key, f]));
    for (const l of c.commended) {
      const rule = scheme.commend.find((r) => r.metric === l.rule)!;
      expect(byKey.get(l.figures[0])!.value!).toBeGreaterThanOrEqual(rule.min);
    }
    for (const l of c.calledIn) {
      const rule = scheme.callIn.find((r) => r.id === l.rule)!;
      const v = byKey.get(l.figures[0])!.value!;
      if (rule.below !== undefined) expect(v).toBeLessThan(rule.below);
      else expect(v).toBeGreaterThanOrEqual(rule.atLeast!);
    }
    // Every child below a call-in threshold of the quarter is listed.
    const low = c.children.filter((ch) => (byKey.get(ch.figures.point_update_rate)!.value ?? 1) < 0.8).map((ch) => ch.code);
    expect(c.calledIn.filter((l) => l.rule === 'low_update_rate').map((l) => l.code).sort()).toEqual(low.sort());
    const { checked, mismatches } = await checkFigures(p.api, c.figures);
    expect(mismatches).toEqual([]);
    expect(checked).toBe(c.figures.length);
  }, 60_000);

  test('annual assessment of a city, 2025: every score is the sum of its evidence', async () => {
    const b = await generate('annual', '511700', '2025');
    const c = b.content;
    expectWellFormed(c);
    const scheme = loadScheme();
    // A city assesses its counties (the province: its 21 cities and every county).
    expect(c.assessment.map((a) => a.code)).toEqual(expect.arrayContaining(['511702', '511703']));
    expect(c.assessment.every((a) => a.level === 'county' && a.code.startsWith('5117'))).toBe(true);
    const byKey = new Map(c.figures.map((f) => [f.key, f]));
    for (const a of c.assessment) {
      expect(a.items.length).toBe(scheme.indicators.length);
      for (const it of a.items) {
        const ind = scheme.indicators.find((i) => i.id === it.indicator)!;
        if (ind.metric !== 'alert_handling_rate') expect(it.points).toBe(indicatorPoints(ind, byKey.get(it.figure)!.value));
      }
      expect(a.score).toBeCloseTo(a.items.reduce((s, i) => s + i.points, 0), 6);
    }
    const cities = c.assessment;
    expect(cities[0].rank).toBe(1);
    for (let i = 1; i < cities.length; i++) expect(cities[i].score).toBeLessThanOrEqual(cities[i - 1].score);
    const { checked, mismatches } = await checkFigures(p.api, c.figures);
    expect(mismatches).toEqual([]);
    expect(checked).toBe(c.figures.length);
  }, 90_000);
});
