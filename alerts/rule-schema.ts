/**
 * The shape of alerts/rules.yaml and its validation. Every problem is reported with
 * the file, the rule id and the field, e.g.
 * `alerts/rules.yaml: rule 'unemployment_jump' field 'signals[0].thresholds.red': must be ≥ orange (3)`.
 *
 * File shape (snake_case in YAML):
 *   rules:
 *     - id, enabled?, name {zh,en}, description {zh,en}, levels [..], source,
 *       signals: [ { id, name {zh,en}, metric, unit, condition above|below,
 *                    thresholds {blue?,yellow?,orange?,red?}, min_counts {expr: min}, require {expr: min} } ],
 *       pending_for, keep_firing_for, inhibit_children?, labels {k: v},
 *       evidence { series [quantity | {expr, name}], baseline expr, periods, note {zh,en} }
 */
import { compileExpression, ExpressionError, type CompiledExpression } from './metric-expression.ts';
import { SEVERITIES, type Severity } from './severity.ts';
import { ALERT_LEVELS, isAlertLevel, type AlertLevel } from './alert-level.ts';

/** The rule ids checks outside the code rely on. */
export const BUILT_IN_RULE_IDS = [
  'unemployment_rate_high',
  'unemployment_jump',
  'mass_return',
  'festival_return_lag',
  'poverty_employment_below_last_year',
  'clustered_job_loss',
  'point_not_reporting',
  'county_update_rate_low',
  'quality_score_low',
] as const;

export const UNITS = ['ratio', 'percent', 'pp', 'count', 'months', 'days', 'score', 'z'] as const;
export type Unit = (typeof UNITS)[number];

export interface Text {
  readonly zh: string;
  readonly en: string;
}

export type Thresholds = Partial<Record<Severity, number>>;

export interface Guard {
  readonly expr: CompiledExpression;
  readonly min: number;
}

export interface Signal {
  readonly id: string;
  readonly name: Text;
  readonly metric: CompiledExpression;
  readonly unit: Unit;
  readonly condition: 'above' | 'below';
  readonly thresholds: Thresholds;
  /** Data sufficiency: when one fails the result is "no data" (not enough people). */
  readonly minCounts: readonly Guard[];
  /** Significance: all must hold for a breach. */
  readonly require: readonly Guard[];
}

export interface EvidenceSeries {
  readonly expr: CompiledExpression;
  readonly name: Text;
}

export interface Rule {
  readonly id: string;
  readonly enabled: boolean;
  readonly name: Text;
  readonly description: Text;
  readonly levels: readonly AlertLevel[];
  readonly source: string;
  readonly signals: readonly Signal[];
  /** Consecutive breaching evaluations before firing (1 = fire on the first). */
  readonly pendingFor: number;
  /** Evaluations an alert stays firing after the condition clears (0 = resolve at once). */
  readonly keepFiringFor: number;
  /** A firing alert of a region suppresses the same rule's alerts in its descendants. */
  readonly inhibitChildren: boolean;
  readonly labels: Readonly<Record<string, string>>;
  readonly evidence: {
    readonly series: readonly EvidenceSeries[];
    readonly baseline: CompiledExpression | null;
    readonly baselineName: Text;
    readonly periods: number;
    readonly note: Text;
  };
}

export interface RuleSet {
  readonly file: string;
  readonly rules: readonly Rule[];
  byId(id: string): Rule | undefined;
}

/** What the validator needs to know about the quantity sources. */
export interface SourceInfo {
  readonly levels: readonly AlertLevel[];
  readonly quantities: Readonly<Record<string, string>>;
}

export class RuleFileError extends Error {
  override name = 'RuleFileError';
  constructor(
    readonly file: string,
    readonly ruleId: string | null,
    readonly field: string,
    readonly problem: string,
  ) {
    super(`${file}: ${ruleId ? `rule '${ruleId}' ` : ''}field '${field}': ${problem}`);
  }
}

/** Threshold overrides: signal id → replacement thresholds. */
export type ThresholdOverrides = Readonly<Record<string, Thresholds>>;

