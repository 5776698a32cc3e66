/**
 * Reason codes for rows the warehouse rejects into quarantine. The generator plants
 * dirty rows with these codes in truth.json, so the two sides agree by construction.
 * When several rules fail on one row the first in this list (CHECK_ORDER) is reported.
 */
export const REJECT_REASONS = {
  malformed_row: { zh: '行格式错误（字段数不符）', en: 'Malformed row (wrong number of fields)' },
  missing_required: { zh: '缺少必填项', en: 'Missing required field' },
  bad_id_format: { zh: '身份证号码格式错误', en: 'ID number is not 17 digits plus a check character' },
  bad_check_character: { zh: '身份证校验码错误', en: 'Wrong ID check character' },
  invalid_date: { zh: '日期格式错误', en: 'Invalid date' },
  invalid_code: { zh: '代码不在取值范围', en: 'Value not in the code list' },
  invalid_number: { zh: '数值格式错误', en: 'Invalid number' },
  value_out_of_range: { zh: '数值超出范围', en: 'Value out of range' },
  too_long: { zh: '内容超长', en: 'Value too long' },
  sex_mismatch: { zh: '性别与身份证不符', en: 'Sex disagrees with the ID number' },
  birth_date_mismatch: { zh: '出生日期与身份证不符', en: 'Birth date disagrees with the ID number' },
  under_16: { zh: '未满16周岁', en: 'Under 16 on the file date' },
  future_date: { zh: '日期晚于文件日期', en: 'Date after the file date' },
  event_after_recorded: { zh: '变动日期晚于录入日期', en: 'Event date after its recorded date' },
  invalid_reason: { zh: '变动原因与类型不符', en: 'Reason does not belong to the event type' },
  unknown_village: { zh: '村代码不存在', en: 'Unknown village code' },
  unknown_point: { zh: '采集点不存在', en: 'Unknown collection point' },
  unknown_township: { zh: '乡镇代码不存在', en: 'Unknown township code' },
  village_outside_township: { zh: '覆盖村不属于该乡镇', en: 'Covered village is not in the point township' },
  work_region_required: { zh: '务工人员缺少就业地区', en: 'Work region missing for status 21-24' },
  invalid_work_region: { zh: '就业地区代码无效', en: 'Invalid work region code' },
  duplicate_id: { zh: '文件内身份证号码重复', en: 'Duplicate ID number in file' },
  duplicate_key: { zh: '文件内记录重复', en: 'Duplicate record in file' },
  add_person_already_active: { zh: '新增人员已在库', en: 'Increase for a person already active' },
  event_person_not_active: { zh: '变动人员不在库', en: 'Event for a person not active' },
  event_before_registration: { zh: '变动早于登记日期', en: 'Event before the person was registered' },
} as const;

export type RejectReason = keyof typeof REJECT_REASONS;

export const CHECK_ORDER = Object.keys(REJECT_REASONS) as RejectReason[];
