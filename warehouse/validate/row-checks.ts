/**
 * The row-level rules of the export contract as SQL conditions, one list per file kind,
 * in CHECK_ORDER (reject-reasons.ts) and, within a reason, in the contract's column
 * order. A row's reported rejection is the first condition that holds: the list is
 * compiled into one CASE expression (see checked-rows.ts), so DuckDB evaluates the rules
 * set-based over the whole staging table.
 *
 * Every condition reads the normalised staging row `s` and the relations joined by
 * checked-rows.ts: `rv` (the row's village in the region reference), `wr` (its work
 * region), `pt` (its collection point), `dup` (its ID number occurs twice in the file),
 * `dk` (an exact duplicate of an earlier row), `pv` (points: its covered villages),
 * `tw` (points: its township). $file_date is the file's "as of" date.
 */
import { COLUMNS, type ColumnSpec, type FileKind } from '../contract/columns.ts';
import {
  ABROAD_REGION_CODE,
  EVENT_REASONS,
  SERVICE_NEEDS,
  WORK_REGION_STATUSES,
} from '../contract/codes.ts';
import { CHECK_ORDER, REJECT_REASONS, type RejectReason } from '../contract/reject-reasons.ts';
import { PROVINCE_CODE } from '../reference/regions.ts';
import { sqlConstant, sqlConstantList, sqlIdent } from './sql-constant.ts';

export interface RowCheck {
  readonly reason: RejectReason;
  /** The failing column (contract key), or null for a whole-row reason. */
  readonly column: string | null;
  /** SQL condition that is true when the row fails this check. */
  readonly when: string;
  /** SQL expression of the raw value stored in quarantine (masked for personal data). */
  readonly raw: string;
  /** Human-readable message (Chinese, with the column). */
  readonly message: string;
}

/** GB/T 2260 province-level prefixes (work regions outside Sichuan can only be checked to this level). */
export const PROVINCE_PREFIXES = [
  '11', '12', '13', '14', '15', '21', '22', '23', '31', '32', '33', '34', '35', '36', '37', '41', '42', '43',
  '44', '45', '46', '50', '51', '52', '53', '54', '61', '62', '63', '64', '65', '71', '81', '82',
] as const;

const PII_MASK: Record<string, string> = {
  id_number: 'rlm_mask_id',
  phone: 'rlm_mask_phone',
  collector_phone: 'rlm_mask_phone',
  name: 'rlm_mask_name',
  collector: 'rlm_mask_name',
};

/** The quarantine raw value of a column: the value as written, masked for personal data. */
export function rawValueSql(column: string): string {
  const col = `s.${sqlIdent(column)}`;
  const mask = PII_MASK[column];
  return mask ? `${mask}(${col})` : col;
}

const c = (key: string): string => `s.${sqlIdent(key)}`;
/** The parsed DATE of a date column, computed once per row by checked-rows.ts (`d__<key>`). */
export const parsedDate = (key: string): string => `s.${sqlIdent(`d__${key}`)}`;
/** The ID number problem ('format' | 'check' | NULL), computed once per row (`id__problem`). */
const idProblem = 's.id__problem';

function message(reason: RejectReason, spec: ColumnSpec | undefined, extra = ''): string {
  const zh = REJECT_REASONS[reason].zh;
  return spec ? `${zh}：${spec.header}（${spec.key}）${extra}` : `${zh}${extra}`;
}

interface Draft {
  reason: RejectReason;
  column: string | null;
  when: string;
  raw?: string;
  extra?: string;
}

/** SQL condition "this 新增 row must carry the column" for change files. */
const isAdd = `s.event_type = ${sqlConstant('新增')}`;

