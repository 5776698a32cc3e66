/**
 * Spring Festival moves of one out-migrant worker: whether and when they go home
 * (返乡, days −30..−1, peak in the last ten days), and what happens after the festival:
 * leave again (外出) mostly on days 3-21 (peak 6-10), leave late (day 22-60), or stay and
 * change status (就业变动 to local work, farming, self-employment or unemployment).
 * In the lag-shock city in the lag festival, half of the returners leave only on days 31-75.
 */
import { FESTIVAL, LAGGED_FESTIVAL } from './calibration.ts';
import { cumulativeOf, WeightedTable, type Rng } from './random.ts';

export interface FestivalEpisode {
  /** Day offset of the return (−30..−1). */
  readonly returnOffset: number;
  readonly outcome: 'depart' | 'late' | 'stay';
  /** Day offset of the departure or of the status change. */
  readonly afterOffset: number;
  /** For 'stay': the new status. */
  readonly stayStatus?: string;
}

const RETURN_OFFSETS = Array.from({ length: 30 }, (_, i) => -30 + i);
const RETURN_CUM = cumulativeOf(RETURN_OFFSETS.map(FESTIVAL.returnDayWeight));
const DEPART_OFFSETS = Array.from({ length: 21 }, (_, i) => 1 + i);
const DEPART_CUM = cumulativeOf(DEPART_OFFSETS.map(FESTIVAL.departDayWeight));
const STAY = new WeightedTable<string>(FESTIVAL.stayStatus.map(([s, w]) => [s, w] as const));

/** The episode of a worker `status` who is away 31 days before the festival, or null if they stay away. */
export function planFestivalEpisode(rng: Rng, status: string, lagged: boolean): FestivalEpisode | null {
  if (!rng.chance(FESTIVAL.returnProbability[status] ?? 0)) return null;
  const returnOffset = RETURN_OFFSETS[rng.cumulative(RETURN_CUM)];
  const departShare = lagged ? LAGGED_FESTIVAL.departShare : FESTIVAL.departShare;
  const lateShare = lagged ? LAGGED_FESTIVAL.lateShare : FESTIVAL.lateShare;
  const [lateMin, lateMax] = lagged ? LAGGED_FESTIVAL.lateDays : FESTIVAL.lateDays;
  const r = rng.next();
  if (r < departShare) return { returnOffset, outcome: 'depart', afterOffset: DEPART_OFFSETS[rng.cumulative(DEPART_CUM)] };
  if (r < departShare + lateShare) return { returnOffset, outcome: 'late', afterOffset: rng.between(lateMin, lateMax) };
  return { returnOffset, outcome: 'stay', afterOffset: rng.between(FESTIVAL.stayDays[0], FESTIVAL.stayDays[1]), stayStatus: STAY.draw(rng) };
}
