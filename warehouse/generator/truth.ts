/**
 * Ground truth accumulated while generating (truth.json): month-end stocks by home
 * county, flows by reason, Spring Festival daily returns and departures. All counts are
 * over the clean events the export contains, by event date (see docs/generator.md).
 */
import { FESTIVAL_WINDOW } from '../reference/festival.ts';
import { EVENT_REASONS } from '../contract/codes.ts';
import { monthLabel, isoOf } from './day-numbers.ts';
import { F, YES, type PersonRecord } from './person-record.ts';
import type { Festival, Period } from './period.ts';
import { isTransfer } from './population.ts';

export const MONTH_END_FIELDS = ['10', '21', '22', '23', '24', '30', '40', '50', 'labour_force', 'at_home', 'away', 'poverty_transfer', 'relocated_transfer'] as const;
const STATUS_FIELD: Readonly<Record<string, number>> = { '10': 0, '21': 1, '22': 2, '23': 3, '24': 4, '30': 5, '40': 6, '50': 7 };
const NF = MONTH_END_FIELDS.length;
export const INCREASE_REASONS: readonly string[] = EVENT_REASONS['新增'].map((r) => r.code);
export const DECREASE_REASONS: readonly string[] = EVENT_REASONS['减少'].map((r) => r.code);
const NR = INCREASE_REASONS.length + DECREASE_REASONS.length;
const FEST_DAYS = FESTIVAL_WINDOW.before + FESTIVAL_WINDOW.after + 1;

export class TruthAccumulator {
  readonly monthEnd: Int32Array;
  readonly flows: Int32Array;
  readonly festival: Int32Array;
  private readonly nm: number;
  private readonly nf: number;
  private readonly firstMonth: number;

  constructor(private readonly counties: readonly string[], private readonly period: Period) {
    this.nm = period.truthMonths.length;
    this.nf = period.truthFestivals.length;
    this.firstMonth = period.truthMonths[0] ?? period.fromMonth;
    this.monthEnd = new Int32Array(counties.length * this.nm * NF);
    this.flows = new Int32Array(counties.length * this.nm * NR);
    this.festival = new Int32Array(counties.length * this.nf * 2 * FEST_DAYS);
  }

  /** Counts an active person at the end of truth month `mi` (index into truthMonths). */
  addMonthEnd(county: number, mi: number, rec: PersonRecord): void {
    const o = (county * this.nm + mi) * NF;
    const s = rec[F.status];
    this.monthEnd[o + STATUS_FIELD[s]]++;
    this.monthEnd[o + 8]++;
    if (rec[F.presence] === '在乡') this.monthEnd[o + 9]++;
    else this.monthEnd[o + 10]++;
    if (isTransfer(s)) {
      if (rec[F.poverty] === YES) this.monthEnd[o + 11]++;
      if (rec[F.relocated] === YES) this.monthEnd[o + 12]++;
    }
  }

  /** Counts a 新增 / 减少 event by its month and reason (ignored outside the truth months). */
  addFlow(county: number, month: number, type: '新增' | '减少', reason: string): void {
    const mi = month - this.firstMonth;
    if (mi < 0 || mi >= this.nm) return;
    const r = type === '新增' ? INCREASE_REASONS.indexOf(reason) : INCREASE_REASONS.length + DECREASE_REASONS.indexOf(reason);
    this.flows[(county * this.nm + mi) * NR + r]++;
  }

  /** Counts a 返乡 / 外出 event in every festival window containing its day. */
  addFestivalMove(county: number, day: number, reason: string): void {
    const kind = reason === '返乡' ? 0 : reason === '外出' ? 1 : -1;
    if (kind < 0) return;
    const fs = this.period.truthFestivals;
    for (let k = 0; k < fs.length; k++) {
      const d = day - fs[k].day;
      if (d < -FESTIVAL_WINDOW.before || d > FESTIVAL_WINDOW.after) continue;
      this.festival[((county * this.nf + k) * 2 + kind) * FEST_DAYS + d + FESTIVAL_WINDOW.before]++;
    }
  }