function drafts(kind: FileKind): Draft[] {
  const cols = COLUMNS[kind];
  const has = (key: string) => cols.some((x) => x.key === key);
  const out: Draft[] = [];
  const personRequired = new Set(COLUMNS.persons.filter((x) => x.required).map((x) => x.key));

  // missing_required
  for (const spec of cols) {
    if (spec.required) out.push({ reason: 'missing_required', column: spec.key, when: `${c(spec.key)} IS NULL` });
    else if (kind === 'changes' && personRequired.has(spec.key)) {
      out.push({ reason: 'missing_required', column: spec.key, when: `${isAdd} AND ${c(spec.key)} IS NULL`, extra: '（新增必填）' });
    }
  }
  // ID number shape and check character
  if (has('id_number')) {
    out.push({ reason: 'bad_id_format', column: 'id_number', when: `${idProblem} = 'format'` });
    out.push({ reason: 'bad_check_character', column: 'id_number', when: `${idProblem} = 'check'` });
  }
  for (const spec of cols) {
    const v = c(spec.key);
    switch (spec.type) {
      case 'date':
        out.push({ reason: 'invalid_date', column: spec.key, when: `${v} IS NOT NULL AND ${parsedDate(spec.key)} IS NULL` });
        break;
      case 'month':
        out.push({ reason: 'invalid_date', column: spec.key, when: `${v} IS NOT NULL AND (NOT regexp_full_match(${v}, '[0-9]{4}-[0-9]{2}') OR try_cast(${v} || '-01' AS DATE) IS NULL)` });
        break;
      case 'code':
        out.push({ reason: 'invalid_code', column: spec.key, when: `${v} IS NOT NULL AND ${v} NOT IN ${sqlConstantList((spec.codes ?? []).map((x) => x.code))}` });
        break;
      case 'flag':
        out.push({ reason: 'invalid_code', column: spec.key, when: `${v} IS NOT NULL AND rlm_flag(${v}) IS NULL` });
        break;
      case 'code_list':
        out.push({ reason: 'invalid_code', column: spec.key, when: `${v} IS NOT NULL AND NOT list_has_all(${sqlConstantList(SERVICE_NEEDS.map((x) => x.code), 'list')}, string_split(${v}, ';'))` });
        break;
      default:
        break;
    }
  }
  if (kind === 'roster') {
    // the roster type must match the file (roster-poverty holds 脱贫劳动力 rows only)
    out.push({ reason: 'invalid_code', column: 'roster_type', when: `${c('roster_type')} <> $roster_type` });
  }
  for (const spec of cols) {
    if (spec.type !== 'int') continue;
    out.push({ reason: 'invalid_number', column: spec.key, when: `${c(spec.key)} IS NOT NULL AND NOT regexp_full_match(${c(spec.key)}, '-?[0-9]{1,12}')` });
  }
  for (const spec of cols) {
    if (spec.type !== 'int' || (spec.min === undefined && spec.max === undefined)) continue;
    const n = `CAST(${c(spec.key)} AS BIGINT)`;
    const conds = [spec.min !== undefined ? `${n} < ${spec.min}` : '', spec.max !== undefined ? `${n} > ${spec.max}` : ''].filter(Boolean);
    out.push({ reason: 'value_out_of_range', column: spec.key, when: `${c(spec.key)} IS NOT NULL AND (${conds.join(' OR ')})` });
  }
  for (const spec of cols) {
    if (spec.maxLength === undefined) continue;
    out.push({ reason: 'too_long', column: spec.key, when: `length(${c(spec.key)}) > ${spec.maxLength}` });
  }
  if (has('sex') && has('id_number')) {
    out.push({ reason: 'sex_mismatch', column: 'sex', when: `${c('sex')} IS NOT NULL AND ${c('sex')} <> rlm_id_sex(${c('id_number')})` });
  }
  if (has('birth_date') && has('id_number')) {
    out.push({ reason: 'birth_date_mismatch', column: 'birth_date', when: `${parsedDate('birth_date')} <> rlm_id_birth(${c('id_number')})` });
  }
  if (has('birth_date')) {
    out.push({ reason: 'under_16', column: 'birth_date', when: `rlm_age(${parsedDate('birth_date')}, $file_date) < 16` });
  }
  for (const spec of cols) {
    if (spec.type !== 'date' || spec.key === 'birth_date' || spec.key === 'established_on') continue;
    out.push({ reason: 'future_date', column: spec.key, when: `${parsedDate(spec.key)} > $file_date` });
  }
  if (kind === 'changes') {
    out.push({ reason: 'event_after_recorded', column: 'event_date', when: `${parsedDate('event_date')} > ${parsedDate('recorded_on')}` });
    const pairs = Object.entries(EVENT_REASONS).map(
      ([type, reasons]) => `(${c('event_type')} = ${sqlConstant(type)} AND ${c('reason')} NOT IN ${sqlConstantList(reasons.map((r) => r.code))})`,
    );
    out.push({ reason: 'invalid_reason', column: 'reason', when: pairs.join(' OR ') });
  }
  if (has('village_code')) out.push({ reason: 'unknown_village', column: 'village_code', when: `${c('village_code')} IS NOT NULL AND rv.code IS NULL` });
  if (kind === 'points') {
    out.push({ reason: 'unknown_village', column: 'village_codes', when: `pv.unknown_village IS NOT NULL`, raw: 's.pv_unknown_village' });
  }
  if (has('point_code') && kind !== 'points') {
    out.push({ reason: 'unknown_point', column: 'point_code', when: `${c('point_code')} IS NOT NULL AND pt.point_code IS NULL` });
  }
  if (kind === 'points') {
    out.push({ reason: 'unknown_township', column: 'township_code', when: `tw.code IS NULL` });
    out.push({ reason: 'village_outside_township', column: 'village_codes', when: `pv.outside_village IS NOT NULL`, raw: 's.pv_outside_village' });
  }
  if (has('work_region_code') && has('employment_status')) {
    const needs = `${c('employment_status')} IN ${sqlConstantList(WORK_REGION_STATUSES)} AND ${c('work_region_code')} IS NULL`;
    if (kind === 'persons') out.push({ reason: 'work_region_required', column: 'work_region_code', when: needs });
    else out.push({ reason: 'work_region_required', column: 'work_region_code', when: `${isAdd} AND ${needs}` });
    const w = c('work_region_code');
    const valid = `(${w} = ${sqlConstant(ABROAD_REGION_CODE)}
      OR (substr(${w}, 1, 2) IN ${sqlConstantList(PROVINCE_PREFIXES)} AND substr(${w}, 1, 2) <> ${sqlConstant(PROVINCE_CODE.slice(0, 2))})
      OR wr.code IS NOT NULL)`;
    out.push({ reason: 'invalid_work_region', column: 'work_region_code', when: `${w} IS NOT NULL AND (NOT regexp_full_match(${w}, '[0-9]{6}') OR NOT ${valid})` });
  }
  if (kind === 'persons' || kind === 'roster') {
    out.push({ reason: 'duplicate_id', column: 'id_number', when: `dup.id_number IS NOT NULL` });
  }
  if (kind === 'changes' || kind === 'points' || kind === 'submissions') {
    out.push({ reason: 'duplicate_key', column: kind === 'changes' ? null : 'point_code', when: `dk.row_no IS NOT NULL` });
  }
  return out;
}

/** The row checks of a file kind, in reporting order. */
export function rowChecksFor(kind: FileKind): RowCheck[] {
  const cols = COLUMNS[kind];
  const list = drafts(kind).map((d, i) => ({ d, i }));
  list.sort((a, b) => CHECK_ORDER.indexOf(a.d.reason) - CHECK_ORDER.indexOf(b.d.reason) || a.i - b.i);
  return list.map(({ d }) => {
    const spec = d.column ? cols.find((x) => x.key === d.column) : undefined;
    return {
      reason: d.reason,
      column: d.column,
      when: d.when,
      raw: d.raw ?? (d.column ? rawValueSql(d.column) : 'NULL'),
      message: message(d.reason, spec, d.extra),
    };
  });
}

/** Row checks that need the registry state (change files only), appended after the row checks. */
export const STATE_CHECKS: readonly RowCheck[] = (
  [
    ['add_person_already_active', 'id_number'],
    ['event_person_not_active', 'id_number'],
    ['event_before_registration', 'event_date'],
  ] as const
).map(([reason, column]) => ({
  reason,
  column,
  when: 'false',
  raw: rawValueSql(column),
  message: message(reason, COLUMNS.changes.find((x) => x.key === column)),
}));