const ID = /^[a-z][a-z0-9_]{1,62}$/;
const RULE_KEYS = new Set(['id', 'enabled', 'name', 'description', 'levels', 'source', 'signals', 'pending_for', 'keep_firing_for', 'inhibit_children', 'labels', 'evidence']);
const SIGNAL_KEYS = new Set(['id', 'name', 'metric', 'unit', 'condition', 'thresholds', 'min_counts', 'require']);
const EVIDENCE_KEYS = new Set(['series', 'baseline', 'baseline_name', 'periods', 'note']);

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

class Ctx {
  constructor(
    readonly file: string,
    readonly ruleId: string | null,
  ) {}
  fail(field: string, problem: string): never {
    throw new RuleFileError(this.file, this.ruleId, field, problem);
  }
  obj(v: unknown, field: string, allowed?: ReadonlySet<string>): Obj {
    if (!isObj(v)) this.fail(field, 'must be a mapping');
    if (allowed) for (const k of Object.keys(v)) if (!allowed.has(k)) this.fail(`${field ? `${field}.` : ''}${k}`, `unknown field (allowed: ${[...allowed].join(', ')})`);
    return v;
  }
  text(v: unknown, field: string): Text {
    const o = this.obj(v, field, new Set(['zh', 'en']));
    for (const k of ['zh', 'en'] as const) if (typeof o[k] !== 'string' || !(o[k] as string).trim()) this.fail(`${field}.${k}`, 'must be a non-empty string');
    return { zh: o.zh as string, en: o.en as string };
  }
  int(v: unknown, field: string, min: number, max: number): number {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) this.fail(field, `must be an integer from ${min} to ${max}`);
    return v;
  }
  num(v: unknown, field: string): number {
    if (typeof v !== 'number' || !Number.isFinite(v)) this.fail(field, 'must be a number');
    return v;
  }
  expr(v: unknown, field: string, names: ReadonlySet<string>): CompiledExpression {
    if (typeof v !== 'string') this.fail(field, 'must be an expression string');
    try {
      return compileExpression(v, names);
    } catch (err) {
      if (err instanceof ExpressionError) this.fail(field, `${err.message} in '${v}'`);
      throw err;
    }
  }
}

/** Validates thresholds for a condition: at least one severity, strictly monotonic. */
export function checkThresholds(ctx: { fail(field: string, problem: string): never }, raw: unknown, field: string, condition: 'above' | 'below'): Thresholds {
  if (!isObj(raw)) ctx.fail(field, 'must be a mapping of severities (blue, yellow, orange, red) to numbers');
  const out: Thresholds = {};
  for (const k of Object.keys(raw)) {
    if (!(SEVERITIES as readonly string[]).includes(k)) ctx.fail(`${field}.${k}`, 'unknown severity (blue, yellow, orange, red)');
    const v = raw[k];
    if (v === null || v === undefined) continue;
    if (typeof v !== 'number' || !Number.isFinite(v)) ctx.fail(`${field}.${k}`, 'must be a number');
    out[k as Severity] = v;
  }
  const present = SEVERITIES.filter((s) => out[s] !== undefined);
  if (present.length === 0) ctx.fail(field, 'needs at least one severity threshold');
  for (let i = 1; i < present.length; i++) {
    const lo = present[i - 1];
    const hi = present[i];
    const ok = condition === 'above' ? out[hi]! > out[lo]! : out[hi]! < out[lo]!;
    if (!ok) ctx.fail(`${field}.${hi}`, `must be ${condition === 'above' ? '>' : '<'} ${lo} (${out[lo]}) for condition '${condition}'`);
  }
  return out;
}

function guards(ctx: Ctx, raw: unknown, field: string, names: ReadonlySet<string>): Guard[] {
  if (raw === undefined || raw === null) return [];
  const o = ctx.obj(raw, field);
  return Object.entries(o).map(([k, v]) => ({ expr: ctx.expr(k, `${field}['${k}']`, names), min: ctx.num(v, `${field}['${k}']`) }));
}

