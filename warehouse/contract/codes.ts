/**
 * Code lists of the registry export contract (../shared/domain/EXPORT-CONTRACT.md).
 * One place for every enumerated value; the generator writes them, the warehouse
 * validates against them, the engine and web label them.
 */

export interface CodeLabel {
  readonly code: string;
  readonly zh: string;
  readonly en: string;
}

/** 就业状态 employment status. */
export const EMPLOYMENT_STATUS = [
  { code: '10', zh: '务农', en: 'Farming' },
  { code: '21', zh: '县内务工', en: 'Wage work in home county' },
  { code: '22', zh: '省内县外务工', en: 'Wage work in Sichuan outside home county' },
  { code: '23', zh: '省外务工', en: 'Wage work outside Sichuan' },
  { code: '24', zh: '境外务工', en: 'Work abroad' },
  { code: '30', zh: '自主创业/灵活就业', en: 'Self-employed or flexible work' },
  { code: '40', zh: '失业', en: 'Unemployed' },
  { code: '50', zh: '无就业意愿', en: 'Not seeking work' },
] as const satisfies readonly CodeLabel[];

export type EmploymentStatus = (typeof EMPLOYMENT_STATUS)[number]['code'];
export const EMPLOYED_STATUSES: readonly EmploymentStatus[] = ['10', '21', '22', '23', '24', '30'];
export const TRANSFER_STATUSES: readonly EmploymentStatus[] = ['21', '22', '23', '24', '30'];
export const OUT_MIGRANT_STATUSES: readonly EmploymentStatus[] = ['22', '23', '24'];
/** Statuses that require a work region code. */
export const WORK_REGION_STATUSES: readonly EmploymentStatus[] = ['21', '22', '23', '24'];
export const UNEMPLOYED_STATUS: EmploymentStatus = '40';
export const NOT_IN_LABOUR_FORCE_STATUS: EmploymentStatus = '50';

/** 所在状态 presence. */
export const PRESENCE = [
  { code: '在外', zh: '在外', en: 'Away' },
  { code: '在乡', zh: '在乡', en: 'At home' },
] as const satisfies readonly CodeLabel[];
export type Presence = (typeof PRESENCE)[number]['code'];

export const SEX = [
  { code: '男', zh: '男', en: 'Male' },
  { code: '女', zh: '女', en: 'Female' },
] as const satisfies readonly CodeLabel[];
export type Sex = (typeof SEX)[number]['code'];

/** 文化程度 education. */
export const EDUCATION = [
  { code: '10', zh: '小学及以下', en: 'Primary or less' },
  { code: '20', zh: '初中', en: 'Junior secondary' },
  { code: '30', zh: '高中/中专/技校', en: 'Senior secondary / vocational' },
  { code: '40', zh: '大专', en: 'College' },
  { code: '50', zh: '本科及以上', en: 'Bachelor or above' },
] as const satisfies readonly CodeLabel[];

/** 技能等级 skill level. */
export const SKILL_LEVEL = [
  { code: '0', zh: '无', en: 'None' },
  { code: '1', zh: '五级/初级工', en: 'Level 5 / junior' },
  { code: '2', zh: '四级/中级工', en: 'Level 4 / intermediate' },
  { code: '3', zh: '三级/高级工', en: 'Level 3 / senior' },
  { code: '4', zh: '二级/技师', en: 'Level 2 / technician' },
  { code: '5', zh: '一级/高级技师', en: 'Level 1 / senior technician' },
] as const satisfies readonly CodeLabel[];

/** GB/T 4754 industry sections A-T. */
export const INDUSTRY = [
  { code: 'A', zh: '农、林、牧、渔业', en: 'Agriculture, forestry, fishing' },
  { code: 'B', zh: '采矿业', en: 'Mining' },
  { code: 'C', zh: '制造业', en: 'Manufacturing' },
  { code: 'D', zh: '电力、热力、燃气及水生产和供应业', en: 'Utilities' },
  { code: 'E', zh: '建筑业', en: 'Construction' },
  { code: 'F', zh: '批发和零售业', en: 'Wholesale and retail' },
  { code: 'G', zh: '交通运输、仓储和邮政业', en: 'Transport, storage, post' },
  { code: 'H', zh: '住宿和餐饮业', en: 'Accommodation and catering' },
  { code: 'I', zh: '信息传输、软件和信息技术服务业', en: 'Information technology' },
  { code: 'J', zh: '金融业', en: 'Finance' },
  { code: 'K', zh: '房地产业', en: 'Real estate' },
  { code: 'L', zh: '租赁和商务服务业', en: 'Leasing and business services' },
  { code: 'M', zh: '科学研究和技术服务业', en: 'Research and technical services' },
  { code: 'N', zh: '水利、环境和公共设施管理业', en: 'Water, environment, public facilities' },
  { code: 'O', zh: '居民服务、修理和其他服务业', en: 'Household and repair services' },
  { code: 'P', zh: '教育', en: 'Education' },
  { code: 'Q', zh: '卫生和社会工作', en: 'Health and social work' },
  { code: 'R', zh: '文化、体育和娱乐业', en: 'Culture, sports, entertainment' },
  { code: 'S', zh: '公共管理、社会保障和社会组织', en: 'Public administration' },
  { code: 'T', zh: '国际组织', en: 'International organisations' },
] as const satisfies readonly CodeLabel[];

