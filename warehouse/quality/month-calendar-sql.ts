/**
 * The report months of a build as a SQL relation: month 'YYYY-MM', its first and last
 * day, and the reference date `ref` = the month's last day, or the data date for the
 * last (partial) month. Bound parameters: $first_month, $last_month, $as_of.
 */
export const MONTHS_SQL = `SELECT strftime(m, '%Y-%m') AS month, CAST(m AS DATE) AS month_start, CAST(last_day(m) AS DATE) AS month_end,
         least(CAST(last_day(m) AS DATE), CAST($as_of AS DATE)) AS ref
  FROM generate_series(CAST($first_month || '-01' AS DATE), CAST($last_month || '-01' AS DATE), INTERVAL 1 MONTH) t(m)`;

/** Join condition: spell `s` in force at the end of day `ref` (valid_to exclusive). */
export const SPELL_AT_REF = `s.valid_from <= ref AND coalesce(s.valid_to, DATE '9999-12-31') > ref`;
