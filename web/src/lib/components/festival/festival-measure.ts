/** The festival measures: their labels and formats. */
import type { FestivalDay, FestivalMeasure } from '../../api/festival.js';
import type { MessageKey } from '../../i18n/messages.js';
import { formatCount, formatPercent } from '../../format/number-format.js';

export const MEASURE_LABEL: Readonly<Record<FestivalMeasure, MessageKey>> = {
  returned: 'festival.returned',
  departed: 'festival.departed',
  notDeparted: 'festival.notDeparted',
  returnRate: 'festival.returnRate',
};

export function measureValue(day: FestivalDay | undefined, measure: FestivalMeasure): number | null {
  if (!day) return null;
  return day[measure];
}

export function formatMeasure(measure: FestivalMeasure, v: number | null | undefined): string {
  return measure === 'returnRate' ? formatPercent(v) : formatCount(v);
}
