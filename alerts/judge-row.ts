/**
 * Judges one region's quantities against a rule: minimum counts (else no data), the
 * significance requirements, and the severity thresholds of every signal. Pure.
 */
import type { Rule, Signal, Unit } from './rule-schema.ts';
import type { Outcome } from './state-machine.ts';
import { SEVERITIES, severityRank, type Severity } from './severity.ts';

export interface SignalResult {
  readonly signal: string;
  readonly kind: 'breach' | 'ok' | 'nodata';
  readonly value: number | null;
  readonly severity: Severity | null;
  readonly threshold: number | null;
  readonly reason: string;
}

export interface Judgement {
  readonly outcome: Outcome;
  /** The deciding signal (the breaching one with the highest severity, else the first with a value). */
  readonly signal: string | null;
  readonly value: number | null;
  readonly threshold: number | null;
  readonly signals: readonly SignalResult[];
}

export function formatValue(v: number | null, unit: Unit): string {
  if (v === null) return 'n/a';
  const r = (x: number, d: number) => (Math.round(x * 10 ** d) / 10 ** d).toString();
  switch (unit) {
    case 'percent':
      return `${r(v, 1)}%`;
    case 'pp':
      return `${r(v, 2)} points`;
    case 'ratio':
      return `×${r(v, 2)}`;
    case 'score':
    case 'z':
      return r(v, 1);
    default:
      return r(v, 2);
  }
}

const fmt = (x: number) => (Math.abs(x) >= 100 ? Math.round(x).toString() : (Math.round(x * 1000) / 1000).toString());

function judgeSignal(s: Signal, q: Readonly<Record<string, number | null>>): SignalResult {
  for (const g of s.minCounts) {
    const v = g.expr.evaluate(q);
    if (v === null) return { signal: s.id, kind: 'nodata', value: null, severity: null, threshold: null, reason: `${g.expr.source} is not available` };
    if (v < g.min) return { signal: s.id, kind: 'nodata', value: null, severity: null, threshold: null, reason: `too few: ${g.expr.source} = ${fmt(v)} < ${g.min}` };
  }
  const value = s.metric.evaluate(q);
  if (value === null) return { signal: s.id, kind: 'nodata', value: null, severity: null, threshold: null, reason: `${s.id}: metric not computable (${s.metric.source})` };
  let severity: Severity | null = null;
  for (const sev of SEVERITIES) {
    const t = s.thresholds[sev];
    if (t === undefined) continue;
    if (s.condition === 'above' ? value >= t : value <= t) severity = sev;
  }
  const shown = `${s.id} ${formatValue(value, s.unit)}`;
  if (!severity) {
    const lowest = SEVERITIES.find((x) => s.thresholds[x] !== undefined)!;
    return { signal: s.id, kind: 'ok', value, severity: null, threshold: null, reason: `${shown} ${s.condition === 'above' ? 'below' : 'above'} ${lowest} ${formatValue(s.thresholds[lowest]!, s.unit)}` };
  }
  for (const g of s.require) {
    const v = g.expr.evaluate(q);
    if (v === null || v < g.min) {
      return { signal: s.id, kind: 'ok', value, severity: null, threshold: null, reason: `${shown} reaches ${severity} but is not significant: ${g.expr.source} = ${v === null ? 'n/a' : fmt(v)} < ${g.min}` };
    }
  }
  const t = s.thresholds[severity]!;
  return { signal: s.id, kind: 'breach', value, severity, threshold: t, reason: `${shown} ${s.condition === 'above' ? '≥' : '≤'} ${severity} ${formatValue(t, s.unit)}` };
}

export function judgeRow(rule: Rule, q: Readonly<Record<string, number | null>>): Judgement {
  const results = rule.signals.map((s) => judgeSignal(s, q));
  const breaches = results.filter((r) => r.kind === 'breach');
  if (breaches.length > 0) {
    const worst = breaches.reduce((a, b) => (severityRank(b.severity) > severityRank(a.severity) ? b : a));
    const others = breaches.filter((b) => b !== worst).map((b) => b.reason);
    return {
      outcome: { kind: 'breach', severity: worst.severity!, reason: [worst.reason, ...others].join('; ') },
      signal: worst.signal,
      value: worst.value,
      threshold: worst.threshold,
      signals: results,
    };
  }
  const withValue = results.find((r) => r.kind === 'ok');
  if (withValue) return { outcome: { kind: 'ok', reason: results.filter((r) => r.kind === 'ok').map((r) => r.reason).join('; ') }, signal: withValue.signal, value: withValue.value, threshold: null, signals: results };
  return { outcome: { kind: 'nodata', reason: results.map((r) => r.reason).join('; ') }, signal: null, value: null, threshold: null, signals: results };
}
