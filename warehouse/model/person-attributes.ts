/**
 * The person attributes the warehouse keeps per person and spell (every persons column
 * except the personal data, which goes to the vault): their SQL type and how the typed
 * value is made from the validated text.
 */
import { sqlIdent } from '../validate/sql-constant.ts';

export interface PersonAttribute {
  readonly key: string;
  readonly sqlType: string;
  /** SQL turning the validated text column `s.<key>` into the typed value. */
  readonly typed: string;
}

const text = (key: string): PersonAttribute => ({ key, sqlType: 'VARCHAR', typed: `s.${sqlIdent(key)}` });
const date = (key: string): PersonAttribute => ({ key, sqlType: 'DATE', typed: `rlm_date(s.${sqlIdent(key)})` });
const flag = (key: string): PersonAttribute => ({ key, sqlType: 'BOOLEAN', typed: `rlm_flag(s.${sqlIdent(key)})` });

export const PERSON_ATTRIBUTES: readonly PersonAttribute[] = [
  text('village_code'),
  text('point_code'),
  text('sex'),
  date('birth_date'),
  text('education'),
  text('skill_level'),
  flag('poverty_alleviated'),
  flag('relocated'),
  flag('veteran'),
  text('employment_status'),
  text('presence'),
  text('work_region_code'),
  text('industry'),
  text('employer'),
  { key: 'monthly_income', sqlType: 'INTEGER', typed: 'CAST(s.monthly_income AS INTEGER)' },
  flag('training_wish'),
  { key: 'service_needs', sqlType: 'VARCHAR[]', typed: `list_sort(list_distinct(string_split(s.service_needs, ';')))` },
  date('registered_on'),
  date('verified_on'),
  text('review_status'),
];

export const ATTRIBUTE_KEYS: readonly string[] = PERSON_ATTRIBUTES.map((a) => a.key);

/** `col TYPE, ...` for DDL. */
export function attributeColumnsDdl(): string {
  return PERSON_ATTRIBUTES.map((a) => `${sqlIdent(a.key)} ${a.sqlType}`).join(', ');
}

/** `typed AS col, ...` for loads from a checked table aliased `s`. */
export function attributeTypedSelect(): string {
  return PERSON_ATTRIBUTES.map((a) => `${a.typed} AS ${sqlIdent(a.key)}`).join(', ');
}

/** `col, col, ...` */
export function attributeList(prefix = ''): string {
  return PERSON_ATTRIBUTES.map((a) => `${prefix}${sqlIdent(a.key)}`).join(', ');
}
