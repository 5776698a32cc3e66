/**
 * Column definitions of every file kind in the registry export contract
 * (../shared/domain/EXPORT-CONTRACT.md): Chinese header, English alias, value type,
 * whether the column is required. Readers map headers through this table; the
 * generator writes headers from it; validation checks values against it.
 */
import {
  EDUCATION,
  EMPLOYMENT_STATUS,
  EVENT_TYPE,
  INDUSTRY,
  PRESENCE,
  REVIEW_STATUS,
  ROSTER_TYPE,
  SEX,
  SKILL_LEVEL,
  SUBMISSION_STATUS,
  type CodeLabel,
} from './codes.ts';

export type FileKind = 'persons' | 'changes' | 'points' | 'submissions' | 'roster';

export type ValueType =
  | 'id_number' // 18-character citizen ID number
  | 'text'
  | 'date' // YYYY-MM-DD, YYYYMMDD or YYYY/MM/DD
  | 'month' // YYYY-MM
  | 'code' // one of `codes`
  | 'code_list' // `;`-separated codes of `codes`
  | 'flag' // 是/否, 1/0, Y/N, true/false
  | 'int'
  | 'region6' // 6-digit GB/T 2260 code
  | 'township9'
  | 'village12'
  | 'village12_list'; // `;`-separated village codes

export interface ColumnSpec {
  /** English alias, lower-case; also the field name in parsed records. */
  readonly key: string;
  /** Chinese header as the registry writes it. */
  readonly header: string;
  readonly type: ValueType;
  /** Required on every row of the file. Conditional requirements live in validation. */
  readonly required: boolean;
  readonly codes?: readonly CodeLabel[];
  readonly maxLength?: number;
  readonly min?: number;
  readonly max?: number;
}

/** The persons columns (人员信息); also the "after" values of a change event. */
export const PERSON_COLUMNS: readonly ColumnSpec[] = [
  { key: 'id_number', header: '公民身份号码', type: 'id_number', required: true },
  { key: 'name', header: '姓名', type: 'text', required: true, maxLength: 30 },
  { key: 'sex', header: '性别', type: 'code', required: true, codes: SEX },
  { key: 'birth_date', header: '出生日期', type: 'date', required: true },
  { key: 'village_code', header: '户籍村代码', type: 'village12', required: true },
  { key: 'point_code', header: '采集点编码', type: 'text', required: true, maxLength: 40 },
  { key: 'phone', header: '联系电话', type: 'text', required: false, maxLength: 30 },
  { key: 'education', header: '文化程度', type: 'code', required: false, codes: EDUCATION },
  { key: 'skill_level', header: '技能等级', type: 'code', required: false, codes: SKILL_LEVEL },
  { key: 'poverty_alleviated', header: '脱贫劳动力', type: 'flag', required: true },
  { key: 'relocated', header: '易地搬迁', type: 'flag', required: true },
  { key: 'veteran', header: '退役军人', type: 'flag', required: false },
  { key: 'employment_status', header: '就业状态', type: 'code', required: true, codes: EMPLOYMENT_STATUS },
  { key: 'presence', header: '所在状态', type: 'code', required: true, codes: PRESENCE },
  { key: 'work_region_code', header: '就业地区代码', type: 'region6', required: false },
  { key: 'industry', header: '就业行业', type: 'code', required: false, codes: INDUSTRY },
  { key: 'employer', header: '就业单位', type: 'text', required: false, maxLength: 100 },
  { key: 'monthly_income', header: '月收入', type: 'int', required: false, min: 0, max: 200000 },
  { key: 'training_wish', header: '培训意愿', type: 'flag', required: false },
  { key: 'service_needs', header: '服务需求', type: 'code_list', required: false },
  { key: 'registered_on', header: '登记日期', type: 'date', required: true },
  { key: 'verified_on', header: '核实日期', type: 'date', required: true },
  { key: 'review_status', header: '审核状态', type: 'code', required: true, codes: REVIEW_STATUS },
];

