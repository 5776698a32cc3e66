/**
 * Rolls the replay's village figures up to townships, counties, cities and the province
 * (by code prefix), and derives the catalogue metrics from them in plain TypeScript.
 */
import type { ProvinceReplay, VillageMonth } from './province-replay.ts';
import { springFestivalDate } from '../../warehouse/reference/festival.ts';

export const regionsOf = (village: string) => ['510000', `${village.slice(0, 4)}00`, village.slice(0, 6), village.slice(0, 9), village];

export interface RolledUp {
  month(region: string, month: string): VillageMonth;
  /** Σ returned and departed of festival `year`, days −45..toDay, for a region. */
  festival(region: string, year: number, toDay: number): { returned: number; departed: number };
}

const empty = (): VillageMonth => ({ labour_force: 0, status: {}, at_home: 0, away: 0, poverty_transfer: 0, relocated_transfer: 0, increases: 0, decreases: 0, increasesByReason: {}, decreasesByReason: {} });

function addInto(a: VillageMonth, b: VillageMonth): void {
  a.labour_force += b.labour_force;
  a.at_home += b.at_home;
  a.away += b.away;
  a.poverty_transfer += b.poverty_transfer;
  a.relocated_transfer += b.relocated_transfer;
  a.increases += b.increases;
  a.decreases += b.decreases;
  for (const [k, v] of Object.entries(b.status)) a.status[k] = (a.status[k] ?? 0) + v;
  for (const [k, v] of Object.entries(b.increasesByReason)) a.increasesByReason[k] = (a.increasesByReason[k] ?? 0) + v;
  for (const [k, v] of Object.entries(b.decreasesByReason)) a.decreasesByReason[k] = (a.decreasesByReason[k] ?? 0) + v;
}

export function rollUp(r: ProvinceReplay): RolledUp {
  const months = new Map<string, VillageMonth>();
  for (const [k, v] of r.villageMonth) {
    const [village, month] = k.split('|');
    for (const region of regionsOf(village).slice(0, 4)) {
      const key = `${region}|${month}`;
      let a = months.get(key);
      if (!a) months.set(key, (a = empty()));
      addInto(a, v);
    }
    months.set(k, v);
  }
  const fest = new Map<string, [number, number]>();
  for (const [k, [ret, dep]] of r.festival) {
    const [year, village, day] = k.split('|');
    for (const region of regionsOf(village)) {
      const key = `${year}|${region}|${day}`;
      const cur = fest.get(key) ?? [0, 0];
      cur[0] += ret;
      cur[1] += dep;
      fest.set(key, cur);
    }
  }
  return {
    month: (region, month) => months.get(`${region}|${month}`) ?? empty(),
    festival: (region, year, toDay) => {
      let returned = 0;
      let departed = 0;
      for (let d = -45; d <= Math.min(toDay, 60); d++) {
        const v = fest.get(`${year}|${region}|${d}`);
        if (v) {
          returned += v[0];
          departed += v[1];
        }
      }
      return { returned, departed };
    },
  };
}

const EMPLOYED = ['10', '21', '22', '23', '24', '30'];
const TRANSFER = ['21', '22', '23', '24', '30'];

/** Month metrics (stocks of the month end, flows of the month) from a rolled-up month. */
export function monthMetrics(v: VillageMonth): Record<string, { value: number | null; numerator?: number; denominator?: number }> {
  const s = (code: string) => v.status[code] ?? 0;
  const employed = EMPLOYED.reduce((a, c) => a + s(c), 0);
  const rate = (n: number, d: number) => ({ value: d ? n / d : null, numerator: n, denominator: d });
  return {
    labour_force: { value: v.labour_force },
    employed: { value: employed },
    transfer_employed: { value: TRANSFER.reduce((a, c) => a + s(c), 0) },
    out_migrant_in_province: { value: s('22') },
    out_migrant_out_province: { value: s('23') },
    abroad: { value: s('24') },
    unemployed: { value: s('40') },
    not_in_labour_force: { value: s('50') },
    unemployment_rate: rate(s('40'), employed + s('40')),
    employment_rate: rate(employed, employed + s('40')),
    at_home: { value: v.at_home },
    away: { value: v.away },
    increases: { value: v.increases },
    decreases: { value: v.decreases },
    net_change: { value: v.increases - v.decreases },
    poverty_employed: { value: v.poverty_transfer },
    relocated_employed: { value: v.relocated_transfer },
  };
}

/** Day of `date` relative to the festival of `year`. */
export const festivalDay = (date: string, year: number) => Math.round((Date.parse(`${date}T00:00:00Z`) - Date.parse(`${springFestivalDate(year)}T00:00:00Z`)) / 86_400_000);
