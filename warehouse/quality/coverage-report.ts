/**
 * Coverage of a region for the API: its counts, its children's counts, and the lists of
 * problems inside it — villages uncovered, in several points or large without a point of
 * their own, and merged points — from dq_coverage, dq_village_coverage, dq_point_coverage.
 */
import { levelOfCode } from '../reference/regions.ts';
import { CHILD_LEVEL, villagePrefix } from './region-filter.ts';
import type { QualityRow, WarehouseQuery } from './warehouse-query.ts';

export interface CoverageCounts {
  readonly villages: number;
  readonly compliant: number;
  readonly coveredOnce: number;
  readonly uncovered: number;
  readonly multiPoint: number;
  readonly largeVillages: number;
  readonly largeWithOwnPoint: number;
  readonly largeShared: number;
  readonly points: number;
  readonly mergedPoints: number;
  readonly coverageRate: number | null;
}

export interface CoverageReport {
  readonly asOf: string | null;
  readonly summary: CoverageCounts | null;
  readonly children: (CoverageCounts & { code: string })[];
  readonly villageIssues: { villageCode: string; townshipCode: string; countyCode: string; issue: string; pointCodes: string[]; registered: number }[];
  readonly mergedPoints: { pointCode: string; pointName: string | null; townshipCode: string; villageCodes: string[]; registered: number }[];
  /** Whether the lists were cut at the limit. */
  readonly truncated: boolean;
}

const counts = (r: QualityRow): CoverageCounts => ({
  villages: Number(r.villages),
  compliant: Number(r.compliant),
  coveredOnce: Number(r.covered_once),
  uncovered: Number(r.uncovered),
  multiPoint: Number(r.multi_point),
  largeVillages: Number(r.large_villages),
  largeWithOwnPoint: Number(r.large_with_own_point),
  largeShared: Number(r.large_shared),
  points: Number(r.points),
  mergedPoints: Number(r.merged_points),
  coverageRate: r.coverage_rate === null ? null : Number(r.coverage_rate),
});

const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);

export async function coverageReport(query: WarehouseQuery, region: string, limit: number): Promise<CoverageReport> {
  const child = CHILD_LEVEL[levelOfCode(region)!];
  const prefix = villagePrefix(region);
  const [own, children, issues, merged, asOf] = await Promise.all([
    query('SELECT * FROM dq_coverage WHERE region_code = ?', [region]),
    child === 'village'
      ? query(
          `SELECT village_code AS region_code, 1 AS villages, (point_count = 1 AND (NOT large OR own_point))::INTEGER AS compliant,
                  (point_count = 1)::INTEGER AS covered_once, (point_count = 0)::INTEGER AS uncovered, (point_count > 1)::INTEGER AS multi_point,
                  large::INTEGER AS large_villages, (large AND own_point AND point_count = 1)::INTEGER AS large_with_own_point,
                  (issue = 'large_shared')::INTEGER AS large_shared, point_count AS points, 0 AS merged_points,
                  (point_count = 1 AND (NOT large OR own_point))::DOUBLE AS coverage_rate
           FROM dq_village_coverage WHERE township_code = ? ORDER BY village_code`,
          [region],
        )
      : child
        ? query('SELECT * FROM dq_coverage WHERE level = ? AND starts_with(region_code, ?) ORDER BY region_code', [child, prefix])
        : Promise.resolve([]),
    query(
      `SELECT village_code, township_code, county_code, issue, point_codes, registered FROM dq_village_coverage
       WHERE issue IS NOT NULL AND starts_with(village_code, ?) ORDER BY county_code, township_code, village_code LIMIT ?`,
      [prefix, limit + 1],
    ),
    query(
      `SELECT point_code, point_name, township_code, village_codes, registered FROM dq_point_coverage
       WHERE merged AND starts_with(township_code, ?) ORDER BY township_code, point_code LIMIT ?`,
      [prefix.length > 9 ? prefix.slice(0, 9) : prefix, limit + 1],
    ),
    query("SELECT max(as_of) AS as_of FROM dq_point_coverage"),
  ]);
  const villageIssues = issues.slice(0, limit).map((r) => ({
    villageCode: String(r.village_code),
    townshipCode: String(r.township_code),
    countyCode: String(r.county_code),
    issue: String(r.issue),
    pointCodes: list(r.point_codes),
    registered: Number(r.registered),
  }));
  const mergedPoints = merged
    .filter((r) => prefix.length <= 9 || list(r.village_codes).includes(prefix))
    .slice(0, limit)
    .map((r) => ({ pointCode: String(r.point_code), pointName: r.point_name === null ? null : String(r.point_name), townshipCode: String(r.township_code), villageCodes: list(r.village_codes), registered: Number(r.registered) }));
  return {
    asOf: asOf[0]?.as_of ? String(asOf[0].as_of) : null,
    summary: own[0] ? counts(own[0]) : null,
    children: children.map((r) => ({ code: String(r.region_code), ...counts(r) })),
    villageIssues,
    mergedPoints,
    truncated: issues.length > limit || merged.length > limit,
  };
}
