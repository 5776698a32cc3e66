/**
 * The rule file: the built-in alerts/rules.yaml loads with every fixed rule id, and
 * bad files are refused with errors that name the rule and the field.
 */
import { describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';
import { loadRules, parseRules, RULES_FILE } from '../../alerts/load-rules.ts';
import { applyThresholdOverrides, BUILT_IN_RULE_IDS, RuleFileError } from '../../alerts/rule-schema.ts';
import { SOURCES } from '../../alerts/sources/sources.ts';

const original = parse(readFileSync(RULES_FILE, 'utf8')) as { rules: Record<string, unknown>[] };

/** The built-in file with one rule changed by `edit`, as YAML text. */
function variant(id: string, edit: (rule: Record<string, any>) => void): string {
  const copy = structuredClone(original);
  const rule = copy.rules.find((r) => r.id === id)!;
  edit(rule);
  return stringify(copy);
}

const load = (text: string) => parseRules(text, 'rules.yaml');

describe('alerts/rules.yaml', () => {
  test('loads, with every built-in rule id exactly once', () => {
    const set = loadRules();
    expect(set.rules.map((r) => r.id).sort()).toEqual([...BUILT_IN_RULE_IDS].sort());
  });

  test('every rule has both names, levels its source supports, signals with thresholds, and evidence', () => {
    for (const r of loadRules().rules) {
      expect(r.name.zh).toMatch(/\p{Script=Han}/u);
      expect(r.name.en).toMatch(/[A-Za-z]/);
      expect(r.description.zh.length).toBeGreaterThan(10);
      for (const l of r.levels) expect(SOURCES[r.source].levels).toContain(l);
      for (const s of r.signals) expect(Object.keys(s.thresholds).length).toBeGreaterThan(0);
      expect(r.evidence.series.length).toBeGreaterThan(0);
      expect(r.pendingFor).toBeGreaterThanOrEqual(1);
    }
  });

  test('unemployment_jump has a month-on-month and a Sahm-style signal', () => {
    expect(loadRules().byId('unemployment_jump')!.signals.map((s) => s.id)).toEqual(['month_on_month', 'sahm']);
  });
});

describe('validation errors name the rule and the field', () => {
  const cases: [string, string, (r: Record<string, any>) => void, RegExp][] = [
    ['thresholds out of order', 'unemployment_jump', (r) => (r.signals[1].thresholds.red = 2), /rule 'unemployment_jump' field 'signals\[1\]\.thresholds\.red': must be > orange \(3\.5\)/],
    ['below-condition order', 'county_update_rate_low', (r) => (r.signals[0].thresholds.yellow = 95), /rule 'county_update_rate_low' field 'signals\[0\]\.thresholds\.yellow': must be < blue \(90\)/],
    ['unknown severity', 'mass_return', (r) => (r.signals[0].thresholds.purple = 4), /rule 'mass_return' field 'signals\[0\]\.thresholds\.purple': unknown severity/],
    ['unknown quantity', 'mass_return', (r) => (r.signals[0].metric = 'returns / nothing_here'), /rule 'mass_return' field 'signals\[0\]\.metric': unknown quantity 'nothing_here'/],
    ['bad expression', 'clustered_job_loss', (r) => (r.signals[0].metric = '100 * (share'), /rule 'clustered_job_loss' field 'signals\[0\]\.metric': expected '\)'/],
    ['bad guard expression', 'clustered_job_loss', (r) => (r.signals[0].require = { 'lost +': 3 }), /rule 'clustered_job_loss' field "?'?signals\[0\]\.require\['lost \+'\]/],
    ['non-numeric guard', 'clustered_job_loss', (r) => (r.signals[0].min_counts = { workers: 'ten' }), /field 'signals\[0\]\.min_counts\['workers'\]': must be a number/],
    ['unknown level', 'quality_score_low', (r) => (r.levels = ['county', 'district']), /rule 'quality_score_low' field 'levels\[1\]': unknown level 'district'/],
    ['level the source lacks', 'point_not_reporting', (r) => (r.levels = ['county']), /rule 'point_not_reporting' field 'levels\[0\]': source 'points' has no level 'county'/],
    ['unknown source', 'quality_score_low', (r) => (r.source = 'magic'), /rule 'quality_score_low' field 'source': must be one of/],
    ['missing Chinese name', 'unemployment_rate_high', (r) => delete r.name.zh, /rule 'unemployment_rate_high' field 'name\.zh': must be a non-empty string/],
    ['pending_for not an integer', 'unemployment_rate_high', (r) => (r.pending_for = 1.5), /field 'pending_for': must be an integer from 1 to 24/],
    ['unknown field', 'unemployment_rate_high', (r) => (r.treshold = 3), /rule 'unemployment_rate_high' field 'treshold': unknown field/],
    ['no thresholds', 'unemployment_rate_high', (r) => (r.signals[0].thresholds = {}), /field 'signals\[0\]\.thresholds': needs at least one severity threshold/],
    ['bad condition', 'unemployment_rate_high', (r) => (r.signals[0].condition = 'greater'), /field 'signals\[0\]\.condition': must be 'above' or 'below'/],
    ['empty evidence', 'unemployment_rate_high', (r) => (r.evidence.series = []), /field 'evidence\.series': must be a non-empty list/],
  ];
  for (const [what, id, edit, re] of cases) {
    test(what, () => {
      expect(() => load(variant(id, edit))).toThrow(RuleFileError);
      expect(() => load(variant(id, edit))).toThrow(re);
    });
  }

  test('a duplicate rule id and a missing built-in rule are refused', () => {
    const dup = structuredClone(original);
    dup.rules.push(structuredClone(dup.rules[0]));
    expect(() => load(stringify(dup))).toThrow(/rule 'unemployment_rate_high' field 'rules\[9\]\.id': duplicate rule id/);
    const missing = structuredClone(original);
    missing.rules = missing.rules.filter((r) => r.id !== 'mass_return');
    expect(() => load(stringify(missing))).toThrow(/rule 'mass_return' field 'id': built-in rule missing/);
  });

  test('YAML syntax errors give the line', () => {
    expect(() => load('rules:\n  - id: x\n    name: {zh: a, en: b\n')).toThrow(/rules\.yaml: field 'line \d+, column \d+'/);
    expect(() => load('rules:\n  - id: a\n    id: b\n')).toThrow(/line 3/);
  });
});

describe('threshold overrides', () => {
  test('replace a signal\'s thresholds', () => {
    const set = applyThresholdOverrides(loadRules(), { mass_return: { returns_vs_baseline: { blue: 2, red: 50 } } });
    expect(set.byId('mass_return')!.signals[0].thresholds).toEqual({ blue: 2, red: 50 });
    expect(loadRules().byId('mass_return')!.signals[0].thresholds).toEqual({ blue: 3, yellow: 5, orange: 10, red: 20 });
  });

  test('are validated like the file', () => {
    expect(() => applyThresholdOverrides(loadRules(), { mass_return: { returns_vs_baseline: { blue: 5, yellow: 4 } } })).toThrow(
      /threshold override: rule 'mass_return' field 'signals\[0\]\.thresholds\.yellow': must be > blue \(5\)/,
    );
    expect(() => applyThresholdOverrides(loadRules(), { mass_return: { nope: { blue: 5 } } })).toThrow(/rule 'mass_return' field 'signals\.nope': no such signal/);
    expect(() => applyThresholdOverrides(loadRules(), { no_rule: { x: { blue: 5 } } })).toThrow(/rule 'no_rule' field 'id': no such rule/);
  });
});
