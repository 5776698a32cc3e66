/**
 * Third-party verification results of a sampling evaluation, as imported: one row per
 * sample id with the outcome (抽查结果: 一致 / 不一致 / 查无此人, or match / mismatch /
 * not_found), the corrections (更正内容: `字段=值;字段=值`, fields by Chinese header or
 * English key of the persons columns), the verifying organisation and the check date.
 * Rows with an empty outcome are "not yet verified" and skipped. Every problem is
 * reported with its row number and field; one bad row rejects the whole import.
 */
import { PERSON_COLUMNS, type ColumnSpec } from '../contract/columns.ts';
import type { Correction, VerificationOutcome, VerificationResult } from './sampling-store.ts';

export const RESULT_COLUMNS = {
  sample_id: '样本编号',
  result: '抽查结果',
  corrections: '更正内容',
  verifier: '抽查单位',
  checked_on: '抽查日期',
} as const;

const OUTCOMES: Readonly<Record<string, VerificationOutcome>> = {
  一致: 'match',
  match: 'match',
  不一致: 'mismatch',
  mismatch: 'mismatch',
  查无此人: 'not_found',
  not_found: 'not_found',
};

export const OUTCOME_ZH: Readonly<Record<VerificationOutcome, string>> = { match: '一致', mismatch: '不一致', not_found: '查无此人' };

/** Fields whose corrected values are personal data: only the fact of a correction is kept. */
const PERSONAL_FIELDS = new Set(['id_number', 'name', 'phone']);

const FIELD_BY_NAME = new Map<string, ColumnSpec>();
for (const c of PERSON_COLUMNS) {
  FIELD_BY_NAME.set(c.key, c);
  FIELD_BY_NAME.set(c.header, c);
}

export interface ResultProblem {
  readonly row: number;
  readonly field: string;
  readonly message: string;
}

export interface ParsedResults {
  readonly results: VerificationResult[];
  readonly skipped: number;
  readonly problems: ResultProblem[];
}

/** Parses `字段=值;字段=值` into corrections (values of personal fields dropped). */
export function parseCorrections(text: string, row: number, problems: ResultProblem[]): Correction[] {
  const out: Correction[] = [];
  const seen = new Set<string>();
  for (const part of text.split(/[;；]/)) {
    const item = part.trim();
    if (!item) continue;
    const eq = item.search(/[=＝]/);
    if (eq <= 0) {
      problems.push({ row, field: 'corrections', message: `correction '${item}' is not 字段=值` });
      continue;
    }
    const name = item.slice(0, eq).trim();
    const value = item.slice(eq + 1).trim();
    const spec = FIELD_BY_NAME.get(name) ?? FIELD_BY_NAME.get(name.toLowerCase());
    if (!spec) {
      problems.push({ row, field: 'corrections', message: `unknown field '${name}' (use a persons column header or key, e.g. 就业状态)` });
      continue;
    }
    if (seen.has(spec.key)) {
      problems.push({ row, field: 'corrections', message: `field '${name}' corrected twice` });
      continue;
    }
    seen.add(spec.key);
    if (PERSONAL_FIELDS.has(spec.key)) {
      out.push({ field: spec.key, value: null });
      continue;
    }
    if (value.length > 100) {
      problems.push({ row, field: 'corrections', message: `value of '${name}' is longer than 100 characters` });
      continue;
    }
    if (spec.codes && value !== '' && !spec.codes.some((c) => c.code === value)) {
      problems.push({ row, field: 'corrections', message: `'${value}' is not a code of ${spec.header} (${spec.codes.map((c) => c.code).join(', ')})` });
      continue;
    }
    out.push({ field: spec.key, value });
  }
  return out;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Checks imported rows (objects keyed by header: Chinese or the English keys of
 * RESULT_COLUMNS; `row` = the physical row number for messages) against the draw's
 * sample ids.
 */
export function parseVerificationRows(rows: readonly { row: number; values: Readonly<Record<string, string | null>> }[], sampleIds: ReadonlySet<string>): ParsedResults {
  const problems: ResultProblem[] = [];
  const results: VerificationResult[] = [];
  const seen = new Map<string, number>();
  let skipped = 0;
  const get = (v: Readonly<Record<string, string | null>>, key: keyof typeof RESULT_COLUMNS) => {
    const x = v[RESULT_COLUMNS[key]] ?? v[key];
    return x === null || x === undefined ? '' : String(x).trim();
  };
  for (const { row, values } of rows) {
    const sampleId = get(values, 'sample_id');
    const outcomeText = get(values, 'result');
    const correctionsText = get(values, 'corrections');
    if (!sampleId) {
      if (outcomeText || correctionsText) problems.push({ row, field: 'sample_id', message: 'sample id (样本编号) is empty' });
      else skipped++;
      continue;
    }
    if (!sampleIds.has(sampleId)) {
      problems.push({ row, field: 'sample_id', message: `sample id '${sampleId}' is not in this draw` });
      continue;
    }
    const first = seen.get(sampleId);
    if (first !== undefined) {
      problems.push({ row, field: 'sample_id', message: `sample id '${sampleId}' also on row ${first}` });
      continue;
    }
    seen.set(sampleId, row);
    if (!outcomeText) {
      if (correctionsText) problems.push({ row, field: 'result', message: 'corrections given but the result (抽查结果) is empty' });
      else skipped++;
      continue;
    }
    const outcome = OUTCOMES[outcomeText] ?? OUTCOMES[outcomeText.toLowerCase()];
    if (!outcome) {
      problems.push({ row, field: 'result', message: `result '${outcomeText}' must be 一致, 不一致 or 查无此人` });
      continue;
    }
    const before = problems.length;
    const corrections = parseCorrections(correctionsText, row, problems);
    if (outcome === 'match' && corrections.length > 0) problems.push({ row, field: 'corrections', message: 'a result 一致 cannot carry corrections' });
    const checkedOn = get(values, 'checked_on');
    if (checkedOn && !(DATE.test(checkedOn) && !Number.isNaN(Date.parse(`${checkedOn}T00:00:00Z`)))) {
      problems.push({ row, field: 'checked_on', message: `check date '${checkedOn}' is not YYYY-MM-DD` });
    }
    const verifier = get(values, 'verifier');
    if (verifier.length > 60) problems.push({ row, field: 'verifier', message: 'verifying organisation (抽查单位) is longer than 60 characters' });
    if (problems.length > before) continue;
    results.push({ sampleId, result: outcome, corrections, verifiedOn: checkedOn || null, verifier: verifier || null });
  }
  return { results, skipped, problems };
}
