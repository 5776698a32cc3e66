/**
 * The person attributes the warehouse keeps per person and spell (every persons column
 * except the personal data, which goes to the vault): their SQL type and how the typed
 * value is made from the validated text.
 */
import { sqlIdent } from '../validate/sql-constant.ts';
import { pidSqlExpression } from '../vault/pid-hash.ts';

export interface PersonAttribute {
  /** Column name in the warehouse. */
  readonly key: string;
  /** The contract column it comes from (differs for digests). */
  readonly source?: string;
  readonly sqlType: string;
  /** SQL turning the validated text column `s.<key>` into the typed value. */
  readonly typed: string;
}

const text = (key: string): PersonAttribute => ({ key, sqlType: 'VARCHAR', typed: `s.${sqlIdent(key)}` });
/** Dates come parsed from the checked table (`d__<key>`, see validate/checked-rows.ts). */
const date = (key: string): PersonAttribute => ({ key, sqlType: 'DATE', typed: `s.${sqlIdent(`d__${key}`)}` });
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

/**
 * Keyed digests of the personal columns that may change (name, phone): HMAC with the pid
 * key over a domain prefix, so that reconciliation can tell a changed name or phone
 * without keeping the plaintext. Kept in base_persons, change_log and the timeline only,
 * never in spells.
 */
export const PII_DIGESTS: readonly PersonAttribute[] = [
  { key: 'name_digest', source: 'name', sqlType: 'VARCHAR', typed: pidSqlExpression(`'name:' || s.name`) },
  { key: 'phone_digest', source: 'phone', sqlType: 'VARCHAR', typed: pidSqlExpression(`'phone:' || s.phone`) },
];

/** What base_persons, change_log and the timeline keep per row. */
export const STORED_ATTRIBUTES: readonly PersonAttribute[] = [...PERSON_ATTRIBUTES, ...PII_DIGESTS];

export const ATTRIBUTE_KEYS: readonly string[] = PERSON_ATTRIBUTES.map((a) => a.key);

type AttributeSet = 'person' | 'stored';
const setOf = (set: AttributeSet) => (set === 'person' ? PERSON_ATTRIBUTES : STORED_ATTRIBUTES);

/** `col TYPE, ...` for DDL. */
export function attributeColumnsDdl(set: AttributeSet = 'person'): string {
  return setOf(set).map((a) => `${sqlIdent(a.key)} ${a.sqlType}`).join(', ');
}

/** `typed AS col, ...` for loads from a checked table aliased `s`. */
export function attributeTypedSelect(set: AttributeSet = 'person'): string {
  return setOf(set).map((a) => `${a.typed} AS ${sqlIdent(a.key)}`).join(', ');
}

/** `col, col, ...` */
export function attributeList(prefix = '', set: AttributeSet = 'person'): string {
  return setOf(set).map((a) => `${prefix}${sqlIdent(a.key)}`).join(', ');
}
