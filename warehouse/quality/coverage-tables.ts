/**
 * Collection-point coverage (全覆盖), from the latest points file of the build:
 * every village of the region reference mapped to exactly one point, villages of
 * `largeVillageThreshold`+ registered persons (active on the data date) with a point of
 * their own, merged points (covering several villages).
 *
 *   dq_village_coverage  one row per village: its points, registered persons, issue
 *                        ('uncovered' | 'multi_point' | 'large_shared' | NULL)
 *   dq_point_coverage    one row per point: villages covered, merged, registered persons
 *   dq_coverage          per region (township, county, city, province): counts and rate
 */
import { runNamed, type QualityBuildContext } from './quality-build-context.ts';
import { regionRollupSql } from './region-rollup.ts';

export async function buildCoverageTables(ctx: QualityBuildContext): Promise<void> {
  const { t } = ctx;
  await runNamed(ctx,
    `CREATE OR REPLACE TABLE ${t('dq_village_coverage')} AS
     WITH latest AS (SELECT max(as_of) AS as_of FROM ${t('points')}),
     pv AS (
       SELECT v.point_code, v.village_code FROM ${t('point_villages')} v, latest WHERE v.as_of = latest.as_of
     ),
     point_size AS (SELECT point_code, count(DISTINCT village_code) AS villages FROM pv GROUP BY point_code),
     by_village AS (
       SELECT pv.village_code, count(DISTINCT pv.point_code) AS point_count, list(DISTINCT pv.point_code ORDER BY pv.point_code) AS point_codes,
              bool_or(ps.villages = 1) AS own_point
       FROM pv JOIN point_size ps USING (point_code) GROUP BY pv.village_code
     ),
     registered AS (
       SELECT village_code, count(*) AS registered FROM ${t('person_spells')}
       WHERE valid_from <= CAST($as_of AS DATE) AND (valid_to IS NULL OR valid_to > CAST($as_of AS DATE))
       GROUP BY village_code
     )
     SELECT r.code AS village_code, r.township_code, r.county_code, r.city_code,
            coalesce(b.point_count, 0) AS point_count, coalesce(b.point_codes, []::VARCHAR[]) AS point_codes,
            coalesce(g.registered, 0) AS registered, coalesce(b.own_point, false) AS own_point,
            coalesce(g.registered, 0) >= $threshold AS large,
            CASE WHEN coalesce(b.point_count, 0) = 0 THEN 'uncovered'
                 WHEN b.point_count > 1 THEN 'multi_point'
                 WHEN coalesce(g.registered, 0) >= $threshold AND NOT b.own_point THEN 'large_shared' END AS issue
     FROM ${t('regions')} r LEFT JOIN by_village b ON b.village_code = r.code LEFT JOIN registered g ON g.village_code = r.code
     WHERE r.level = 'village'`,
    { as_of: ctx.dataAsOf, threshold: ctx.settings.largeVillageThreshold },
  );
  await runNamed(ctx,
    `CREATE OR REPLACE TABLE ${t('dq_point_coverage')} AS
     WITH latest AS (SELECT max(as_of) AS as_of FROM ${t('points')}),
     p AS (SELECT p.* FROM ${t('points')} p, latest WHERE p.as_of = latest.as_of),
     pv AS (SELECT v.point_code, v.village_code FROM ${t('point_villages')} v, latest WHERE v.as_of = latest.as_of)
     SELECT p.point_code, p.point_name, p.township_code, p.county_code, substr(p.county_code, 1, 4) || '00' AS city_code,
            p.established_on, p.as_of,
            count(DISTINCT pv.village_code) AS village_count,
            count(DISTINCT pv.village_code) > 1 AS merged,
            list(DISTINCT pv.village_code ORDER BY pv.village_code) FILTER (WHERE pv.village_code IS NOT NULL) AS village_codes,
            coalesce(sum(vc.registered), 0) AS registered,
            count(DISTINCT pv.village_code) FILTER (WHERE vc.point_count > 1) AS shared_villages
     FROM p LEFT JOIN pv ON pv.point_code = p.point_code
     LEFT JOIN ${t('dq_village_coverage')} vc ON vc.village_code = pv.village_code
     GROUP BY ALL`,
  );
  await runNamed(ctx,
    `CREATE OR REPLACE TABLE ${t('dq_coverage')} AS
     WITH v AS (
       SELECT township_code, county_code, city_code,
              1 AS villages, (point_count = 1)::INTEGER AS covered_once, (point_count = 0)::INTEGER AS uncovered,
              (point_count > 1)::INTEGER AS multi_point, large::INTEGER AS large_villages,
              (large AND own_point AND point_count = 1)::INTEGER AS large_with_own_point,
              (issue = 'large_shared')::INTEGER AS large_shared,
              (point_count = 1 AND (NOT large OR own_point))::INTEGER AS compliant,
              0 AS points, 0 AS merged_points
       FROM ${t('dq_village_coverage')}
       UNION ALL
       SELECT township_code, county_code, city_code, 0, 0, 0, 0, 0, 0, 0, 0, 1, merged::INTEGER FROM ${t('dq_point_coverage')}
     ),
     r AS (${regionRollupSql({
       from: 'v',
       measures: `sum(villages)::INTEGER AS villages, sum(covered_once)::INTEGER AS covered_once, sum(uncovered)::INTEGER AS uncovered,
                  sum(multi_point)::INTEGER AS multi_point, sum(large_villages)::INTEGER AS large_villages,
                  sum(large_with_own_point)::INTEGER AS large_with_own_point, sum(large_shared)::INTEGER AS large_shared,
                  sum(compliant)::INTEGER AS compliant, sum(points)::INTEGER AS points, sum(merged_points)::INTEGER AS merged_points`,
     })})
     SELECT *, CASE WHEN villages > 0 THEN compliant / villages END AS coverage_rate FROM r`,
  );
}
