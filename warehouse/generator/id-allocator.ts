/**
 * Structurally unique citizen ID numbers. The 3-digit sequence space of every
 * (region prefix, birth date) is split into disjoint ranges, each used by exactly one
 * county's allocator:
 *   home prefix, persons of that county      001-599
 *   partner prefix, persons of the one county whose partner it is   600-899
 *   home prefix, the county's fake (dirty / reconciliation) persons   900-999
 * Odd sequences are men, even women. The partner of a county is the next county of the
 * same city in code order (cyclic), so every prefix is the partner of exactly one county:
 * no two allocators can produce the same number, whatever order counties run in.
 */
import { makeIdNumber } from '../reference/id-number.ts';
import { isoOf } from './day-numbers.ts';

export type IdRange = 'home' | 'partner' | 'fake';

const RANGES: Readonly<Record<IdRange, { maleStart: number; femaleStart: number; perSex: number }>> = {
  home: { maleStart: 1, femaleStart: 2, perSex: 299 },
  partner: { maleStart: 601, femaleStart: 600, perSex: 150 },
  fake: { maleStart: 901, femaleStart: 900, perSex: 50 },
};

/** The partner prefix of every county code: next county of the same city, cyclic. */
export function partnerCounties(countyCodes: readonly string[]): Map<string, string> {
  const byCity = new Map<string, string[]>();
  for (const c of [...countyCodes].sort()) {
    const list = byCity.get(c.slice(0, 4)) ?? [];
    list.push(c);
    byCity.set(c.slice(0, 4), list);
  }
  const out = new Map<string, string>();
  for (const list of byCity.values()) list.forEach((c, i) => out.set(c, list[(i + 1) % list.length]));
  return out;
}

export interface AllocatedId {
  readonly id: string;
  /** The birth date actually used (moved forward a day if a date's range was full). */
  readonly birthDay: number;
}

/** Birth days covered by the counters (1930-01-01 .. 2039-12-31); others fall back to a map. */
const FIRST_DAY = -14610;
const DAYS = 40177;

export class IdAllocator {
  private readonly used = new Uint16Array(DAYS * 6);
  private readonly overflow = new Map<number, number>();

  constructor(readonly homeCode: string, readonly partnerCode: string) {}

  allocate(range: IdRange, birthDay: number, male: boolean): AllocatedId {
    const r = RANGES[range];
    const prefix = range === 'partner' ? this.partnerCode : this.homeCode;
    const rangeNo = range === 'home' ? 0 : range === 'partner' ? 1 : 2;
    for (let day = birthDay; ; day++) {
      const inRange = day >= FIRST_DAY && day < FIRST_DAY + DAYS;
      const key = ((inRange ? day - FIRST_DAY : day) * 3 + rangeNo) * 2 + (male ? 1 : 0);
      const k = inRange ? this.used[key] : (this.overflow.get(key) ?? 0);
      if (k < r.perSex) {
        if (inRange) this.used[key] = k + 1;
        else this.overflow.set(key, k + 1);
        const seq = (male ? r.maleStart : r.femaleStart) + 2 * k;
        return { id: makeIdNumber(prefix, isoOf(day), seq), birthDay: day };
      }
    }
  }
}
