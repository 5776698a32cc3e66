/**
 * Cross-department comparison (部门数据比对) of the registry with the latest
 * poverty-alleviated roster (脱贫劳动力, rural-revitalisation department) and the latest
 * relocated-population roster (易地搬迁, development-and-reform department), matched by
 * the keyed ID (pid). The registry is taken as it stood at the end of the roster's date
 * (or the data date, if earlier).
 *
 *   dq_roster_findings    one row per finding: roster_type, as_of, kind, pid, the registry
 *                         village (when in the registry) and the roster village, and the
 *                         region codes the finding is counted under
 *        kind  not_in_registry   on the roster, not active in the registry (counted under the roster village)
 *              not_on_roster     active and flagged (脱贫劳动力 / 易地搬迁 = 是) in the registry, not on the roster
 *              not_flagged       on the roster and active, but the registry flag is 否
 *              village_mismatch  on the roster and active, registry village ≠ roster village
 *   dq_cross_department   per region (township, county, city, province) and roster type:
 *                         roster persons, registry flagged persons, matched (on the roster,
 *                         active, flagged, same village), and each kind of finding
 */
import { runNamed, type QualityBuildContext } from './quality-build-context.ts';
import { regionRollupSql } from './region-rollup.ts';

export const ROSTER_FINDING_KINDS = [
  { id: 'not_in_registry', zh: '名单有、库内无', en: 'On the roster, not in the registry' },
  { id: 'not_on_roster', zh: '库内标记、名单无', en: 'Flagged in the registry, not on the roster' },
  { id: 'not_flagged', zh: '名单有、库内未标记', en: 'On the roster, registry flag missing' },
  { id: 'village_mismatch', zh: '户籍村不一致', en: 'Village differs' },
] as const;

export async function buildCrossDepartmentTables(ctx: QualityBuildContext): Promise<void> {
  const { t } = ctx;
  await runNamed(
    ctx,
    `CREATE OR REPLACE TABLE ${t('dq_roster_findings')} AS
     WITH ro AS (
       SELECT roster_type, pid, any_value(village_code) AS roster_village, max(as_of) AS as_of,
              least(max(as_of), CAST($as_of AS DATE)) AS ref
       FROM ${t('rosters')} GROUP BY roster_type, pid
     ),
     types AS (
       SELECT roster_type, max(ref) AS ref, max(as_of) AS as_of FROM ro GROUP BY roster_type
     ),
     reg AS (
       SELECT ty.roster_type, ty.as_of, s.pid, s.village_code,
              CASE ty.roster_type WHEN '脱贫劳动力' THEN s.poverty_alleviated WHEN '易地搬迁' THEN s.relocated END AS flagged
       FROM types ty JOIN ${t('person_spells')} s ON s.valid_from <= ty.ref AND coalesce(s.valid_to, DATE '9999-12-31') > ty.ref
     ),
     j AS (
       SELECT coalesce(ro.roster_type, reg.roster_type) AS roster_type, coalesce(ro.as_of, reg.as_of) AS as_of,
              coalesce(ro.pid, reg.pid) AS pid, reg.village_code AS registry_village, ro.roster_village,
              ro.pid IS NOT NULL AS on_roster, reg.pid IS NOT NULL AS in_registry, coalesce(reg.flagged, false) AS flagged
       FROM ro FULL OUTER JOIN reg ON reg.roster_type = ro.roster_type AND reg.pid = ro.pid
     ),
     f AS (
       SELECT *, 'not_in_registry' AS kind, roster_village AS counted_village FROM j WHERE on_roster AND NOT in_registry
       UNION ALL SELECT *, 'not_on_roster', registry_village FROM j WHERE in_registry AND flagged AND NOT on_roster
       UNION ALL SELECT *, 'not_flagged', registry_village FROM j WHERE on_roster AND in_registry AND NOT flagged
       UNION ALL SELECT *, 'village_mismatch', registry_village FROM j WHERE on_roster AND in_registry AND registry_village IS DISTINCT FROM roster_village
     )
     SELECT roster_type, as_of, kind, pid, registry_village, roster_village, counted_village AS village_code,
            substr(counted_village, 1, 9) AS township_code, substr(counted_village, 1, 6) AS county_code,
            substr(counted_village, 1, 4) || '00' AS city_code
     FROM f ORDER BY roster_type, county_code, kind, village_code, pid`,
    { as_of: ctx.dataAsOf },
  );
  await runNamed(
    ctx,
    `CREATE OR REPLACE TABLE ${t('dq_cross_department')} AS
     WITH ro AS (
       SELECT roster_type, pid, any_value(village_code) AS village_code, least(max(as_of), CAST($as_of AS DATE)) AS ref
       FROM ${t('rosters')} GROUP BY roster_type, pid
     ),
     types AS (SELECT roster_type, max(ref) AS ref FROM ro GROUP BY roster_type),
     reg AS (
       SELECT ty.roster_type, s.pid, s.village_code,
              CASE ty.roster_type WHEN '脱贫劳动力' THEN s.poverty_alleviated WHEN '易地搬迁' THEN s.relocated END AS flagged
       FROM types ty JOIN ${t('person_spells')} s ON s.valid_from <= ty.ref AND coalesce(s.valid_to, DATE '9999-12-31') > ty.ref
     ),
     u AS (
       SELECT roster_type, village_code, 1 AS roster_persons, 0 AS registry_flagged, 0 AS matched, 0 AS not_in_registry,
              0 AS not_on_roster, 0 AS not_flagged, 0 AS village_mismatch FROM ro
       UNION ALL
       SELECT reg.roster_type, reg.village_code, 0, 1, (ro.pid IS NOT NULL AND ro.village_code = reg.village_code)::INTEGER, 0, 0, 0, 0
       FROM reg LEFT JOIN ro ON ro.roster_type = reg.roster_type AND ro.pid = reg.pid WHERE reg.flagged
       UNION ALL
       SELECT roster_type, village_code, 0, 0, 0, (kind = 'not_in_registry')::INTEGER, (kind = 'not_on_roster')::INTEGER,
              (kind = 'not_flagged')::INTEGER, (kind = 'village_mismatch')::INTEGER
       FROM ${t('dq_roster_findings')}
     ),
     v AS (
       SELECT *, substr(village_code, 1, 9) AS township_code, substr(village_code, 1, 6) AS county_code, substr(village_code, 1, 4) || '00' AS city_code FROM u
     )
     ${regionRollupSql({
       from: 'v',
       keys: ['roster_type'],
       measures: ['roster_persons', 'registry_flagged', 'matched', 'not_in_registry', 'not_on_roster', 'not_flagged', 'village_mismatch']
         .map((c) => `sum(${c})::INTEGER AS ${c}`)
         .join(', '),
     })}`,
    { as_of: ctx.dataAsOf },
  );
}
