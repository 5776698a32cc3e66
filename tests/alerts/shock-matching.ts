/**
 * Matching alerts with the shocks planted by the generator (truth.json `shocks`):
 * a shock is found when an alert of its rule and region fired in an episode covering
 * its period (for festival_return_lag, whose period is the festival year, the month of
 * day +30). Every other fired alert is either related (its region is a shocked region,
 * or an ancestor or descendant of one: a consequence of the shock) or a false alarm.
 */

/** A shock as truth.json records it. */
export interface Shock {
  readonly rule: string;
  readonly region: string;
  readonly regionLevel: string;
  readonly period: string;
  readonly day30Month?: string;
  readonly countyCode?: string;
  readonly townshipCode?: string;
  readonly description: string;
}

export interface FiredAlert {
  readonly id: number;
  readonly rule: string;
  readonly region: string;
  readonly scope: string;
  readonly period: string;
  readonly lastPeriod: string;
}

/** The month a shock's alert must cover. */
export function shockMonth(s: Shock): string {
  if (/^\d{4}$/.test(s.period)) return s.day30Month ?? `${s.period}-02`;
  return s.period;
}

export function findsShock(a: FiredAlert, s: Shock): boolean {
  const m = shockMonth(s);
  return a.rule === s.rule && a.region === s.region && a.period <= m && a.lastPeriod >= m;
}

/** Region codes of a shock's place: the region itself (or point) and its township/county. */
function shockPlaces(s: Shock): string[] {
  return [s.region, ...(s.townshipCode ? [s.townshipCode] : []), ...(s.countyCode ? [s.countyCode] : [])];
}

const prefixOf = (code: string) => (code.endsWith('0000') ? code.slice(0, 2) : code.endsWith('00') && code.length === 6 ? code.slice(0, 4) : code);

/** Whether two region codes are the same, or one contains the other. */
function nested(a: string, b: string): boolean {
  if (!/^\d+$/.test(a) || !/^\d+$/.test(b)) return a === b;
  return a.startsWith(prefixOf(b)) || b.startsWith(prefixOf(a));
}

export function classify(alerts: readonly FiredAlert[], shocks: readonly Shock[]) {
  const found = shocks.map((s) => ({ shock: s, alert: alerts.find((a) => findsShock(a, s)) }));
  const matched = new Set(found.flatMap((f) => (f.alert ? [f.alert.id] : [])));
  const related: FiredAlert[] = [];
  const falseAlarms: FiredAlert[] = [];
  for (const a of alerts) {
    if (matched.has(a.id)) continue;
    const place = /^\d+$/.test(a.region) ? a.region : a.scope;
    if (shocks.some((s) => shockPlaces(s).some((p) => nested(place, p)))) related.push(a);
    else falseAlarms.push(a);
  }
  return { found, missed: found.filter((f) => !f.alert).map((f) => f.shock), matched: matched.size, related, falseAlarms };
}