  /** Adds the counts of another accumulator of the same shape (a worker's part). */
  addCounts(monthEnd: Int32Array, flows: Int32Array, festival: Int32Array): void {
    for (let i = 0; i < monthEnd.length; i++) this.monthEnd[i] += monthEnd[i];
    for (let i = 0; i < flows.length; i++) this.flows[i] += flows[i];
    for (let i = 0; i < festival.length; i++) this.festival[i] += festival[i];
  }

  monthEndValue(county: number, mi: number, field: (typeof MONTH_END_FIELDS)[number]): number {
    return this.monthEnd[(county * this.nm + mi) * NF + MONTH_END_FIELDS.indexOf(field)];
  }

  monthEndJson(): Record<string, Record<string, Record<string, number>>> {
    const out: Record<string, Record<string, Record<string, number>>> = {};
    this.period.truthMonths.forEach((m, mi) => {
      const byCounty: Record<string, Record<string, number>> = {};
      this.counties.forEach((code, c) => {
        const o = (c * this.nm + mi) * NF;
        byCounty[code] = Object.fromEntries(MONTH_END_FIELDS.map((f, k) => [f, this.monthEnd[o + k]]));
      });
      out[monthLabel(m)] = byCounty;
    });
    return out;
  }

  flowsJson(): Record<string, Record<string, { increases: Record<string, number>; decreases: Record<string, number> }>> {
    const out: Record<string, Record<string, { increases: Record<string, number>; decreases: Record<string, number> }>> = {};
    this.period.truthMonths.forEach((m, mi) => {
      const byCounty: Record<string, { increases: Record<string, number>; decreases: Record<string, number> }> = {};
      this.counties.forEach((code, c) => {
        const o = (c * this.nm + mi) * NR;
        byCounty[code] = {
          increases: Object.fromEntries(INCREASE_REASONS.map((r, k) => [r, this.flows[o + k]])),
          decreases: Object.fromEntries(DECREASE_REASONS.map((r, k) => [r, this.flows[o + INCREASE_REASONS.length + k]])),
        };
      });
      out[monthLabel(m)] = byCounty;
    });
    return out;
  }

  festivalJson(): Record<string, Record<string, { returned: number[]; departed: number[] }>> {
    const out: Record<string, Record<string, { returned: number[]; departed: number[] }>> = {};
    this.period.truthFestivals.forEach((f, k) => {
      const byCounty: Record<string, { returned: number[]; departed: number[] }> = {};
      this.counties.forEach((code, c) => {
        const o = (c * this.nf + k) * 2 * FEST_DAYS;
        byCounty[code] = {
          returned: Array.from(this.festival.subarray(o, o + FEST_DAYS)),
          departed: Array.from(this.festival.subarray(o + FEST_DAYS, o + 2 * FEST_DAYS)),
        };
      });
      out[String(f.year)] = byCounty;
    });
    return out;
  }
}

export function festivalDatesJson(festivals: readonly Festival[]): Record<string, string> {
  return Object.fromEntries(festivals.map((f) => [String(f.year), isoOf(f.day)]));
}

export interface TruthFile {
  readonly file: string;
  readonly kind: 'persons' | 'changes' | 'points' | 'submissions' | 'roster';
  readonly format: 'csv' | 'xlsx';
  readonly encoding: 'utf-8' | 'gb18030' | null;
  readonly delimiter: ',' | '\t' | null;
  readonly bom: boolean;
  readonly crlf: boolean;
  /** Data rows (header excluded), dirty rows included. */
  readonly rows: number;
  readonly bytes: number;
}

export interface DirtyRow {
  readonly file: string;
  /** Physical row, header = 1. */
  readonly row: number;
  readonly column: string | null;
  readonly reason: string;
}

export interface ReconciliationFinding {
  readonly file: string;
  readonly kind: 'missing' | 'extra' | 'field';
  readonly id_number: string;
  readonly column: string | null;
  /** The value in the event-derived state (field differences). */
  readonly expected?: string;
  /** The value written in the snapshot (field differences). */
  readonly actual?: string;
  /** Physical row of an extra or differing row in the snapshot. */
  readonly row?: number;
}

