/**
 * DuckDB macros for set-based validation, created per connection (TEMP): date parsing
 * in the three contract formats, flags, the ID number check character (ISO 7064
 * MOD 11-2, computed from the digits and weights), age, and the masks used in
 * quarantine (same output as maskIdNumber in reference/id-number.ts).
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { FLAG_FALSE, FLAG_TRUE } from '../contract/codes.ts';
import { sqlConstantList } from './sql-constant.ts';

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

/** Sum of digit × weight over the first 17 characters, unrolled (constants only). */
const weightedSum = WEIGHTS.map((w, i) => `(ascii(substr(id, ${i + 1}, 1)) - 48) * ${w}`).join(' + ');

export const VALIDATION_MACROS: readonly string[] = [
  // A date in YYYY-MM-DD, YYYYMMDD or YYYY/MM/DD; NULL when absent or invalid.
  `CREATE OR REPLACE TEMP MACRO rlm_date(v) AS CASE
     WHEN v IS NULL THEN NULL
     WHEN length(v) = 10 AND regexp_full_match(v, '[0-9]{4}-[0-9]{2}-[0-9]{2}') THEN try_cast(v AS DATE)
     WHEN length(v) = 8 AND regexp_full_match(v, '[0-9]{8}') THEN try_cast(substr(v, 1, 4) || '-' || substr(v, 5, 2) || '-' || substr(v, 7, 2) AS DATE)
     WHEN length(v) = 10 AND regexp_full_match(v, '[0-9]{4}/[0-9]{2}/[0-9]{2}') THEN try_cast(replace(v, '/', '-') AS DATE)
   END`,
  `CREATE OR REPLACE TEMP MACRO rlm_flag(v) AS CASE
     WHEN v IN ${sqlConstantList(FLAG_TRUE)} THEN true
     WHEN v IN ${sqlConstantList(FLAG_FALSE)} THEN false
   END`,
  // 'format' (not 17 digits + check character, or no valid birth date inside), 'check' (wrong check character), or NULL.
  `CREATE OR REPLACE TEMP MACRO rlm_id_problem(id) AS CASE
     WHEN NOT regexp_full_match(id, '[0-9]{17}[0-9X]') THEN 'format'
     WHEN try_cast(substr(id, 7, 4) || '-' || substr(id, 11, 2) || '-' || substr(id, 13, 2) AS DATE) IS NULL THEN 'format'
     WHEN substr('10X98765432', ((${weightedSum}) % 11) + 1, 1) <> substr(id, 18, 1) THEN 'check'
   END`,
  `CREATE OR REPLACE TEMP MACRO rlm_id_birth(id) AS try_cast(substr(id, 7, 4) || '-' || substr(id, 11, 2) || '-' || substr(id, 13, 2) AS DATE)`,
  `CREATE OR REPLACE TEMP MACRO rlm_id_sex(id) AS CASE WHEN (ascii(substr(id, 17, 1)) - 48) % 2 = 1 THEN '男' ELSE '女' END`,
  // Completed years between two dates.
  `CREATE OR REPLACE TEMP MACRO rlm_age(birth, on_day) AS date_sub('year', birth, on_day)`,
  `CREATE OR REPLACE TEMP MACRO rlm_age_band(birth, on_day) AS CASE
     WHEN date_sub('year', birth, on_day) < 25 THEN '16-24'
     WHEN date_sub('year', birth, on_day) < 35 THEN '25-34'
     WHEN date_sub('year', birth, on_day) < 45 THEN '35-44'
     WHEN date_sub('year', birth, on_day) < 55 THEN '45-54'
     WHEN date_sub('year', birth, on_day) < 60 THEN '55-59'
     ELSE '60+' END`,
  // Masks: ID 5101**********123X (as maskIdNumber), phone 138****1234, name 张*三.
  `CREATE OR REPLACE TEMP MACRO rlm_mask_id(v) AS CASE
     WHEN v IS NULL THEN NULL
     WHEN length(v) < 8 THEN repeat('*', length(v))
     ELSE substr(v, 1, 4) || repeat('*', length(v) - 8) || substr(v, length(v) - 3, 4) END`,
  `CREATE OR REPLACE TEMP MACRO rlm_mask_phone(v) AS CASE
     WHEN v IS NULL THEN NULL
     WHEN length(v) < 7 THEN repeat('*', length(v))
     ELSE substr(v, 1, 3) || repeat('*', length(v) - 7) || substr(v, length(v) - 3, 4) END`,
  `CREATE OR REPLACE TEMP MACRO rlm_mask_name(v) AS CASE
     WHEN v IS NULL THEN NULL
     WHEN length(v) = 1 THEN '*'
     WHEN length(v) = 2 THEN substr(v, 1, 1) || '*'
     ELSE substr(v, 1, 1) || repeat('*', length(v) - 2) || substr(v, length(v), 1) END`,
];

export async function installValidationMacros(conn: DuckDBConnection): Promise<void> {
  for (const sql of VALIDATION_MACROS) await conn.run(sql);
}
