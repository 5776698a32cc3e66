/**
 * The configurable rules of the quarterly bulletin (places commended and called in) and
 * of the annual assessment (weighted indicators, linear points between a zero line and a
 * full line, grades), loaded from engine/briefings/assessment-scheme.yaml or the file
 * named by RLM_ASSESSMENT_SCHEME, validated with errors naming the file and the field.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { isMetricId, type MetricId } from '../../warehouse/metrics/catalogue.ts';

export const SCHEME_FILE = fileURLToPath(new URL('./assessment-scheme.yaml', import.meta.url));

export const ALERT_HANDLING_RATE = 'alert_handling_rate';

export interface CommendRule {
  readonly metric: MetricId;
  readonly top: number;
  readonly min: number;
  readonly label: string;
}

export interface CallInRule {
  readonly id: string;
  readonly label: string;
  /** A metric below a threshold (of the period, or of its last month) … */
  readonly metric?: MetricId;
  readonly below?: number;
  readonly lastMonth?: boolean;
  /** … or a count of alerts of the period with this workflow state, at least `atLeast`. */
  readonly alerts?: 'open' | 'acknowledged' | 'closed';
  readonly atLeast?: number;
}

export interface Indicator {
  readonly id: string;
  readonly metric: MetricId | typeof ALERT_HANDLING_RATE;
  readonly weight: number;
  readonly zero: number;
  readonly full: number;
  readonly label: string;
}

export interface AssessmentScheme {
  readonly name: string;
  readonly description: string;
  readonly commend: readonly CommendRule[];
  readonly callIn: readonly CallInRule[];
  readonly indicators: readonly Indicator[];
  readonly grades: readonly { readonly min: number; readonly label: string }[];
}

export class SchemeError extends Error {
  constructor(file: string, field: string, message: string) {
    super(`${file}: ${field}: ${message}`);
    this.name = 'SchemeError';
  }
}

type Obj = Record<string, unknown>;

export function parseScheme(text: string, file: string): AssessmentScheme {
  const fail = (field: string, message: string): never => {
    throw new SchemeError(file, field, message);
  };
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (err) {
    return fail('(syntax)', (err as Error).message.split('\n')[0]);
  }
  const obj = (v: unknown, field: string): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : fail(field, 'must be a mapping'));
  const list = (v: unknown, field: string): unknown[] => (Array.isArray(v) ? v : fail(field, 'must be a list'));
  const str = (v: unknown, field: string): string => (typeof v === 'string' && v.trim() ? v : fail(field, 'must be a non-empty text'));
  const num = (v: unknown, field: string): number => (typeof v === 'number' && Number.isFinite(v) ? v : fail(field, 'must be a number'));
  const metric = (v: unknown, field: string): MetricId => {
    const s = str(v, field);
    return isMetricId(s) ? s : fail(field, `unknown metric '${s}'`);
  };
  const root = obj(doc, '(document)');
  const bulletin = obj(root.bulletin, 'bulletin');
  const commend = list(bulletin.commend, 'bulletin.commend').map((r, i) => {
    const f = `bulletin.commend[${i}]`;
    const o = obj(r, f);
    const top = num(o.top, `${f}.top`);
    if (!Number.isInteger(top) || top < 1) fail(`${f}.top`, 'must be a whole number ≥ 1');
    return { metric: metric(o.metric, `${f}.metric`), top, min: num(o.min, `${f}.min`), label: str(o.label, `${f}.label`) };
  });
  const ids = new Set<string>();
  const callIn = list(bulletin.callIn, 'bulletin.callIn').map((r, i): CallInRule => {
    const f = `bulletin.callIn[${i}]`;
    const o = obj(r, f);
    const id = str(o.id, `${f}.id`);
    if (ids.has(id)) fail(`${f}.id`, `duplicate id '${id}'`);
    ids.add(id);
    const label = str(o.label, `${f}.label`);
    if (o.alerts !== undefined) {
      if (!['open', 'acknowledged', 'closed'].includes(String(o.alerts))) fail(`${f}.alerts`, 'must be open, acknowledged or closed');
      return { id, label, alerts: o.alerts as CallInRule['alerts'], atLeast: num(o.atLeast, `${f}.atLeast`) };
    }
    if (o.lastMonth !== undefined && typeof o.lastMonth !== 'boolean') fail(`${f}.lastMonth`, 'must be true or false');
    return { id, label, metric: metric(o.metric, `${f}.metric`), below: num(o.below, `${f}.below`), lastMonth: o.lastMonth === true };
  });
  const assessment = obj(root.assessment, 'assessment');
  const indicators = list(assessment.indicators, 'assessment.indicators').map((r, i): Indicator => {
    const f = `assessment.indicators[${i}]`;
    const o = obj(r, f);
    const m = str(o.metric, `${f}.metric`);
    if (m !== ALERT_HANDLING_RATE && !isMetricId(m)) fail(`${f}.metric`, `unknown metric '${m}'`);
    const weight = num(o.weight, `${f}.weight`);
    if (weight <= 0) fail(`${f}.weight`, 'must be positive');
    const zero = num(o.zero, `${f}.zero`);
    const full = num(o.full, `${f}.full`);
    if (zero === full) fail(`${f}.full`, 'must differ from zero');
    return { id: str(o.id, `${f}.id`), metric: m as Indicator['metric'], weight, zero, full, label: str(o.label, `${f}.label`) };
  });
  if (indicators.length === 0) fail('assessment.indicators', 'must not be empty');
  const total = indicators.reduce((s, x) => s + x.weight, 0);
  if (Math.abs(total - 100) > 1e-9) fail('assessment.indicators', `weights must add up to 100 (they add up to ${total})`);
  const grades = list(assessment.grades, 'assessment.grades')
    .map((r, i) => {
      const o = obj(r, `assessment.grades[${i}]`);
      return { min: num(o.min, `assessment.grades[${i}].min`), label: str(o.label, `assessment.grades[${i}].label`) };
    })
    .sort((a, b) => b.min - a.min);
  if (grades.length === 0 || grades[grades.length - 1].min > 0) fail('assessment.grades', 'needs a grade with min 0');
  return { name: str(root.name, 'name'), description: str(root.description, 'description'), commend, callIn, indicators, grades };
}

let cached: { file: string; scheme: AssessmentScheme } | undefined;

/** The scheme in force (RLM_ASSESSMENT_SCHEME or the default file), read once per file. */
export function loadScheme(file = process.env.RLM_ASSESSMENT_SCHEME || SCHEME_FILE): AssessmentScheme {
  if (cached?.file === file) return cached.scheme;
  const scheme = parseScheme(readFileSync(file, 'utf8'), file);
  cached = { file, scheme };
  return scheme;
}

/** Points of one indicator: linear from 0 at `zero` to `weight` at `full` (either direction), capped. */
export function indicatorPoints(ind: Indicator, value: number | null): number {
  if (value === null) return 0;
  const share = (value - ind.zero) / (ind.full - ind.zero);
  return Math.round(ind.weight * Math.min(1, Math.max(0, share)) * 100) / 100;
}

export function gradeOf(scheme: AssessmentScheme, score: number): string {
  return scheme.grades.find((g) => score >= g.min)!.label;
}
