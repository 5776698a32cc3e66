/**
 * Timeliness, review and backlog of a region for one report month, for the API: its
 * counts, its children's counts, and (for a county or township, where the list is short)
 * every due point with its submission state. From dq_timeliness and dq_point_month.
 */
import { levelOfCode } from '../reference/regions.ts';
import { CHILD_LEVEL, villagePrefix } from './region-filter.ts';
import type { QualityRow, WarehouseQuery } from './warehouse-query.ts';

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
  readonly backlogTownship: boolean;
  readonly backlogCounty: boolean;
  readonly daysLate: number;
}

export interface TimelinessReport {
  readonly month: string;
  readonly deadline: string | null;
  readonly deadlinePassed: boolean | null;
  readonly summary: TimelinessCounts | null;
  readonly children: (TimelinessCounts & { code: string })[];
  /** Due points of a county or township (null for larger regions). */
  readonly points: PointMonth[] | null;
}

const rate = (v: unknown) => (v === null || v === undefined ? null : Number(v));
const counts = (r: QualityRow): TimelinessCounts => ({
  pointsDue: Number(r.points_due),
  submitted: Number(r.submitted),
  onTime: Number(r.on_time),
  late: Number(r.late),
  notSubmitted: Number(r.not_submitted),
  townshipReviewed: Number(r.township_reviewed),
  countyVerified: Number(r.county_verified),
  returned: Number(r.returned),
  backlogTownship: Number(r.backlog_township),
  backlogCounty: Number(r.backlog_county),
  updateRate: rate(r.update_rate),
  onTimeRate: rate(r.on_time_rate),
  reviewRate: rate(r.review_rate),
});
const str = (v: unknown) => (v === null || v === undefined ? null : String(v));

/** The build's report months (first..last) from dq_meta. */
export async function qualityMonths(query: WarehouseQuery): Promise<{ firstMonth: string; lastMonth: string; dataAsOf: string }> {
  const rows = await query("SELECT key, value FROM dq_meta WHERE key IN ('first_month', 'last_month', 'data_as_of')");
  const m = new Map(rows.map((r) => [String(r.key), String(r.value)]));
  return { firstMonth: m.get('first_month')!, lastMonth: m.get('last_month')!, dataAsOf: m.get('data_as_of')! };
}

export async function timelinessReport(query: WarehouseQuery, region: string, month: string): Promise<TimelinessReport> {
  const level = levelOfCode(region)!;
  const child = CHILD_LEVEL[level];
  const prefix = villagePrefix(region);
  const withPoints = level === 'county' || level === 'township';
  const [own, children, points, deadline] = await Promise.all([
    query('SELECT * FROM dq_timeliness WHERE region_code = ? AND month = ?', [region, month]),
    child && child !== 'village'
      ? query('SELECT * FROM dq_timeliness WHERE level = ? AND month = ? AND starts_with(region_code, ?) ORDER BY region_code', [child, month, prefix])
      : Promise.resolve([]),
    withPoints
      ? query(
          `SELECT * FROM dq_point_month WHERE month = ? AND starts_with(township_code, ?) ORDER BY township_code, point_code`,
          [month, prefix],
        )
      : Promise.resolve([]),
    query('SELECT any_value(deadline) AS deadline, bool_and(deadline_passed) AS passed FROM dq_timeliness WHERE month = ?', [month]),
  ]);
  return {
    month,
    deadline: str(deadline[0]?.deadline),
    deadlinePassed: deadline[0]?.passed === null || deadline[0]?.passed === undefined ? null : Boolean(deadline[0].passed),
    summary: own[0] ? counts(own[0]) : null,
    children: children.map((r) => ({ code: String(r.region_code), ...counts(r) })),
    points: withPoints
      ? points.map((r) => ({
          pointCode: String(r.point_code),
          pointName: str(r.point_name),
          townshipCode: String(r.township_code),
          status: String(r.status),
          submittedOn: str(r.submitted_on),
          townshipReviewedOn: str(r.township_reviewed_on),
          countyVerifiedOn: str(r.county_verified_on),
          onTime: Boolean(r.on_time),
          late: Boolean(r.late),
          returned: Boolean(r.returned),
          backlogTownship: Boolean(r.backlog_township),
          backlogCounty: Boolean(r.backlog_county),
          daysLate: Number(r.days_late),
        }))
      : null,
  };
}