/** 服务需求 service needs (a `;`-separated list in the files). */
export const SERVICE_NEEDS = [
  { code: '职业介绍', zh: '职业介绍', en: 'Job placement' },
  { code: '职业培训', zh: '职业培训', en: 'Vocational training' },
  { code: '创业服务', zh: '创业服务', en: 'Entrepreneurship services' },
  { code: '劳务对接', zh: '劳务对接', en: 'Labour matching' },
  { code: '维权服务', zh: '维权服务', en: 'Rights protection' },
  { code: '政策咨询', zh: '政策咨询', en: 'Policy advice' },
] as const satisfies readonly CodeLabel[];

/** 审核状态 review status of a person record or change. */
export const REVIEW_STATUS = [
  { code: '待审核', zh: '待审核', en: 'Awaiting review' },
  { code: '乡镇已审核', zh: '乡镇已审核', en: 'Reviewed by township' },
  { code: '县级已复核', zh: '县级已复核', en: 'Re-verified by county' },
  { code: '退回', zh: '退回', en: 'Returned' },
] as const satisfies readonly CodeLabel[];

/** 变动类型 event type. */
export const EVENT_TYPE = [
  { code: '新增', zh: '新增', en: 'Increase' },
  { code: '减少', zh: '减少', en: 'Decrease' },
  { code: '状态变更', zh: '状态变更', en: 'Status change' },
] as const satisfies readonly CodeLabel[];
export type EventType = (typeof EVENT_TYPE)[number]['code'];

/** 变动原因 reasons, per event type. */
export const EVENT_REASONS = {
  新增: [
    { code: '新成长劳动力', zh: '新成长劳动力', en: 'Newly of working age' },
    { code: '外地迁入', zh: '外地迁入', en: 'Moved in' },
    { code: '退役军人', zh: '退役军人', en: 'Discharged veteran' },
    { code: '其他', zh: '其他', en: 'Other' },
  ],
  减少: [
    { code: '户籍迁出', zh: '户籍迁出', en: 'Registration moved out' },
    { code: '享受养老保险待遇', zh: '享受养老保险待遇', en: 'Started receiving pension' },
    { code: '死亡', zh: '死亡', en: 'Death' },
    { code: '其他', zh: '其他', en: 'Other' },
  ],
  状态变更: [
    { code: '就业变动', zh: '就业变动', en: 'Employment change' },
    { code: '返乡', zh: '返乡', en: 'Returned home' },
    { code: '外出', zh: '外出', en: 'Left for work' },
    { code: '信息更正', zh: '信息更正', en: 'Correction' },
  ],
} as const satisfies Record<EventType, readonly CodeLabel[]>;

/** 月度报送状态 submission status. */
export const SUBMISSION_STATUS = [
  { code: '未报送', zh: '未报送', en: 'Not submitted' },
  { code: '已报送', zh: '已报送', en: 'Submitted' },
  { code: '乡镇已审核', zh: '乡镇已审核', en: 'Reviewed by township' },
  { code: '县级已复核', zh: '县级已复核', en: 'Re-verified by county' },
  { code: '退回', zh: '退回', en: 'Returned' },
] as const satisfies readonly CodeLabel[];

/** 名单类型 roster type. */
export const ROSTER_TYPE = [
  { code: '脱贫劳动力', zh: '脱贫劳动力', en: 'Poverty-alleviated labour' },
  { code: '易地搬迁', zh: '易地搬迁', en: 'Relocated population' },
] as const satisfies readonly CodeLabel[];

/** Work region code meaning "abroad". */
export const ABROAD_REGION_CODE = '990000';

/** Accepted spellings of flags; anything else is invalid. */
export const FLAG_TRUE = ['是', '1', 'Y', 'y', 'true', 'TRUE', 'True'] as const;
export const FLAG_FALSE = ['否', '0', 'N', 'n', 'false', 'FALSE', 'False'] as const;

export function codesOf(list: readonly CodeLabel[]): Set<string> {
  return new Set(list.map((c) => c.code));
}