function signal(ctx: Ctx, raw: unknown, field: string, names: ReadonlySet<string>): Signal {
  const o = ctx.obj(raw, field, SIGNAL_KEYS);
  if (typeof o.id !== 'string' || !ID.test(o.id)) ctx.fail(`${field}.id`, 'must be a lower-case identifier');
  if (typeof o.unit !== 'string' || !(UNITS as readonly string[]).includes(o.unit)) ctx.fail(`${field}.unit`, `must be one of ${UNITS.join(', ')}`);
  if (o.condition !== 'above' && o.condition !== 'below') ctx.fail(`${field}.condition`, "must be 'above' or 'below'");
  return {
    id: o.id,
    name: ctx.text(o.name, `${field}.name`),
    metric: ctx.expr(o.metric, `${field}.metric`, names),
    unit: o.unit as Unit,
    condition: o.condition,
    thresholds: checkThresholds(ctx, o.thresholds, `${field}.thresholds`, o.condition),
    minCounts: guards(ctx, o.min_counts, `${field}.min_counts`, names),
    require: guards(ctx, o.require, `${field}.require`, names),
  };
}

function rule(file: string, raw: unknown, index: number, sources: Readonly<Record<string, SourceInfo>>): Rule {
  const pre: Ctx = new Ctx(file, null);
  const o0 = pre.obj(raw, `rules[${index}]`);
  if (typeof o0.id !== 'string' || !ID.test(o0.id)) pre.fail(`rules[${index}].id`, 'must be a lower-case identifier (a-z, 0-9, _)');
  const ctx: Ctx = new Ctx(file, o0.id);
  const o = ctx.obj(raw, '', RULE_KEYS);
  const source = sources[o.source as string];
  if (typeof o.source !== 'string' || !source) ctx.fail('source', `must be one of ${Object.keys(sources).join(', ')}`);
  const names = new Set(Object.keys(source.quantities));
  if (!Array.isArray(o.levels) || o.levels.length === 0) ctx.fail('levels', `must be a non-empty list of ${ALERT_LEVELS.join(', ')}`);
  const levels = o.levels.map((l, i) => {
    if (!isAlertLevel(l)) ctx.fail(`levels[${i}]`, `unknown level '${String(l)}' (${ALERT_LEVELS.join(', ')})`);
    if (!source.levels.includes(l)) ctx.fail(`levels[${i}]`, `source '${o.source}' has no level '${l}' (it has ${source.levels.join(', ')})`);
    return l;
  });
  if (new Set(levels).size !== levels.length) ctx.fail('levels', 'lists a level twice');
  if (!Array.isArray(o.signals) || o.signals.length === 0) ctx.fail('signals', 'must be a non-empty list');
  const signals = o.signals.map((s, i) => signal(ctx, s, `signals[${i}]`, names));
  const seen = new Set<string>();
  signals.forEach((s, i) => {
    if (seen.has(s.id)) ctx.fail(`signals[${i}].id`, `duplicate signal id '${s.id}'`);
    seen.add(s.id);
  });
  const labels: Record<string, string> = {};
  if (o.labels !== undefined) {
    for (const [k, v] of Object.entries(ctx.obj(o.labels, 'labels'))) {
      if (!/^[a-z][a-z0-9_]*$/.test(k)) ctx.fail(`labels.${k}`, 'label names are lower-case identifiers');
      if (typeof v !== 'string') ctx.fail(`labels.${k}`, 'must be a string');
      labels[k] = v;
    }
  }
  const ev = ctx.obj(o.evidence, 'evidence', EVIDENCE_KEYS);
  if (!Array.isArray(ev.series) || ev.series.length === 0) ctx.fail('evidence.series', 'must be a non-empty list of quantities or {expr, name}');
  const series = ev.series.map((s, i): EvidenceSeries => {
    const f = `evidence.series[${i}]`;
    if (typeof s === 'string') return { expr: ctx.expr(s, f, names), name: { zh: s, en: s } };
    const so = ctx.obj(s, f, new Set(['expr', 'name']));
    return { expr: ctx.expr(so.expr, `${f}.expr`, names), name: ctx.text(so.name, `${f}.name`) };
  });
  const enabled = o.enabled ?? true;
  if (typeof enabled !== 'boolean') ctx.fail('enabled', 'must be true or false');
  const inhibit = o.inhibit_children ?? true;
  if (typeof inhibit !== 'boolean') ctx.fail('inhibit_children', 'must be true or false');
  return {
    id: o0.id,
    enabled,
    name: ctx.text(o.name, 'name'),
    description: ctx.text(o.description, 'description'),
    levels,
    source: o.source,
    signals,
    pendingFor: ctx.int(o.pending_for, 'pending_for', 1, 24),
    keepFiringFor: ctx.int(o.keep_firing_for, 'keep_firing_for', 0, 24),
    inhibitChildren: inhibit,
    labels,
    evidence: {
      series,
      baseline: ev.baseline === undefined || ev.baseline === null ? null : ctx.expr(ev.baseline, 'evidence.baseline', names),
      baselineName: ev.baseline_name === undefined ? { zh: '基线', en: 'Baseline' } : ctx.text(ev.baseline_name, 'evidence.baseline_name'),
      periods: ctx.int(ev.periods ?? 13, 'evidence.periods', 1, 60),
      note: ev.note === undefined ? { zh: '', en: '' } : ctx.text(ev.note, 'evidence.note'),
    },
  };
}

