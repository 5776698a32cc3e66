/**
 * Timeliness and review of the monthly submissions (月度报送), per collection point and
 * report month, from the first to the last month of the build. A point is due for a
 * month when it was established by the month's last day (points of the latest points
 * file). The deadline of month M is day `deadlineDay` of M+1.
 *
 *   dq_point_month  one row per due point and month: status, dates, submitted, on_time,
 *                   late, township_reviewed, county_verified, returned, backlog flags,
 *                   days_late (as of the data date when not submitted yet)
 *   dq_timeliness   per region (township, county, city, province) and month: counts,
 *                   update rate (submitted / due) and on-time rate (on time / due);
 *                   deadline_passed says whether the deadline lies within the data
 *
 * Definitions: submitted = a submission date and a status other than 未报送; on time =
 * submitted on or before the deadline; township reviewed = a township review date or
 * status 乡镇已审核/县级已复核; county re-verified = a county date or status 县级已复核;
 * returned = status 退回. Review backlog: submitted, not returned, not township-reviewed
 * (township backlog); township-reviewed, not returned, not county-verified (county backlog).
 */
import { runNamed, type QualityBuildContext } from './quality-build-context.ts';
import { regionRollupSql } from './region-rollup.ts';

export async function buildTimelinessTables(ctx: QualityBuildContext): Promise<void> {
  const { t } = ctx;
  await runNamed(ctx,
    `CREATE OR REPLACE TABLE ${t('dq_point_month')} AS
     WITH months AS (
       SELECT strftime(m, '%Y-%m') AS month, CAST(last_day(m) AS DATE) AS month_end,
              make_date(year(m + INTERVAL 1 MONTH), month(m + INTERVAL 1 MONTH), $deadline_day) AS deadline
       FROM generate_series(CAST($first_month || '-01' AS DATE), CAST($last_month || '-01' AS DATE), INTERVAL 1 MONTH) t(m)
     ),
     latest AS (SELECT max(as_of) AS as_of FROM ${t('points')}),
     pts AS (SELECT p.point_code, p.point_name, p.township_code, p.county_code, p.established_on FROM ${t('points')} p, latest WHERE p.as_of = latest.as_of),
     s AS (
       SELECT point_code, month, status, submitted_on, township_reviewed_on, county_verified_on FROM ${t('submissions')}
     ),
     g AS (
       SELECT p.point_code, p.point_name, p.township_code, p.county_code, substr(p.county_code, 1, 4) || '00' AS city_code,
              m.month, m.deadline, m.deadline <= CAST($as_of AS DATE) AS deadline_passed,
              coalesce(s.status, '未报送') AS status, s.submitted_on, s.township_reviewed_on, s.county_verified_on
       FROM pts p CROSS JOIN months m
       LEFT JOIN s ON s.point_code = p.point_code AND s.month = m.month
       WHERE p.established_on IS NULL OR p.established_on <= m.month_end
     ),
     f AS (
       SELECT *,
              submitted_on IS NOT NULL AND status <> '未报送' AS submitted,
              township_reviewed_on IS NOT NULL OR status IN ('乡镇已审核', '县级已复核') AS township_reviewed,
              county_verified_on IS NOT NULL OR status = '县级已复核' AS county_verified,
              status = '退回' AS returned
       FROM g
     )
     SELECT *,
            submitted AND submitted_on <= deadline AS on_time,
            submitted AND submitted_on > deadline AS late,
            submitted AND NOT returned AND NOT township_reviewed AS backlog_township,
            township_reviewed AND NOT returned AND NOT county_verified AS backlog_county,
            CASE WHEN submitted THEN greatest(0, date_diff('day', deadline, submitted_on))
                 WHEN deadline_passed THEN date_diff('day', deadline, CAST($as_of AS DATE)) ELSE 0 END AS days_late
     FROM f`,
    { first_month: ctx.firstMonth, last_month: ctx.lastMonth, deadline_day: ctx.settings.deadlineDay, as_of: ctx.dataAsOf },
  );
  await runNamed(ctx,
    `CREATE OR REPLACE TABLE ${t('dq_timeliness')} AS
     WITH r AS (${regionRollupSql({
       from: t('dq_point_month'),
       keys: ['month'],
       measures: `any_value(deadline) AS deadline, bool_and(deadline_passed) AS deadline_passed,
                  count(*)::INTEGER AS points_due, count(*) FILTER (WHERE submitted)::INTEGER AS submitted,
                  count(*) FILTER (WHERE on_time)::INTEGER AS on_time, count(*) FILTER (WHERE late)::INTEGER AS late,
                  count(*) FILTER (WHERE NOT submitted)::INTEGER AS not_submitted,
                  count(*) FILTER (WHERE township_reviewed)::INTEGER AS township_reviewed,
                  count(*) FILTER (WHERE county_verified)::INTEGER AS county_verified,
                  count(*) FILTER (WHERE returned)::INTEGER AS returned,
                  count(*) FILTER (WHERE backlog_township)::INTEGER AS backlog_township,
                  count(*) FILTER (WHERE backlog_county)::INTEGER AS backlog_county`,
     })})
     SELECT *, CASE WHEN points_due > 0 THEN submitted / points_due END AS update_rate,
            CASE WHEN points_due > 0 THEN on_time / points_due END AS on_time_rate,
            CASE WHEN points_due > 0 THEN county_verified / points_due END AS review_rate
     FROM r`,
  );
}
