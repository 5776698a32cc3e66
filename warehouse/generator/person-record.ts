/**
 * A person's registry record as the generator holds it: one string per persons column,
 * in PERSON_COLUMNS order (so a persons row is the record joined by the delimiter), plus
 * the row builders of persons, changes and roster files.
 */
import { CHANGE_COLUMNS, PERSON_COLUMNS } from '../contract/columns.ts';

export type PersonRecord = string[];

function indexOf(key: string): number {
  const i = PERSON_COLUMNS.findIndex((c) => c.key === key);
  if (i < 0) throw new Error(`persons column ${key} missing from the contract`);
  return i;
}

/** Field positions in a PersonRecord. */
export const F = {
  id: indexOf('id_number'),
  name: indexOf('name'),
  sex: indexOf('sex'),
  birth: indexOf('birth_date'),
  village: indexOf('village_code'),
  point: indexOf('point_code'),
  phone: indexOf('phone'),
  education: indexOf('education'),
  skill: indexOf('skill_level'),
  poverty: indexOf('poverty_alleviated'),
  relocated: indexOf('relocated'),
  veteran: indexOf('veteran'),
  status: indexOf('employment_status'),
  presence: indexOf('presence'),
  workRegion: indexOf('work_region_code'),
  industry: indexOf('industry'),
  employer: indexOf('employer'),
  income: indexOf('monthly_income'),
  training: indexOf('training_wish'),
  needs: indexOf('service_needs'),
  registered: indexOf('registered_on'),
  verified: indexOf('verified_on'),
  review: indexOf('review_status'),
} as const;

export const PERSON_FIELD_COUNT = PERSON_COLUMNS.length;
export const YES = '是';
export const NO = '否';

/** Person-record positions of the person columns of a change row (after the event columns), in CHANGE_COLUMNS order. */
const EVENT_KEYS = new Set(['id_number', 'event_date', 'recorded_on', 'event_type', 'reason', 'point_code', 'review_status']);
export const CHANGE_PERSON_FIELDS: readonly number[] = CHANGE_COLUMNS.filter((c) => !EVENT_KEYS.has(c.key)).map((c) => indexOf(c.key));
{
  const eventPart = CHANGE_COLUMNS.slice(0, 7).map((c) => c.key).join(',');
  if (eventPart !== 'id_number,event_date,recorded_on,event_type,reason,point_code,review_status') {
    throw new Error(`unexpected change event columns: ${eventPart}`);
  }
}

export const PERSON_HEADERS = PERSON_COLUMNS.map((c) => c.header);
export const CHANGE_HEADERS = CHANGE_COLUMNS.map((c) => c.header);

export type EventType = '新增' | '减少' | '状态变更';

/**
 * The fields of a change row. 新增 carries all person columns, 减少 none, 状态变更 only
 * those that differ from `before` (empty = unchanged; a change can therefore never clear
 * a value, and the generator never asks it to).
 */
export function changeFields(
  type: EventType, reason: string, eventDate: string, recordedOn: string,
  after: PersonRecord, before: PersonRecord | null,
): string[] {
  const out: string[] = [after[F.id], eventDate, recordedOn, type, reason, after[F.point], after[F.review]];
  if (type === '减少') {
    for (let k = 0; k < CHANGE_PERSON_FIELDS.length; k++) out.push('');
  } else if (type === '新增' || before === null) {
    for (const j of CHANGE_PERSON_FIELDS) out.push(after[j]);
  } else {
    for (const j of CHANGE_PERSON_FIELDS) {
      const a = after[j];
      if (a === before[j]) out.push('');
      else if (a === '') throw new Error(`a 状态变更 cannot clear ${PERSON_COLUMNS[j].key} (person ${after[F.id]})`);
      else out.push(a);
    }
  }
  return out;
}
