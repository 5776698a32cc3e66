/**
 * Record-level plausibility checks (合理性核查) beyond the contract's parsing rules, as
 * SQL over a person spell `s` in force at a reference date `ref` (the state at the end
 * of that day). Each is a condition that makes the record a likely error to be checked
 * by the county; docs/quality.md explains each.
 *
 * The independent recomputation in tests/warehouse/quality follows these definitions
 * literally, so change both together.
 */

/** Ids and names of the record checks, in display order. */
export const RECORD_CHECKS = [
  { id: 'stale', zh: '超过3个月未核实', en: 'Not verified for the stale period or longer', kind: 'state' },
  { id: 'status_work_region', zh: '就业状态与就业地区不符', en: 'Employment status disagrees with the work region', kind: 'state' },
  { id: 'age_over_limit', zh: '达到退休年龄仍在库', en: 'Registered at or above pension age', kind: 'state' },
  { id: 'income_out_of_range', zh: '月收入异常', en: 'Monthly income out of the plausible range', kind: 'state' },
  { id: 'shared_phone', zh: '多人共用联系电话', en: 'Phone number shared by many persons', kind: 'state' },
  { id: 'presence_reason_conflict', zh: '返乡/外出与所在状态矛盾', en: 'Return/departure contradicts presence', kind: 'event' },
  { id: 'status_flip', zh: '就业状态短期内反复变更', en: 'Employment status changed and changed back within days', kind: 'event' },
] as const;

export type RecordCheckId = (typeof RECORD_CHECKS)[number]['id'];
export const RECORD_CHECK_IDS: readonly RecordCheckId[] = RECORD_CHECKS.map((c) => c.id);

/**
 * Status vs work region (s.county_code is the home county):
 * 21 needs the home county itself; 22 a Sichuan code other than the home county;
 * 23 a code outside Sichuan and not abroad; 24 abroad (990000). A missing work region
 * for 21-24 also fails. Other statuses are not checked.
 */
export const STATUS_WORK_REGION_SQL = `coalesce(CASE s.employment_status
    WHEN '21' THEN s.work_region_code = s.county_code
    WHEN '22' THEN substr(s.work_region_code, 1, 2) = '51' AND s.work_region_code <> s.county_code
    WHEN '23' THEN substr(s.work_region_code, 1, 2) <> '51' AND s.work_region_code <> '990000'
    WHEN '24' THEN s.work_region_code = '990000'
    ELSE true END, false) = false`;

/** Completed years of age on `ref`. */
export const AGE_SQL = `(year(ref) - year(s.birth_date) - CASE WHEN strftime(ref, '%m-%d') < strftime(s.birth_date, '%m-%d') THEN 1 ELSE 0 END)`;

/** Age on the reference date at or above $pension_age. */
export const AGE_OVER_LIMIT_SQL = `${AGE_SQL} >= $pension_age`;

/** Income above $income_max, or below $wage_income_min for wage work (21-24). */
export const INCOME_OUT_OF_RANGE_SQL = `s.monthly_income IS NOT NULL AND (s.monthly_income > $income_max
    OR (s.employment_status IN ('21', '22', '23', '24') AND s.monthly_income < $wage_income_min))`;

/** Last verification $stale_months or more months before the reference date (month arithmetic clamps to the month end). */
export const STALE_SQL = `(s.verified_on IS NULL OR s.verified_on + to_months($stale_months) <= ref)`;

/** A short text explaining a state finding (no personal data). */
export const STATE_DETAIL_SQL: Readonly<Record<'stale' | 'status_work_region' | 'age_over_limit' | 'income_out_of_range', string>> = {
  stale: `'核实日期 ' || coalesce(strftime(s.verified_on, '%Y-%m-%d'), '—')`,
  status_work_region: `'就业状态 ' || coalesce(s.employment_status, '—') || '，就业地区 ' || coalesce(s.work_region_code, '—')`,
  age_over_limit: `'年龄 ' || ${AGE_SQL}`,
  income_out_of_range: `'月收入 ' || s.monthly_income || '，就业状态 ' || coalesce(s.employment_status, '—')`,
};
