/**
 * Spring Festival flows (GET /api/festival): per festival year, a day-aligned series from
 * `from` to `to` days around 正月初一, for the whole region or per group (sub-region,
 * destination province, sex, age band, poverty-alleviated). Cumulative figures count from
 * day −45; days outside the warehouse history or after its data date are null.
 */
import { apiGet } from './http.js';

export interface FestivalDay {
  readonly day: number;
  /** Cumulative persons returned home since day −45. */
  readonly returned: number | null;
  /** Cumulative persons who left again (返岗) since day −45. */
  readonly departed: number | null;
  /** Returned and not yet departed. */
  readonly notDeparted: number | null;
  /** departed / returned (null when nobody returned). */
  readonly returnRate: number | null;
}

export interface FestivalSeries {
  readonly year: number;
  /** The festival day (正月初一), YYYY-MM-DD. */
  readonly festivalDate: string;
  /** Group value ('all' without grouping). */
  readonly group: string;
  /** The API's (Chinese) label of the group. */
  readonly label: string;
  readonly days: readonly FestivalDay[];
}

export interface FestivalAnswer {
  readonly region: string;
  readonly dimension: FestivalDimension;
  readonly from: number;
  readonly to: number;
  readonly series: readonly FestivalSeries[];
}

export const FESTIVAL_MEASURES = ['returned', 'departed', 'notDeparted', 'returnRate'] as const;
export type FestivalMeasure = (typeof FESTIVAL_MEASURES)[number];

export const FESTIVAL_DIMENSIONS = ['none', 'region', 'dest_province', 'sex', 'age_band', 'poverty_alleviated'] as const;
export type FestivalDimension = (typeof FESTIVAL_DIMENSIONS)[number];

type Column = (number | null)[];
interface RawAnswer {
  readonly region: string;
  readonly dimension: FestivalDimension;
  readonly from: number;
  readonly to: number;
  readonly days: number[];
  readonly years: { year: number; festivalDate: string }[];
  readonly series: { year: number; group: string; label: string; cumulativeReturned: Column; cumulativeDeparted: Column; notDeparted: Column; returnRate: Column }[];
}

export async function fetchFestival(
  region: string,
  years: readonly number[],
  dimension: FestivalDimension,
  range: { from: number; to: number },
  signal?: AbortSignal,
): Promise<FestivalAnswer> {
  const r = await apiGet<RawAnswer>('/api/festival', { region, years, dimension, from: range.from, to: range.to }, signal);
  const dates = new Map(r.years.map((y) => [y.year, y.festivalDate]));
  return {
    region: r.region,
    dimension: r.dimension,
    from: r.from,
    to: r.to,
    series: r.series.map((s) => ({
      year: s.year,
      festivalDate: dates.get(s.year) ?? '',
      group: s.group,
      label: s.label,
      days: r.days.map((day, i) => ({
        day,
        returned: s.cumulativeReturned[i],
        departed: s.cumulativeDeparted[i],
        notDeparted: s.notDeparted[i],
        returnRate: s.returnRate[i],
      })),
    })),
  };
}
