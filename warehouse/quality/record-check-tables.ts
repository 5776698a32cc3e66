/**
 * Record checks (plausibility and currency) into the build:
 *
 *   dq_person_findings  the worklist: one row per finding — state checks on the records in
 *                       force on the data date (month = last month), event checks on the
 *                       change events of every report month (month = event month),
 *                       shared phones on the data date (when phone hashes exist)
 *   dq_record_checks    per region (township, county, city, province) and month: active
 *                       persons at the month's reference date, persons failing each state
 *                       check then, event findings in the month; shared_phone only for the
 *                       last month (NULL before, and NULL when no phone hashes exist)
 *
 * State checks per month come from one set-based pass over person_spells × months.
 */
import { runNamed, type QualityBuildContext } from './quality-build-context.ts';
import { AGE_OVER_LIMIT_SQL, INCOME_OUT_OF_RANGE_SQL, STALE_SQL, STATE_DETAIL_SQL, STATUS_WORK_REGION_SQL } from './record-checks.ts';
import { MONTHS_SQL, SPELL_AT_REF } from './month-calendar-sql.ts';
import { regionRollupSql } from './region-rollup.ts';

const STATE_CHECK_SQL = {
  stale: STALE_SQL,
  status_work_region: STATUS_WORK_REGION_SQL,
  age_over_limit: AGE_OVER_LIMIT_SQL,
  income_out_of_range: INCOME_OUT_OF_RANGE_SQL,
} as const;

/**
 * The spell columns the state checks, their details and the worklist read. The active spells
 * on the data date (about one per person) are read once per check instead of being
 * materialised with every column: at 30 M persons that copy, ~29 M rows wide, ran the
 * quality step out of memory after a snapshot's reconciliation (bench/RESULTS.md).
 */
const SPELL_COLUMNS = ['pid', 'village_code', 'township_code', 'county_code', 'city_code', 'employment_status', 'work_region_code', 'birth_date',
  'monthly_income', 'verified_on'] as const;

