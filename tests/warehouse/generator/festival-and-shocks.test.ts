/**
 * Spring Festival movements peak on the right days of each year's true festival date,
 * and the planted shocks are visible in the data (month-end stocks computed here from
 * the raw files, compared with truth.json, then with the shock conditions).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { columnKeyOf, type FileKind } from '../../../warehouse/contract/columns.ts';
import { springFestivalDate } from '../../../warehouse/reference/festival.ts';
import { keyed, readExport } from './export-reader.ts';
import { cleanup, generate, type Generated } from './generated-fixture.ts';
import { applyEvent, sortEvents, stateFromSnapshot, type ChangeEvent, type PersonState } from './replay.ts';
import type { Row } from './contract-checks.ts';

let g: Generated;
let events: ChangeEvent[] = [];
let base: Row[] = [];
const monthEnd = new Map<string, Map<string, Record<string, number>>>();
const addDays = (iso: string, n: number) => new Date(Date.parse(`${iso}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
const nextMonth = (m: string) => (m.endsWith('-12') ? `${Number(m.slice(0, 4)) + 1}-01` : `${m.slice(0, 5)}${String(Number(m.slice(5)) + 1).padStart(2, '0')}`);
const prevMonth = (m: string, k = 1): string => { let x = m; for (let i = 0; i < k; i++) x = x.endsWith('-01') ? `${Number(x.slice(0, 4)) - 1}-12` : `${x.slice(0, 5)}${String(Number(x.slice(5)) - 1).padStart(2, '0')}`; return x; };
const dayRel = (iso: string, year: number) => Math.round((Date.parse(iso) - Date.parse(springFestivalDate(year))) / 86_400_000);
const shock = (rule: string) => g.truth.shocks.filter((s) => s.rule === rule);
const stock = (m: string, county: string) => monthEnd.get(m)!.get(county) ?? {};
const urate = (c: Record<string, number>) => (c['40'] ?? 0) / (['10', '21', '22', '23', '24', '30', '40'].reduce((a, s) => a + (c[s] ?? 0), 0) || 1);

beforeAll(async () => {
  g = await generate('shocks', { persons: 30_000, seed: 5, from: '2023-10', to: '2026-03', dirty: 0 });
  const rows = async (kind: FileKind) => {
    const out: { file: string; rows: Row[] }[] = [];
    for (const f of g.truth.files.filter((x) => x.kind === kind)) out.push({ file: f.file, rows: keyed(await readExport(g.dir, f), (h) => columnKeyOf(kind, h)) });
    return out;
  };
  base = (await rows('persons')).find((f) => f.file.endsWith('persons_20230930.csv'))!.rows;
  let seq = 0;
  for (const f of await rows('changes')) f.rows.forEach((row, i) => events.push({ row, seq: seq++, file: f.file, rowNumber: i + 2 }));
  events = sortEvents(events);
  // Month-end stocks by home county from the raw files.
  const state: PersonState = stateFromSnapshot(base);
  const months = g.truth.period.months;
  const snap = (m: string) => {
    const byCounty = new Map<string, Record<string, number>>();
    for (const r of state.values()) {
      const c = byCounty.get(r.village_code.slice(0, 6)) ?? {};
      c[r.employment_status] = (c[r.employment_status] ?? 0) + 1;
      if (r.poverty_alleviated === '是' && ['21', '22', '23', '24', '30'].includes(r.employment_status)) c.poverty_transfer = (c.poverty_transfer ?? 0) + 1;
      byCounty.set(r.village_code.slice(0, 6), c);
    }
    monthEnd.set(m, byCounty);
  };
  let mi = 0;
  for (const e of events) {
    while (mi < months.length && e.row.event_date >= `${nextMonth(months[mi])}-01`) snap(months[mi++]);
    const p = applyEvent(state, e);
    if (p) throw new Error(p);
  }
  while (mi < months.length) snap(months[mi++]);
}, 300_000);
afterAll(() => cleanup(g));

describe('Spring Festival', () => {
  test('returns peak in the last days before each year’s festival, departures on days 3-21, on the true dates', () => {
    const years = [2024, 2025, 2026];
    expect(Object.keys(g.truth.festivals)).toEqual(years.map(String));
    for (const y of years) {
      const returned = new Array<number>(106).fill(0), departed = new Array<number>(106).fill(0);
      for (const e of events) {
        const d = dayRel(e.row.event_date, y);
        if (d < -45 || d > 60) continue;
        if (e.row.reason === '返乡') returned[d + 45]++;
        if (e.row.reason === '外出') departed[d + 45]++;
      }
      const sum = (a: number[], from: number, to: number) => a.slice(from + 45, to + 46).reduce((x, v) => x + v, 0);
      const peakReturn = returned.indexOf(Math.max(...returned)) - 45;
      const peakDepart = departed.indexOf(Math.max(...departed)) - 45;
      expect(peakReturn, `${y}`).toBeGreaterThanOrEqual(-10);
      expect(peakReturn, `${y}`).toBeLessThanOrEqual(-1);
      expect(peakDepart, `${y}`).toBeGreaterThanOrEqual(3);
      expect(peakDepart, `${y}`).toBeLessThanOrEqual(21);
      expect(sum(returned, -10, -1) / 10).toBeGreaterThan(3 * (sum(returned, -30, -21) / 10));
      expect(sum(returned, -30, -1)).toBeGreaterThan(0.9 * sum(returned, -45, 0));
      expect(sum(departed, 3, 21)).toBeGreaterThan(0.75 * sum(departed, 1, 60));
      expect(sum(returned, -30, -1)).toBeGreaterThan(2000);
      // Compared with the calendar: the return peak follows the festival date (2024-02-10, 2025-01-29, 2026-02-17).
      expect(addDays(springFestivalDate(y), peakReturn).slice(0, 4)).toBe(String(y));
    }
  });

  test('a minority stays home after the festival and becomes local worker or unemployed', () => {
    const y = 2025;
    const returners = new Set(events.filter((e) => e.row.reason === '返乡' && dayRel(e.row.event_date, y) >= -30 && dayRel(e.row.event_date, y) < 0).map((e) => e.row.id_number));
    const departed = new Set(events.filter((e) => e.row.reason === '外出' && dayRel(e.row.event_date, y) > 0 && dayRel(e.row.event_date, y) <= 60).map((e) => e.row.id_number));
    const changed = events.filter((e) => e.row.reason === '就业变动' && returners.has(e.row.id_number) && !departed.has(e.row.id_number) && dayRel(e.row.event_date, y) > 0 && dayRel(e.row.event_date, y) <= 45);
    const stayShare = [...returners].filter((id) => !departed.has(id)).length / returners.size;
    expect(stayShare).toBeGreaterThan(0.07);
    expect(stayShare).toBeLessThan(0.16);
    const to = new Set(changed.map((e) => e.row.employment_status));
    for (const s of ['21', '10', '30', '40']) expect(to.has(s), s).toBe(true);
  });
});

describe('planted shocks', () => {
  test('truth.json month-end stocks agree with the raw files for the shocked regions', () => {
    for (const s of g.truth.shocks.filter((x) => x.regionLevel === 'county')) {
      for (const m of g.truth.period.months) {
        const t = g.truth.monthEnd[m][s.region];
        const mine = stock(m, s.region);
        for (const k of ['10', '21', '22', '23', '24', '30', '40', '50', 'poverty_transfer']) expect(t[k], `${m} ${s.region} ${k}`).toBe(mine[k] ?? 0);
      }
    }
  });

  test('mass layoff: 40 jumps, returns home outside the festival, job losses at one destination', () => {
    const counties = shock('mass_return');
    expect(counties.length).toBeGreaterThanOrEqual(2);
    for (const s of counties) {
      const m = s.period;
      expect(['unemployment_jump', 'clustered_job_loss'].every((r) => shock(r).some((x) => x.region === s.region && x.period === m))).toBe(true);
      const before = stock(prevMonth(m), s.region)['40'] ?? 0, after = stock(m, s.region)['40'] ?? 0;
      expect(after - before, `${s.region} ${m}`).toBeGreaterThanOrEqual(Math.max(5, 0.6 * s.affected));
      expect(after).toBeGreaterThan(2 * before);
      const returnsIn = (month: string) => events.filter((e) => e.row.reason === '返乡' && e.row.event_date.startsWith(month) && e.row.point_code.slice(2, 8) === s.region).length;
      expect(returnsIn(m), `${s.region} ${m}`).toBeGreaterThan(3 * Math.max(1, returnsIn(prevMonth(m, 12))));
      const losses = events.filter((e) => e.row.event_date.startsWith(m) && e.row.employment_status === '40' && e.row.point_code.slice(2, 8) === s.region);
      expect(losses.length).toBeGreaterThanOrEqual(s.affected);
      expect(s.affected).toBeGreaterThanOrEqual(0.35 * (s.eligible as number));
    }
  });

  test('poverty-alleviated labour in work falls ≥ 10% below the same month last year from the shock month on', () => {
    const [s] = shock('poverty_employment_below_last_year');
    expect(s.hasBaseline).toBe(true);
    const months = g.truth.period.months.filter((m) => m >= s.period);
    expect(months.length).toBeGreaterThan(0);
    for (const m of months) {
      const now = stock(m, s.region).poverty_transfer ?? 0, lastYear = stock(prevMonth(m, 12), s.region).poverty_transfer ?? 0;
      expect(now, `${s.region} ${m}`).toBeLessThanOrEqual(0.9 * lastYear);
    }
    // Before the shock it stays close to last year.
    const before = prevMonth(s.period);
    if (prevMonth(before, 12) >= g.truth.period.months[0]) {
      expect(stock(before, s.region).poverty_transfer).toBeGreaterThan(0.92 * stock(prevMonth(before, 12), s.region).poverty_transfer);
    }
  });

  test('festival_return_lag: in the city the share not departed at day 30 is far above earlier years', () => {
    const [s] = shock('festival_return_lag');
    const year = Number(s.period);
    expect(year).toBe(2026);
    const city = s.region.slice(0, 4);
    const notDeparted = (y: number, inCity: boolean) => {
      const returned = new Set<string>(), departed = new Set<string>();
      for (const e of events) {
        if (e.row.point_code.slice(2, 6) === city !== inCity) continue;
        const d = dayRel(e.row.event_date, y);
        if (e.row.reason === '返乡' && d >= -30 && d < 0) returned.add(e.row.id_number);
        if (e.row.reason === '外出' && d > 0 && d <= 30) departed.add(e.row.id_number);
      }
      return [...returned].filter((id) => !departed.has(id)).length / returned.size;
    };
    const lag = notDeparted(year, true);
    expect(lag).toBeGreaterThan(2 * notDeparted(year - 1, true));
    expect(lag).toBeGreaterThan(2 * notDeparted(year - 2, true));
    expect(lag).toBeGreaterThan(2 * notDeparted(year, false));
    expect(lag - notDeparted(year - 1, true)).toBeGreaterThan(0.2);
    expect(notDeparted(year, false)).toBeLessThan(0.2);
  });

  test('points stop reporting: 未报送 with empty dates from the shock month, reported before', async () => {
    const pts = shock('point_not_reporting');
    expect(pts.length).toBeGreaterThanOrEqual(2);
    const files = g.truth.files.filter((f) => f.kind === 'submissions');
    for (const f of files) {
      const rows = keyed(await readExport(g.dir, f), (h) => columnKeyOf('submissions', h));
      for (const s of pts) {
        const r = rows.find((x) => x.point_code === s.region)!;
        expect(r.county_verified_on === '' || r.status !== '未报送').toBe(true);
        expect((s.countyCode as string)).toBe(s.region.slice(2, 8));
        if (r.month >= s.period) expect([r.status, r.submitted_on, r.township_reviewed_on, r.county_verified_on]).toEqual(['未报送', '', '', '']);
        else if (r.month < prevMonth(g.truth.period.months.at(-1)!)) expect(r.status).not.toBe('未报送');
      }
    }
  });

  test('one county with a persistently high unemployment rate (≥ 2.5× the province)', () => {
    const [s] = shock('unemployment_rate_high');
    for (const m of g.truth.period.months) {
      const province: Record<string, number> = {};
      for (const c of monthEnd.get(m)!.values()) for (const [k, v] of Object.entries(c)) province[k] = (province[k] ?? 0) + v;
      expect(urate(stock(m, s.region)), `${m}`).toBeGreaterThan(2.5 * urate(province));
    }
  });
});
