/**
 * Collection-point coverage, timeliness and review backlog (issue 9's data-quality API:
 * GET /api/data-quality/coverage, /timeliness, /backlog). Months are YYYY-MM.
 */
import { apiGet } from './http.js';

interface RegionRef {
  readonly code: string;
  readonly name: string;
  readonly level: string;
}

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
  readonly region: RegionRef;
  readonly asOf: string | null;
  readonly summary: CoverageCounts | null;
  readonly children: readonly (CoverageCounts & { code: string; name: string | null })[];
  readonly villageIssues: readonly { villageCode: string; villageName: string | null; townshipName: string | null; issue: string; pointCodes: string[]; registered: number }[];
  readonly truncated: boolean;
}

export interface TimelinessCounts {
  readonly pointsDue: number;
  readonly submitted: number;
  readonly onTime: number;
  readonly late: number;
  readonly notSubmitted: number;
  readonly townshipReviewed: number;
  readonly countyVerified: number;
  readonly returned: number;
  readonly backlogTownship: number;
  readonly backlogCounty: number;
  readonly updateRate: number | null;
  readonly onTimeRate: number | null;
  readonly reviewRate: number | null;
}

export interface PointMonth {
  readonly pointCode: string;
  readonly pointName: string | null;
  readonly townshipCode: string;
  readonly status: string;
  readonly submittedOn: string | null;
  readonly townshipReviewedOn: string | null;
  readonly countyVerifiedOn: string | null;
  readonly onTime: boolean;
  readonly late: boolean;
  readonly returned: boolean;
  readonly daysLate: number;
}

export interface TimelinessReport {
  readonly region: RegionRef;
  readonly month: string;
  readonly deadline: string | null;
  readonly summary: TimelinessCounts | null;
  readonly children: readonly (TimelinessCounts & { code: string; name: string | null })[];
  readonly points: readonly PointMonth[] | null;
}

export function fetchPointCoverage(region: string, signal?: AbortSignal): Promise<CoverageReport> {
  return apiGet<CoverageReport>('/api/data-quality/coverage', { region, limit: 200 }, signal);
}

export function fetchTimeliness(region: string, month: string, signal?: AbortSignal): Promise<TimelinessReport> {
  return apiGet<TimelinessReport>('/api/data-quality/timeliness', { region, month }, signal);
}