/** Validates a parsed rule file. `requireBuiltIns`: every built-in id must be defined. */
export function validateRuleFile(
  raw: unknown,
  file: string,
  sources: Readonly<Record<string, SourceInfo>>,
  options: { requireBuiltIns?: boolean } = {},
): RuleSet {
  const ctx: Ctx = new Ctx(file, null);
  const top = ctx.obj(raw, '', new Set(['rules']));
  if (!Array.isArray(top.rules) || top.rules.length === 0) ctx.fail('rules', 'must be a non-empty list');
  const rules = top.rules.map((r, i) => rule(file, r, i, sources));
  const ids = new Set<string>();
  rules.forEach((r, i) => {
    if (ids.has(r.id)) throw new RuleFileError(file, r.id, `rules[${i}].id`, 'duplicate rule id');
    ids.add(r.id);
  });
  if (options.requireBuiltIns ?? true) {
    for (const id of BUILT_IN_RULE_IDS) if (!ids.has(id)) throw new RuleFileError(file, id, 'id', 'built-in rule missing (disable it with enabled: false instead of deleting it)');
  }
  return makeRuleSet(file, rules);
}

function makeRuleSet(file: string, rules: readonly Rule[]): RuleSet {
  const map = new Map(rules.map((r) => [r.id, r]));
  return { file, rules, byId: (id) => map.get(id) };
}

/**
 * Applies administrators' threshold overrides, validated exactly like the file's
 * thresholds (errors name the source 'override', the rule and the field).
 */
export function applyThresholdOverrides(set: RuleSet, overrides: Readonly<Record<string, ThresholdOverrides>>, origin = 'threshold override'): RuleSet {
  const rules = set.rules.map((r) => {
    const o = overrides[r.id];
    if (!o) return r;
    return withThresholds(r, o, origin);
  });
  for (const id of Object.keys(overrides)) if (!set.byId(id)) throw new RuleFileError(origin, id, 'id', 'no such rule');
  return makeRuleSet(set.file, rules);
}

/** A rule with some signals' thresholds replaced; throws RuleFileError when invalid. */
export function withThresholds(r: Rule, overrides: ThresholdOverrides, origin = 'threshold override'): Rule {
  const ctx: Ctx = new Ctx(origin, r.id);
  for (const id of Object.keys(overrides)) if (!r.signals.some((s) => s.id === id)) ctx.fail(`signals.${id}`, `no such signal (rule has ${r.signals.map((s) => s.id).join(', ')})`);
  return {
    ...r,
    signals: r.signals.map((s, i) =>
      overrides[s.id] ? { ...s, thresholds: checkThresholds(ctx, overrides[s.id], `signals[${i}].thresholds`, s.condition) } : s,
    ),
  };
}
