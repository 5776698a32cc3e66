/**
 * The dimensions figures can be broken down by: the whitelist of the explorer, the
 * festival analysis and the catalogue's "dimensions that apply". A dimension id is also
 * the column name in the warehouse table that holds it, so SQL identifiers come only
 * from this list.
 */
import {
  EDUCATION,
  EMPLOYMENT_STATUS,
  EVENT_REASONS,
  INDUSTRY,
  PRESENCE,
  SERVICE_NEEDS,
  SEX,
  SKILL_LEVEL,
  type CodeLabel,
} from '../contract/codes.ts';

export const AGE_BANDS = [
  { code: '16-24', zh: '16-24岁', en: '16-24' },
  { code: '25-34', zh: '25-34岁', en: '25-34' },
  { code: '35-44', zh: '35-44岁', en: '35-44' },
  { code: '45-54', zh: '45-54岁', en: '45-54' },
  { code: '55-59', zh: '55-59岁', en: '55-59' },
  { code: '60+', zh: '60岁及以上', en: '60+' },
] as const satisfies readonly CodeLabel[];

const FLAG: readonly CodeLabel[] = [
  { code: 'true', zh: '是', en: 'Yes' },
  { code: 'false', zh: '否', en: 'No' },
];

const ALL_REASONS: readonly CodeLabel[] = [...EVENT_REASONS.新增, ...EVENT_REASONS.减少].filter(
  (c, i, a) => a.findIndex((d) => d.code === c.code) === i,
);

export type DimensionId =
  | 'employment_status'
  | 'presence'
  | 'sex'
  | 'age_band'
  | 'poverty_alleviated'
  | 'relocated'
  | 'veteran'
  | 'education'
  | 'skill_level'
  | 'training_wish'
  | 'dest_province'
  | 'dest_city'
  | 'industry'
  | 'service_need'
  | 'reason';

export interface DimensionDefinition {
  readonly id: DimensionId;
  readonly zh: string;
  readonly en: string;
  /** SQL type of the column: flags are BOOLEAN, everything else text. */
  readonly type: 'text' | 'boolean';
  /** The closed list of values, when there is one (filters are checked against it). */
  readonly values?: readonly CodeLabel[];
  /** Pattern of valid values when the list is open (region codes of destinations). */
  readonly pattern?: RegExp;
}

export const DIMENSIONS: readonly DimensionDefinition[] = [
  { id: 'employment_status', zh: '就业状态', en: 'Employment status', type: 'text', values: EMPLOYMENT_STATUS },
  { id: 'presence', zh: '所在状态', en: 'Presence', type: 'text', values: PRESENCE },
  { id: 'sex', zh: '性别', en: 'Sex', type: 'text', values: SEX },
  { id: 'age_band', zh: '年龄段', en: 'Age band', type: 'text', values: AGE_BANDS },
  { id: 'poverty_alleviated', zh: '脱贫劳动力', en: 'Poverty-alleviated', type: 'boolean', values: FLAG },
  { id: 'relocated', zh: '易地搬迁', en: 'Relocated', type: 'boolean', values: FLAG },
  { id: 'veteran', zh: '退役军人', en: 'Veteran', type: 'boolean', values: FLAG },
  { id: 'education', zh: '文化程度', en: 'Education', type: 'text', values: EDUCATION },
  { id: 'skill_level', zh: '技能等级', en: 'Skill level', type: 'text', values: SKILL_LEVEL },
  { id: 'training_wish', zh: '培训意愿', en: 'Wishes training', type: 'boolean', values: FLAG },
  { id: 'dest_province', zh: '务工目的地（省）', en: 'Destination province', type: 'text', pattern: /^\d{6}$/ },
  { id: 'dest_city', zh: '务工目的地（市）', en: 'Destination city', type: 'text', pattern: /^\d{6}$/ },
  { id: 'industry', zh: '就业行业', en: 'Industry', type: 'text', values: INDUSTRY },
  { id: 'service_need', zh: '服务需求', en: 'Service need', type: 'text', values: SERVICE_NEEDS },
  { id: 'reason', zh: '变动原因', en: 'Reason of change', type: 'text', values: ALL_REASONS },
];

export const DIMENSION_IDS: readonly DimensionId[] = DIMENSIONS.map((d) => d.id);

const byId = new Map<string, DimensionDefinition>(DIMENSIONS.map((d) => [d.id, d]));

export function isDimensionId(value: string): value is DimensionId {
  return byId.has(value);
}

export function getDimension(id: DimensionId): DimensionDefinition {
  const d = byId.get(id);
  if (!d) throw new Error(`unknown dimension '${id}'`);
  return d;
}

/** Person dimensions held by the month-end cube (cube_month). */
export const PERSON_DIMENSIONS: readonly DimensionId[] = [
  'employment_status',
  'presence',
  'sex',
  'age_band',
  'poverty_alleviated',
  'relocated',
  'veteran',
  'education',
  'skill_level',
  'training_wish',
];

/** Dimensions of the festival flows (festival_daily). */
export const FESTIVAL_DIMENSIONS: readonly DimensionId[] = ['dest_province', 'sex', 'age_band', 'poverty_alleviated'];

/** Dimensions of the destination cube (cube_destination). */
export const DESTINATION_DIMENSIONS: readonly DimensionId[] = ['employment_status', 'dest_province', 'dest_city', 'industry'];

/**
 * Checks one filter value of a dimension; returns the value to bind (booleans as
 * booleans) or undefined when invalid.
 */
export function parseDimensionValue(dim: DimensionDefinition, raw: string): string | boolean | undefined {
  if (dim.type === 'boolean') {
    if (raw === 'true' || raw === '1' || raw === '是') return true;
    if (raw === 'false' || raw === '0' || raw === '否') return false;
    return undefined;
  }
  if (dim.values) return dim.values.some((v) => v.code === raw) ? raw : undefined;
  if (dim.pattern) return dim.pattern.test(raw) ? raw : undefined;
  return undefined;
}
