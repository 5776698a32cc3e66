/**
 * Golden timelines of the alert state machine: each file in tests/alerts/golden is an
 * input series (evaluations and user closes, with the injected clock) and the
 * transitions expected at every step. Every step is also applied twice: the second
 * application must change nothing (evaluating the same data twice changes nothing).
 */
import { describe, expect, test } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { closeByUser, step, type Outcome, type SeriesStatus, type Transition } from '../../alerts/state-machine.ts';

const DIR = fileURLToPath(new URL('./golden', import.meta.url));

interface GoldenStep {
  at: string;
  period?: string;
  outcome?: Outcome;
  close?: string;
  expect: { kind: string; from: string; to: string; severity: string | null; episode: string | null; opens: boolean }[];
}
interface Golden {
  description: string;
  rule: { pendingFor: number; keepFiringFor: number };
  steps: GoldenStep[];
  final: { state: string; severity: string | null; episode: string | null; lastPeriod: string };
}

const compact = (t: Transition) => ({ kind: t.kind, from: t.from, to: t.to, severity: t.severityTo, episode: t.episode, opens: t.opensEpisode });

const files = readdirSync(DIR).filter((f) => f.endsWith('.json')).sort();

describe('golden timelines', () => {
  test('there are golden files', () => expect(files.length).toBeGreaterThanOrEqual(7));

  for (const file of files) {
    const golden = JSON.parse(readFileSync(join(DIR, file), 'utf8')) as Golden;
    test(`${file}: ${golden.description}`, () => {
      let status: SeriesStatus | undefined;
      golden.steps.forEach((s, i) => {
        const now = new Date(s.at);
        const apply = (prev: SeriesStatus | undefined) =>
          s.close !== undefined ? closeByUser(prev!, s.close, now) : step(prev, { period: s.period!, outcome: s.outcome! }, golden.rule, now);
        const r = apply(status);
        expect(r.transitions.map(compact), `step ${i + 1} (${s.period ?? 'close'})`).toEqual(s.expect);
        for (const t of r.transitions) {
          expect(t.at).toBe(now.toISOString());
          expect(t.reason.length).toBeGreaterThan(0);
        }
        // Idempotent: the same input again changes nothing.
        const again = apply(r.next);
        expect(again.transitions, `step ${i + 1} applied twice`).toEqual([]);
        expect(again.next).toEqual(r.next);
        status = r.next;
      });
      expect({ state: status!.state, severity: status!.severity, episode: status!.episode?.startPeriod ?? null, lastPeriod: status!.lastPeriod }).toEqual(golden.final);
    });
  }
});

describe('state machine properties', () => {
  test('the state carries the reason of the last change and the time it was entered', () => {
    const r = step(undefined, { period: '2025-05', outcome: { kind: 'breach', severity: 'red', reason: 'returns 120 vs 4 expected' } }, { pendingFor: 1, keepFiringFor: 0 }, new Date('2025-06-06T00:00:00Z'));
    expect(r.next).toMatchObject({ state: 'firing', reason: 'returns 120 vs 4 expected', since: '2025-06-06T00:00:00.000Z', severity: 'red' });
  });

  test('the function is pure: the previous status is not modified', () => {
    const a = step(undefined, { period: '2025-05', outcome: { kind: 'breach', severity: 'blue', reason: 'x' } }, { pendingFor: 2, keepFiringFor: 0 }, new Date('2025-06-06T00:00:00Z')).next;
    const copy = structuredClone(a);
    step(a, { period: '2025-06', outcome: { kind: 'breach', severity: 'red', reason: 'y' } }, { pendingFor: 2, keepFiringFor: 0 }, new Date('2025-07-06T00:00:00Z'));
    expect(a).toEqual(copy);
  });

  test('random timelines: every transition links from the previous state, and replaying any step twice is a no-op', () => {
    let seed = 12345;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const kinds = ['breach', 'ok', 'nodata', 'error'] as const;
    const sevs = ['blue', 'yellow', 'orange', 'red'] as const;
    for (let run = 0; run < 200; run++) {
      const rule = { pendingFor: 1 + Math.floor(rnd() * 3), keepFiringFor: Math.floor(rnd() * 3) };
      let status: SeriesStatus | undefined;
      let month = 0;
      for (let k = 0; k < 30; k++) {
        if (rnd() > 0.2) month++;
        const period = `2024-${String(1 + (month % 12)).padStart(2, '0')}`.replace('2024', String(2024 + Math.floor(month / 12)));
        const kind = kinds[Math.floor(rnd() * (rnd() < 0.7 ? 2 : 4))];
        const outcome = (kind === 'breach' ? { kind, severity: sevs[Math.floor(rnd() * 4)], reason: 'b' } : { kind, reason: kind }) as Outcome;
        const prevState = status?.state ?? 'normal';
        const r = step(status, { period, outcome }, rule, new Date(Date.UTC(2024, 0, 1) + k * 86_400_000));
        if (r.transitions.length) expect(r.transitions[0].from).toBe(prevState);
        expect(r.transitions.length).toBeLessThanOrEqual(1);
        if (r.next.state === 'firing' || r.next.state === 'pending') expect(r.next.episode).not.toBeNull();
        if (r.next.state === 'normal') expect(r.next.episode).toBeNull();
        const again = step(r.next, { period, outcome }, rule, new Date(Date.UTC(2024, 0, 1) + k * 86_400_000 + 1000));
        expect(again.transitions).toEqual([]);
        status = r.next;
      }
    }
  });
});
