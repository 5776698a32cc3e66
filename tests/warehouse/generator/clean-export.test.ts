/**
 * A clean province (--dirty 0) with a month of daily batches: every file parses under the
 * contract with no invalid row, the replay of base snapshot + events reproduces every
 * later snapshot exactly, and truth.json's month-end stocks, flows and festival counts
 * equal an independent replay of the raw files.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { COLUMNS, columnKeyOf, type FileKind } from '../../../warehouse/contract/columns.ts';
import { CHECK_ORDER } from '../../../warehouse/contract/reject-reasons.ts';
import { TRANSFER_STATUSES } from '../../../warehouse/contract/codes.ts';
import { loadRegions } from '../../../warehouse/reference/regions.ts';
import { springFestivalDate } from '../../../warehouse/reference/festival.ts';
import { changeRowProblem, personsRowProblem, type Row } from './contract-checks.ts';
import { keyed, readExport, type Table } from './export-reader.ts';
import { cleanup, generate, type Generated } from './generated-fixture.ts';
import { applyEvent, sortEvents, stateFromSnapshot, type ChangeEvent, type PersonState } from './replay.ts';

let g: Generated;
const tables = new Map<string, Table>();
const kindOf = (file: string): FileKind => (g.truth.files.find((f) => f.file === file)!.kind as FileKind);
const keyedCache = new Map<string, Row[]>();
const rowsOf = (file: string): Row[] => {
  let rows = keyedCache.get(file);
  if (!rows) keyedCache.set(file, (rows = keyed(tables.get(file)!, (h) => columnKeyOf(kindOf(file), h))));
  return rows;
};
const filesOf = (kind: string) => g.truth.files.filter((f) => f.kind === kind).map((f) => f.file);
const dateOfFile = (file: string): string => {
  const m = /_(\d{8})(?:_(\d{8}))?\./.exec(file)!;
  const d = m[2] ?? m[1];
  return `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}`;
};
const addDays = (iso: string, n: number) => new Date(Date.parse(`${iso}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
const monthEndOf = (month: string) => addDays(`${month === '' ? '' : month}-01`.replace(/^(\d{4})-(\d{2})-01$/, (_, y, m) => (m === '12' ? `${Number(y) + 1}-01-01` : `${y}-${String(Number(m) + 1).padStart(2, '0')}-01`)), -1);

let events: ChangeEvent[] = [];
const regions = loadRegions();
const villageSet = new Set(regions.villages.map((v) => v.code));

beforeAll(async () => {
  g = await generate('clean', { persons: 20_000, seed: 7, from: '2024-10', to: '2026-02', dirty: 0, daily: 32 });
  for (const f of g.truth.files) tables.set(f.file, await readExport(g.dir, f));
  let seq = 0;
  const changeFiles = filesOf('changes').sort((a, b) => (a.split('/')[0] < b.split('/')[0] ? -1 : 1));
  for (const file of changeFiles) rowsOf(file).forEach((row, i) => events.push({ row, seq: seq++, file, rowNumber: i + 2 }));
  events = sortEvents(events);
}, 300_000);
afterAll(() => cleanup(g));

describe('clean export', () => {
  test('the layout: initial batch E, daily batches, the files of each batch', () => {
    expect(g.truth.batches[0]).toBe('2026-03-01');
    expect(g.truth.batches).toHaveLength(33);
    expect(g.truth.batches.at(-1)).toBe('2026-04-02');
    const names = g.truth.files.map((f) => f.file);
    for (const n of ['2026-03-01/persons_20240930.csv', '2026-03-01/persons_20260228.csv', '2026-03-01/changes_20241001_20260228.csv',
      '2026-03-01/points_20260228.csv', '2026-03-01/roster-poverty_20260228.csv', '2026-03-01/roster-relocated_20260228.csv',
      '2026-03-01/submissions_202410.csv', '2026-03-01/submissions_202602.csv', '2026-03-02/changes_20260301.csv', '2026-03-02/submissions_202602.csv',
      '2026-03-10/submissions_202602.csv', '2026-04-01/persons_20260331.csv', '2026-04-01/points_20260331.csv', '2026-04-01/submissions_202603.csv',
      '2026-04-01/roster-poverty_20260331.csv', '2026-04-02/changes_20260401.csv', '2026-04-02/submissions_202603.csv']) {
      expect(names).toContain(n);
    }
    expect(names.filter((n) => n.startsWith('2026-03-11/'))).toEqual(['2026-03-11/changes_20260310.csv']);
  });

  test('every file: UTF-8 comma LF without BOM, the contract headers, the row count of truth.json', () => {
    for (const f of g.truth.files) {
      expect([f.format, f.encoding, f.delimiter, f.bom, f.crlf]).toEqual(['csv', 'utf-8', ',', false, false]);
      const t = tables.get(f.file)!;
      expect(t.header).toEqual(COLUMNS[f.kind as FileKind].map((c) => c.header));
      expect(t.rows.length).toBe(f.rows);
    }
    expect(g.truth.dirtyRows).toEqual([]);
    expect(g.truth.reconciliation).toEqual([]);
  });

  test('no persons or change row fails a contract check; IDs unique per file', () => {
    const points = new Set(rowsOf(filesOf('points')[0]).map((r) => r.point_code));
    const problems: string[] = [];
    let checked = 0;
    for (const file of filesOf('persons')) {
      const ctx = { villages: villageSet, points, fileDate: dateOfFile(file) };
      const ids = new Set<string>();
      for (const r of rowsOf(file)) {
        const p = personsRowProblem(r, ctx, CHECK_ORDER);
        if (p) problems.push(`${file} ${r.id_number} ${p.reason} ${p.column}`);
        if (ids.has(r.id_number)) problems.push(`${file} duplicate ${r.id_number}`);
        ids.add(r.id_number);
        checked++;
      }
    }
    for (const file of filesOf('changes')) {
      const ctx = { villages: villageSet, points, fileDate: dateOfFile(file) };
      for (const r of rowsOf(file)) {
        const p = changeRowProblem(r, ctx, CHECK_ORDER);
        if (p) problems.push(`${file} ${r.id_number} ${p.reason} ${p.column}`);
        checked++;
      }
    }
    expect(problems.slice(0, 10)).toEqual([]);
    expect(checked).toBeGreaterThan(90_000);
  });

  test('an ID always denotes the same person (name, sex, birth date, village) across all files', () => {
    const seen = new Map<string, string>();
    const sig = (r: Row) => `${r.name}|${r.sex}|${r.birth_date}|${r.village_code}`;
    const problems: string[] = [];
    for (const file of [...filesOf('persons'), ...filesOf('changes')]) {
      for (const r of rowsOf(file)) {
        if (!r.name) continue;
        const s = sig(r);
        const prev = seen.get(r.id_number);
        if (prev !== undefined && prev !== s) problems.push(`${r.id_number}: ${prev} vs ${s}`);
        else seen.set(r.id_number, s);
      }
    }
    expect(problems).toEqual([]);
    expect(seen.size).toBeGreaterThan(20_000);
  });

  test('change rows: recorded on their file day (daily) or in the range (history); 新增 full, 减少 empty', () => {
    const problems: string[] = [];
    const personKeys = COLUMNS.persons.filter((c) => !['id_number', 'point_code', 'review_status'].includes(c.key)).map((c) => c.key);
    for (const file of filesOf('changes')) {
      const [from, to] = file.includes('_2024') ? ['2024-10-01', '2026-02-28'] : [dateOfFile(file), dateOfFile(file)];
      rowsOf(file).forEach((r, i) => {
        const at = `${file} row ${i + 2}`;
        if (!(r.recorded_on >= from && r.recorded_on <= to)) problems.push(`${at} recorded_on ${r.recorded_on}`);
        if (!(r.event_date <= r.recorded_on)) problems.push(`${at} event after recorded`);
        if (r.event_type === '减少' && !personKeys.every((k) => r[k] === '')) problems.push(`${at} 减少 with person columns`);
        if (r.event_type === '新增' && r.registered_on !== r.event_date) problems.push(`${at} 新增 registered_on ≠ event_date`);
      });
    }
    expect(problems.slice(0, 10)).toEqual([]);
  });

  test('replaying base + events (recorded by X) reproduces the snapshots of X exactly; state rules hold', () => {
    const base = rowsOf('2026-03-01/persons_20240930.csv');
    for (const target of ['2026-03-01/persons_20260228.csv', '2026-04-01/persons_20260331.csv']) {
      const day = dateOfFile(target);
      const state: PersonState = stateFromSnapshot(base);
      const problems: string[] = [];
      for (const e of events) {
        if (e.row.recorded_on > day) continue;
        const p = applyEvent(state, e);
        if (p) problems.push(p);
      }
      expect(problems.slice(0, 5)).toEqual([]);
      const snap = stateFromSnapshot(rowsOf(target));
      expect(snap.size).toBe(state.size);
      let differing = 0;
      for (const [id, rec] of state) if (JSON.stringify(snap.get(id)) !== JSON.stringify(rec)) differing++;
      expect(differing).toBe(0);
    }
  });

  test('truth.json month-end stocks, flows and festival counts equal the event-date replay of the raw files', () => {
    const months = g.truth.period.months;
    expect(months[0]).toBe('2024-10');
    expect(months.at(-1)).toBe('2026-03');
    const state = stateFromSnapshot(rowsOf('2026-03-01/persons_20240930.csv'));
    const monthEnd: Record<string, Record<string, Record<string, number>>> = {};
    const count = (m: string) => {
      const byCounty: Record<string, Record<string, number>> = {};
      for (const r of state.values()) {
        const c = (byCounty[r.village_code.slice(0, 6)] ??= { '10': 0, '21': 0, '22': 0, '23': 0, '24': 0, '30': 0, '40': 0, '50': 0, labour_force: 0, at_home: 0, away: 0, poverty_transfer: 0, relocated_transfer: 0 });
        c[r.employment_status]++;
        c.labour_force++;
        if (r.presence === '在乡') c.at_home++; else c.away++;
        const transfer = (TRANSFER_STATUSES as readonly string[]).includes(r.employment_status);
        if (transfer && r.poverty_alleviated === '是') c.poverty_transfer++;
        if (transfer && r.relocated === '是') c.relocated_transfer++;
      }
      monthEnd[m] = byCounty;
    };
    const festival: Record<string, Record<string, number>> = {};
    let mi = 0;
    for (const e of events) {
      while (mi < months.length && e.row.event_date > monthEndOf(months[mi])) count(months[mi++]);
      const p = applyEvent(state, e);
      if (p) throw new Error(p);
      if (e.row.reason === '返乡' || e.row.reason === '外出') {
        const y = e.row.event_date.slice(0, 4);
        for (const fy of [Number(y), Number(y) + 1]) {
          const f = springFestivalDate(fy);
          const d = Math.round((Date.parse(e.row.event_date) - Date.parse(f)) / 86_400_000);
          if (d >= -45 && d <= 60) {
            const key = `${fy}|${e.row.reason}|${d}`;
            festival[key] ??= {};
            const county = state.get(e.row.id_number)!.village_code.slice(0, 6);
            festival[key][county] = (festival[key][county] ?? 0) + 1;
          }
        }
      }
    }
    while (mi < months.length) count(months[mi++]);
    const diffs: string[] = [];
    for (const m of months) {
      for (const [county, counts] of Object.entries(g.truth.monthEnd[m])) {
        const mine = monthEnd[m][county];
        if (!mine ? counts.labour_force !== 0 : JSON.stringify(counts) !== JSON.stringify(mine)) diffs.push(`${m} ${county}: truth ${JSON.stringify(counts)} replay ${JSON.stringify(mine)}`);
      }
      if (!Object.keys(monthEnd[m]).every((c) => c in g.truth.monthEnd[m])) diffs.push(`${m}: county missing from truth`);
    }
    expect(diffs.slice(0, 5)).toEqual([]);
    // Festival daily counts.
    let compared = 0;
    for (const [year, byCounty] of Object.entries(g.truth.festival)) {
      for (const [county, v] of Object.entries(byCounty)) {
        for (let i = 0; i < 106; i++) {
          const d = i - 45;
          if (v.returned[i] !== (festival[`${year}|返乡|${d}`]?.[county] ?? 0)) diffs.push(`${year} ${county} returned day ${d}`);
          if (v.departed[i] !== (festival[`${year}|外出|${d}`]?.[county] ?? 0)) diffs.push(`${year} ${county} departed day ${d}`);
          compared += v.returned[i] + v.departed[i];
        }
      }
    }
    expect(diffs.slice(0, 5)).toEqual([]);
    expect(compared).toBeGreaterThan(5000);
  });

  test('truth.json flows equal the 新增/减少 events by event month, reason and home county', () => {
    const flows: Record<string, Record<string, { increases: Record<string, number>; decreases: Record<string, number> }>> = {};
    const home = new Map<string, string>();
    for (const r of rowsOf('2026-03-01/persons_20240930.csv')) home.set(r.id_number, r.village_code.slice(0, 6));
    for (const e of events) {
      if (e.row.village_code) home.set(e.row.id_number, e.row.village_code.slice(0, 6));
      if (e.row.event_type === '状态变更') continue;
      const m = e.row.event_date.slice(0, 7);
      if (!g.truth.period.months.includes(m)) continue;
      const c = home.get(e.row.id_number)!;
      const f = ((flows[m] ??= {})[c] ??= { increases: {}, decreases: {} });
      const side = e.row.event_type === '新增' ? f.increases : f.decreases;
      side[e.row.reason] = (side[e.row.reason] ?? 0) + 1;
    }
    let total = 0;
    const diffs: string[] = [];
    for (const [m, byCounty] of Object.entries(g.truth.flows)) {
      for (const [c, v] of Object.entries(byCounty)) {
        for (const side of ['increases', 'decreases'] as const) {
          for (const [reason, n] of Object.entries(v[side])) {
            if (n !== (flows[m]?.[c]?.[side][reason] ?? 0)) diffs.push(`${m} ${c} ${side} ${reason}`);
            total += n;
          }
        }
      }
    }
    expect(diffs.slice(0, 5)).toEqual([]);
    expect(total).toBeGreaterThan(500);
  });

  test('rosters list exactly the poverty-alleviated / relocated persons of the snapshot of their date', () => {
    for (const [roster, flag, type] of [['roster-poverty', 'poverty_alleviated', '脱贫劳动力'], ['roster-relocated', 'relocated', '易地搬迁']] as const) {
      for (const file of filesOf('roster').filter((f) => f.includes(roster))) {
        const day = dateOfFile(file);
        const snap = rowsOf(g.truth.files.find((f) => f.kind === 'persons' && dateOfFile(f.file) === day)!.file);
        const expected = snap.filter((r) => r[flag] === '是').map((r) => `${r.id_number}|${r.name}|${r.village_code}`).sort();
        const rows = rowsOf(file);
        expect(rows.map((r) => `${r.id_number}|${r.name}|${r.village_code}`).sort()).toEqual(expected);
        expect(rows.every((r) => r.roster_type === type && r.as_of === day && r.source !== '')).toBe(true);
        expect(rows.length).toBeGreaterThan(roster === 'roster-poverty' ? 1000 : 100);
      }
    }
  });

  test('points cover every village exactly once, one township per point', () => {
    const rows = rowsOf('2026-03-01/points_20260228.csv');
    const seen = new Map<string, string>();
    const problems: string[] = [];
    for (const r of rows) {
      for (const v of r.village_codes.split(';')) {
        if (seen.has(v)) problems.push(`${v} in ${seen.get(v)} and ${r.point_code}`);
        seen.set(v, r.point_code);
        if (v.slice(0, 9) !== r.township_code) problems.push(`${v} outside township of ${r.point_code}`);
      }
      if (!r.point_code.startsWith(`CJ${r.township_code}`) || !(r.established_on < '2024-10-01') || !r.point_name.endsWith('采集点')) problems.push(`${r.point_code} fields`);
    }
    expect(problems.slice(0, 5)).toEqual([]);
    expect(seen.size).toBe(villageSet.size);
    expect([...villageSet].every((v) => seen.has(v))).toBe(true);
    // Every person's point covers their village.
    expect(rowsOf('2026-03-01/persons_20260228.csv').filter((r) => seen.get(r.village_code) !== r.point_code)).toEqual([]);
  });

  test('submissions: one row per point and month; dates consistent with the status and not after the file date', () => {
    const points = rowsOf('2026-03-01/points_20260228.csv').length;
    const states: Record<string, Record<string, string>> = {};
    const order = ['未报送', '已报送', '退回', '乡镇已审核', '县级已复核'];
    const problems: string[] = [];
    const bad = (cond: boolean, what: string) => { if (!cond) problems.push(what); };
    for (const f of g.truth.files.filter((x) => x.kind === 'submissions').sort((a, b) => (a.file < b.file ? -1 : 1))) {
      const asOf = addDays(f.file.slice(0, 10), -1);
      const rows = rowsOf(f.file);
      expect(rows).toHaveLength(points);
      const month = /submissions_(\d{4})(\d{2})/.exec(f.file)!;
      for (const r of rows) {
        const at = `${f.file} ${r.point_code}`;
        bad(r.month === `${month[1]}-${month[2]}`, `${at} month`);
        for (const k of ['submitted_on', 'township_reviewed_on', 'county_verified_on']) if (r[k]) bad(r[k] <= asOf, `${at} ${k} after ${asOf}`);
        if (r.status === '未报送') bad(r.submitted_on + r.township_reviewed_on + r.county_verified_on + r.verified_count === '', `${at} 未报送 with values`);
        else bad(r.submitted_on !== '' && r.verified_count !== '', `${at} ${r.status} without date or count`);
        if (r.status === '县级已复核') bad(r.county_verified_on >= r.township_reviewed_on && r.township_reviewed_on >= r.submitted_on, `${at} dates out of order`);
        if (r.submitted_on) bad(r.submitted_on >= `${r.month}-20`, `${at} submitted before the 20th`);
        const prev = (states[r.month] ??= {})[r.point_code];
        if (prev && prev !== '退回' && r.status !== '退回') bad(order.indexOf(r.status) >= order.indexOf(prev), `${at} went back from ${prev} to ${r.status}`);
        states[r.month][r.point_code] = r.status;
      }
    }
    expect(problems.slice(0, 10)).toEqual([]);
    // Months long past are nearly all verified; the last month (as of its last day) only partly submitted.
    const old = rowsOf('2026-03-01/submissions_202501.csv');
    const shockPoints = new Set(g.truth.shocks.filter((s) => s.rule === 'point_not_reporting').map((s) => s.region));
    expect(old.filter((r) => r.status === '县级已复核').length / old.length).toBeGreaterThan(0.97);
    const last = rowsOf('2026-03-01/submissions_202602.csv');
    const submitted = last.filter((r) => r.status !== '未报送').length / last.length;
    expect(submitted).toBeGreaterThan(0.1);
    expect(submitted).toBeLessThan(0.6);
    const resent = rowsOf('2026-03-10/submissions_202602.csv');
    expect(resent.filter((r) => r.status !== '未报送' && !shockPoints.has(r.point_code)).length / resent.length).toBeGreaterThan(0.9);
  });

  test('recording lags: most events recorded within days, ~2% 10-40 days late, some crossing into a later month', () => {
    const lags = events.map((e) => (Date.parse(e.row.recorded_on) - Date.parse(e.row.event_date)) / 86_400_000);
    const within9 = lags.filter((l) => l <= 9).length / lags.length;
    const late = lags.filter((l) => l >= 10).length / lags.length;
    expect(within9).toBeGreaterThan(0.96);
    expect(late).toBeGreaterThan(0.005);
    expect(late).toBeLessThan(0.04);
    expect(events.filter((e) => e.row.event_date.slice(0, 7) < e.row.recorded_on.slice(0, 7) && e.file.includes('2026-04-0')).length).toBeGreaterThan(0);
  });
});