/** Event columns of a change record, followed by the person columns (values after the change). */
export const CHANGE_EVENT_COLUMNS: readonly ColumnSpec[] = [
  { key: 'id_number', header: '公民身份号码', type: 'id_number', required: true },
  { key: 'event_date', header: '变动日期', type: 'date', required: true },
  { key: 'recorded_on', header: '录入日期', type: 'date', required: true },
  { key: 'event_type', header: '变动类型', type: 'code', required: true, codes: EVENT_TYPE },
  { key: 'reason', header: '变动原因', type: 'text', required: true },
  { key: 'point_code', header: '采集点编码', type: 'text', required: true, maxLength: 40 },
  { key: 'review_status', header: '审核状态', type: 'code', required: true, codes: REVIEW_STATUS },
];

/**
 * In a change file the person columns are optional per row: required for 新增, only the
 * changed ones for 状态变更, none for 减少. id_number, point_code and review_status are
 * the event's own.
 */
export const CHANGE_COLUMNS: readonly ColumnSpec[] = [
  ...CHANGE_EVENT_COLUMNS,
  ...PERSON_COLUMNS.filter((c) => !CHANGE_EVENT_COLUMNS.some((e) => e.key === c.key)).map((c) => ({ ...c, required: false })),
];

export const POINT_COLUMNS: readonly ColumnSpec[] = [
  { key: 'point_code', header: '采集点编码', type: 'text', required: true, maxLength: 40 },
  { key: 'point_name', header: '采集点名称', type: 'text', required: true, maxLength: 100 },
  { key: 'township_code', header: '乡镇代码', type: 'township9', required: true },
  { key: 'village_codes', header: '覆盖村代码', type: 'village12_list', required: true },
  { key: 'collector', header: '采集员', type: 'text', required: true, maxLength: 30 },
  { key: 'collector_phone', header: '采集员电话', type: 'text', required: false, maxLength: 30 },
  { key: 'established_on', header: '设立日期', type: 'date', required: true },
];

export const SUBMISSION_COLUMNS: readonly ColumnSpec[] = [
  { key: 'point_code', header: '采集点编码', type: 'text', required: true, maxLength: 40 },
  { key: 'month', header: '报送月份', type: 'month', required: true },
  { key: 'submitted_on', header: '报送日期', type: 'date', required: false },
  { key: 'township_reviewed_on', header: '乡镇审核日期', type: 'date', required: false },
  { key: 'county_verified_on', header: '县级复核日期', type: 'date', required: false },
  { key: 'status', header: '状态', type: 'code', required: true, codes: SUBMISSION_STATUS },
  { key: 'verified_count', header: '核实人数', type: 'int', required: false, min: 0 },
  { key: 'added_count', header: '新增人数', type: 'int', required: false, min: 0 },
  { key: 'removed_count', header: '减少人数', type: 'int', required: false, min: 0 },
];

export const ROSTER_COLUMNS: readonly ColumnSpec[] = [
  { key: 'id_number', header: '公民身份号码', type: 'id_number', required: true },
  { key: 'name', header: '姓名', type: 'text', required: true, maxLength: 30 },
  { key: 'village_code', header: '户籍村代码', type: 'village12', required: true },
  { key: 'roster_type', header: '名单类型', type: 'code', required: true, codes: ROSTER_TYPE },
  { key: 'source', header: '来源部门', type: 'text', required: true, maxLength: 60 },
  { key: 'as_of', header: '名单日期', type: 'date', required: true },
];

export const COLUMNS: Readonly<Record<FileKind, readonly ColumnSpec[]>> = {
  persons: PERSON_COLUMNS,
  changes: CHANGE_COLUMNS,
  points: POINT_COLUMNS,
  submissions: SUBMISSION_COLUMNS,
  roster: ROSTER_COLUMNS,
};

/**
 * Maps a header as found in a file (Chinese or English alias, any case, surrounding
 * blanks and a UTF-8 BOM ignored) to the column key, or undefined for unknown columns.
 */
export function columnKeyOf(kind: FileKind, header: string): string | undefined {
  const h = header.replace(/^\uFEFF/, '').trim();
  const lower = h.toLowerCase();
  for (const c of COLUMNS[kind]) {
    if (c.header === h || c.key === lower) return c.key;
  }
  return undefined;
}