export async function buildRecordCheckTables(ctx: QualityBuildContext, hasPhoneHashes: boolean): Promise<void> {
  const { t, settings } = ctx;
  const params = {
    as_of: ctx.dataAsOf,
    first_month: ctx.firstMonth,
    last_month: ctx.lastMonth,
    stale_months: settings.staleMonths,
    pension_age: settings.pensionAge,
    income_max: settings.incomeMax,
    wage_income_min: settings.wageIncomeMin,
    flip_days: settings.flipDays,
    shared_phone_min: settings.sharedPhoneMin,
  };
  const cols = `s.pid, s.village_code, s.township_code, s.county_code, s.city_code`;
  const stateParts = Object.entries(STATE_CHECK_SQL).map(
    ([id, cond]) => `SELECT '${id}' AS check_id, ${cols}, $last_month AS month, ref AS ref_date, ${STATE_DETAIL_SQL[id as keyof typeof STATE_DETAIL_SQL]} AS detail
       FROM s WHERE ${cond}`,
  );
  const phonePart = hasPhoneHashes
    ? [
        `SELECT 'shared_phone' AS check_id, ${cols}, $last_month AS month, ref AS ref_date,
                '共用电话组 ' || left(s.phone_hash, 8) || '（' || g.n || '人）' AS detail
         FROM (SELECT x.*, h.phone_hash FROM s x JOIN ${t('dq_phone_hashes')} h ON h.pid = x.pid) s
         JOIN (SELECT h.phone_hash, count(*) AS n FROM s x JOIN ${t('dq_phone_hashes')} h ON h.pid = x.pid GROUP BY h.phone_hash HAVING count(*) >= $shared_phone_min) g
           ON g.phone_hash = s.phone_hash`,
      ]
    : [];
  const eventCols = `e.pid, e.village_code, e.township_code, e.county_code, e.city_code, strftime(e.event_date, '%Y-%m') AS month, e.event_date AS ref_date`;
  const inMonths = `e.event_date >= CAST($first_month || '-01' AS DATE) AND e.event_date <= CAST($as_of AS DATE)`;
  const eventParts = [
    `SELECT 'presence_reason_conflict' AS check_id, ${eventCols},
            e.reason || '：所在状态 ' || coalesce(e.presence_before, '—') || '→' || coalesce(e.presence_after, '—') AS detail
     FROM ${t('events')} e
     WHERE e.event_type = '状态变更' AND ${inMonths}
       AND ((e.reason = '返乡' AND (e.presence_before IS DISTINCT FROM '在外' OR e.presence_after IS DISTINCT FROM '在乡'))
         OR (e.reason = '外出' AND (e.presence_before IS DISTINCT FROM '在乡' OR e.presence_after IS DISTINCT FROM '在外')))`,
    `SELECT 'status_flip' AS check_id, ${eventCols},
            '就业状态 ' || e.status_before || '→' || e.status_after || '→' || e.next_after || '（' || date_diff('day', e.event_date, e.next_date) || '天内）' AS detail
     FROM (
       SELECT *, lead(status_before) OVER w AS next_before, lead(status_after) OVER w AS next_after, lead(event_date) OVER w AS next_date
       FROM ${t('events')}
       WHERE status_before IS NOT NULL AND status_after IS NOT NULL AND status_before <> status_after
       WINDOW w AS (PARTITION BY pid ORDER BY event_date, recorded_on, batch, file, row_no)
     ) e
     WHERE e.next_before = e.status_after AND e.next_after = e.status_before
       AND date_diff('day', e.event_date, e.next_date) <= $flip_days AND ${inMonths}`,
  ];
  await runNamed(ctx,
    `CREATE OR REPLACE TABLE ${t('dq_person_findings')} AS
     WITH s AS NOT MATERIALIZED (
       SELECT ${SPELL_COLUMNS.join(', ')}, CAST($as_of AS DATE) AS ref FROM ${t('person_spells')} s
       WHERE s.valid_from <= CAST($as_of AS DATE) AND coalesce(s.valid_to, DATE '9999-12-31') > CAST($as_of AS DATE)
     )
     ${[...stateParts, ...phonePart, ...eventParts].join('\nUNION ALL\n')}
     ORDER BY county_code, check_id, township_code, village_code, pid`,
    params,
  );
  const phoneCounts = hasPhoneHashes
    ? `SELECT township_code, county_code, city_code, month, 0 AS active, 0 AS stale, 0 AS status_work_region, 0 AS age_over_limit,
              0 AS income_out_of_range, count(*) AS shared_phone, 0 AS presence_reason_conflict, 0 AS status_flip
       FROM ${t('dq_person_findings')} WHERE check_id = 'shared_phone' GROUP BY ALL`
    : undefined;
  await runNamed(ctx,
    `CREATE OR REPLACE TABLE ${t('dq_record_checks')} AS
     WITH months AS (${MONTHS_SQL}),
     st AS (
       SELECT s.township_code, s.county_code, s.city_code, m.month, count(*) AS active,
              count(*) FILTER (WHERE ${STALE_SQL}) AS stale,
              count(*) FILTER (WHERE ${STATUS_WORK_REGION_SQL}) AS status_work_region,
              count(*) FILTER (WHERE ${AGE_OVER_LIMIT_SQL}) AS age_over_limit,
              count(*) FILTER (WHERE ${INCOME_OUT_OF_RANGE_SQL}) AS income_out_of_range,
              0 AS shared_phone, 0 AS presence_reason_conflict, 0 AS status_flip
       FROM ${t('person_spells')} s JOIN months m ON ${SPELL_AT_REF.replaceAll('ref', 'm.ref')}
       GROUP BY ALL
     ),
     ev AS (
       SELECT township_code, county_code, city_code, month, 0 AS active, 0 AS stale, 0 AS status_work_region, 0 AS age_over_limit,
              0 AS income_out_of_range, 0 AS shared_phone,
              count(*) FILTER (WHERE check_id = 'presence_reason_conflict') AS presence_reason_conflict,
              count(*) FILTER (WHERE check_id = 'status_flip') AS status_flip
       FROM ${t('dq_person_findings')} WHERE check_id IN ('presence_reason_conflict', 'status_flip') GROUP BY ALL
     ),
     u AS (SELECT * FROM st UNION ALL BY NAME SELECT * FROM ev${phoneCounts ? ` UNION ALL BY NAME ${phoneCounts}` : ''}),
     r AS (${regionRollupSql({
       from: 'u',
       keys: ['month'],
       measures: ['active', 'stale', 'status_work_region', 'age_over_limit', 'income_out_of_range', 'shared_phone', 'presence_reason_conflict', 'status_flip']
         .map((c) => `sum(${c})::INTEGER AS ${c}`)
         .join(', '),
     })})
     SELECT region_code, level, month, active, stale, status_work_region, age_over_limit, income_out_of_range,
            CASE WHEN $has_phone AND month = $last_month THEN shared_phone END AS shared_phone,
            presence_reason_conflict, status_flip
     FROM r`,
    { ...params, has_phone: hasPhoneHashes },
  );
}
