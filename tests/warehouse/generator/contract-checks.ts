/**
 * Test-side row checks of the export contract, written independently of the generator:
 * the first failing check of a persons or change row in CHECK_ORDER
 * (warehouse/contract/reject-reasons.ts), for the stateless rules; the state rules
 * (active / registration) are checked by the replay in the tests.
 */
import { CHANGE_COLUMNS, PERSON_COLUMNS, type ColumnSpec } from '../../../warehouse/contract/columns.ts';
import { EVENT_REASONS, FLAG_FALSE, FLAG_TRUE, WORK_REGION_STATUSES } from '../../../warehouse/contract/codes.ts';
import { idBirthDate, idCheckCharacter, idSex } from '../../../warehouse/reference/id-number.ts';
import type { RejectReason } from '../../../warehouse/contract/reject-reasons.ts';

export type Row = Record<string, string>;

export interface CheckContext {
  readonly villages: ReadonlySet<string>;
  readonly points: ReadonlySet<string>;
  /** The file's date: snapshot date, or the last recorded day of a changes file. */
  readonly fileDate: string;
}

const ISO = /^\d{4}-\d{2}-\d{2}$/;
function validDate(v: string): boolean {
  if (!ISO.test(v)) return false;
  const t = Date.parse(`${v}T00:00:00Z`);
  return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === v;
}
const FLAGS = new Set<string>([...FLAG_TRUE, ...FLAG_FALSE]);

function valueProblem(c: ColumnSpec, v: string): RejectReason | undefined {
  switch (c.type) {
    case 'date': return validDate(v) ? undefined : 'invalid_date';
    case 'code': return c.codes!.some((x) => x.code === v) ? undefined : 'invalid_code';
    case 'flag': return FLAGS.has(v) ? undefined : 'invalid_code';
    case 'code_list': return v.split(';').every((x) => ['职业介绍', '职业培训', '创业服务', '劳务对接', '维权服务', '政策咨询'].includes(x)) ? undefined : 'invalid_code';
    case 'int': return /^\d+$/.test(v) ? undefined : 'invalid_number';
    default: return undefined;
  }
}

function ageOn(birth: string, day: string): number {
  let age = Number(day.slice(0, 4)) - Number(birth.slice(0, 4));
  if (day.slice(5) < birth.slice(5)) age--;
  return age;
}

/** Stateless checks of the person columns present in `row` (all required ones when `full`). */
function personChecks(row: Row, ctx: CheckContext, full: boolean, order: RejectReason[]): Partial<Record<RejectReason, string>> {
  const found: Partial<Record<RejectReason, string>> = {};
  const hit = (r: RejectReason, col: string) => { if (!(r in found)) found[r] = col; };
  const present = (k: string) => row[k] !== undefined && row[k] !== '';
  for (const c of PERSON_COLUMNS) if (full && c.required && !present(c.key)) hit('missing_required', c.key);
  const id = row.id_number ?? '';
  if (present('id_number')) {
    if (!/^\d{17}[\dX]$/.test(id)) hit('bad_id_format', 'id_number');
    else if (idCheckCharacter(id.slice(0, 17)) !== id[17]) hit('bad_check_character', 'id_number');
  }
  for (const c of PERSON_COLUMNS) {
    if (!present(c.key) || c.key === 'id_number') continue;
    const p = valueProblem(c, row[c.key]);
    if (p) hit(p, c.key);
    if (c.type === 'int' && /^\d+$/.test(row[c.key]) && (Number(row[c.key]) < (c.min ?? 0) || Number(row[c.key]) > (c.max ?? Infinity))) hit('value_out_of_range', c.key);
    if (c.maxLength && row[c.key].length > c.maxLength) hit('too_long', c.key);
  }
  if (present('sex') && /^\d{17}/.test(id) && idSex(id) !== row.sex) hit('sex_mismatch', 'sex');
  if (present('birth_date') && /^\d{17}/.test(id) && idBirthDate(id) !== row.birth_date) hit('birth_date_mismatch', 'birth_date');
  if (present('birth_date') && validDate(row.birth_date) && ageOn(row.birth_date, ctx.fileDate) < 16) hit('under_16', 'birth_date');
  for (const k of ['registered_on', 'verified_on']) if (present(k) && validDate(row[k]) && row[k] > ctx.fileDate) hit('future_date', k);
  if (present('village_code') && !ctx.villages.has(row.village_code)) hit('unknown_village', 'village_code');
  if (present('point_code') && !ctx.points.has(row.point_code)) hit('unknown_point', 'point_code');
  if (full && (WORK_REGION_STATUSES as readonly string[]).includes(row.employment_status) && !present('work_region_code')) hit('work_region_required', 'work_region_code');
  if (present('work_region_code') && !/^\d{6}$/.test(row.work_region_code)) hit('invalid_work_region', 'work_region_code');
  void order;
  return found;
}

function first(found: Partial<Record<RejectReason, string>>, order: readonly RejectReason[]): { reason: RejectReason; column: string } | undefined {
  for (const r of order) if (r in found) return { reason: r, column: found[r]! };
  return undefined;
}

export function personsRowProblem(row: Row, ctx: CheckContext, order: RejectReason[]): { reason: RejectReason; column: string } | undefined {
  return first(personChecks(row, ctx, true, order), order);
}

export function changeRowProblem(row: Row, ctx: CheckContext, order: RejectReason[]): { reason: RejectReason; column: string } | undefined {
  const type = row.event_type;
  const full = type === '新增';
  const found = personChecks(row, ctx, full, order);
  const hit = (r: RejectReason, col: string) => { if (!(r in found)) found[r] = col; };
  for (const c of CHANGE_COLUMNS.slice(0, 7)) if (c.required && !row[c.key]) hit('missing_required', c.key);
  for (const k of ['event_date', 'recorded_on']) if (row[k] && !validDate(row[k])) hit('invalid_date', k);
  if (row.event_type && !['新增', '减少', '状态变更'].includes(row.event_type)) hit('invalid_code', 'event_type');
  for (const k of ['event_date', 'recorded_on']) if (row[k] && validDate(row[k]) && row[k] > ctx.fileDate) hit('future_date', k);
  if (row.event_date && row.recorded_on && row.event_date > row.recorded_on) hit('event_after_recorded', 'event_date');
  const reasons = (EVENT_REASONS as Record<string, readonly { code: string }[]>)[type];
  if (row.reason && reasons && !reasons.some((r) => r.code === row.reason)) hit('invalid_reason', 'reason');
  if (type === '减少') for (const c of PERSON_COLUMNS) if (!['id_number', 'point_code', 'review_status'].includes(c.key) && row[c.key]) hit('malformed_row', c.key);
  return first(found, order);
}
