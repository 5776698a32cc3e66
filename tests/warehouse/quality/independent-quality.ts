/**
 * An independent recomputation of the quality figures from the raw export files, in
 * plain TypeScript (no SQL): the registry replayed from the base snapshot and the change
 * events (dirty rows of truth.json skipped) in (event date, recorded date, row) order,
 * the record checks of warehouse/quality/record-checks.ts applied to every person at
 * every month's reference date, coverage from the points file, timeliness from the
 * submissions files, the rosters against the registry. Results per county.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readExport, type RawRow, type Truth } from './raw-export.ts';

export interface Person {
  id: string;
  active: boolean;
  village: string;
  status: string | null;
  presence: string | null;
  workRegion: string | null;
  birth: string;
  income: number | null;
  verifiedOn: string | null;
  poverty: boolean;
  relocated: boolean;
  phone: string | null;
  phoneKey: string; // recorded_on|row of the phone's record, for "latest phone"
}

export interface ReplayEvent {
  id: string;
  eventDate: string;
  recordedOn: string;
  row: number;
  type: string;
  reason: string;
  values: Record<string, string | null>;
}

const FLAG_TRUE = new Set(['是', '1', 'Y', 'y', 'true', 'TRUE', 'True']);
const county = (village: string) => village.slice(0, 6);

export function addMonthsClamped(iso: string, n: number): string {
  const [y, m, d] = iso.split('-').map(Number);
  const idx = y * 12 + (m - 1) + n;
  const ny = Math.floor(idx / 12);
  const nm = (idx % 12) + 1;
  const last = new Date(Date.UTC(ny, nm, 0)).getUTCDate();
  return `${ny}-${String(nm).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

export function lastDayOf(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return `${month}-${String(new Date(Date.UTC(y, m, 0)).getUTCDate()).padStart(2, '0')}`;
}

export function monthsBetween(a: string, b: string): string[] {
  const out: string[] = [];
  for (let m = a; m <= b; m = addMonthsClamped(`${m}-01`, 1).slice(0, 7)) out.push(m);
  return out;
}

export function ageOn(birth: string, ref: string): number {
  return Number(ref.slice(0, 4)) - Number(birth.slice(0, 4)) - (ref.slice(5) < birth.slice(5) ? 1 : 0);
}

export interface Settings {
  staleMonths: number;
  pensionAge: number;
  incomeMax: number;
  wageIncomeMin: number;
  sharedPhoneMin: number;
  flipDays: number;
  deadlineDay: number;
  largeVillageThreshold: number;
}

export function stateFindings(p: Person, ref: string, s: Settings): Set<string> {
  const f = new Set<string>();
  if (p.verifiedOn === null || addMonthsClamped(p.verifiedOn, s.staleMonths) <= ref) f.add('stale');
  const home = county(p.village);
  const wr = p.workRegion;
  let ok = true;
  if (p.status === '21') ok = wr === home;
  else if (p.status === '22') ok = wr !== null && wr.startsWith('51') && wr !== home;
  else if (p.status === '23') ok = wr !== null && !wr.startsWith('51') && wr !== '990000';
  else if (p.status === '24') ok = wr === '990000';
  if (!ok) f.add('status_work_region');
  if (ageOn(p.birth, ref) >= s.pensionAge) f.add('age_over_limit');
  if (p.income !== null && (p.income > s.incomeMax || (['21', '22', '23', '24'].includes(p.status ?? '') && p.income < s.wageIncomeMin))) f.add('income_out_of_range');
  return f;
}

export interface EventFinding {
  check: 'presence_reason_conflict' | 'status_flip';
  id: string;
  county: string;
  month: string;
}

export interface Replay {
  readonly persons: Map<string, Person>;
  /** Per month: county → counts of active and each state check at the month's reference date. */
  readonly monthly: Map<string, Map<string, Record<string, number>>>;
  readonly eventFindings: EventFinding[];
  /** Active persons at the data date. */
  readonly atEnd: Map<string, Person>;
  /** Active persons at the end of a given day (computed on request before the replay ends). */
  readonly stateAt: Map<string, Map<string, Person>>;
}

function applyPerson(p: Person, v: Record<string, string | null>, key: string): void {
  const set = (k: string, f: (x: string) => void) => {
    const x = v[k];
    if (x !== null && x !== undefined && x !== '') f(x);
  };
  set('户籍村代码', (x) => (p.village = x));
  set('就业状态', (x) => (p.status = x));
  set('所在状态', (x) => (p.presence = x));
  set('就业地区代码', (x) => (p.workRegion = x));
  set('出生日期', (x) => (p.birth = x.replaceAll('/', '-').replace(/^(\d{4})(\d{2})(\d{2})$/, '$1-$2-$3')));
  set('月收入', (x) => (p.income = Number(x)));
  set('核实日期', (x) => (p.verifiedOn = x.replaceAll('/', '-').replace(/^(\d{4})(\d{2})(\d{2})$/, '$1-$2-$3')));
  set('脱贫劳动力', (x) => (p.poverty = FLAG_TRUE.has(x)));
  set('易地搬迁', (x) => (p.relocated = FLAG_TRUE.has(x)));
  set('联系电话', (x) => {
    if (key >= p.phoneKey) {
      p.phone = x;
      p.phoneKey = key;
    }
  });
}

function newPerson(id: string, v: Record<string, string | null>, key: string): Person {
  const p: Person = {
    id,
    active: true,
    village: '',
    status: null,
    presence: null,
    workRegion: null,
    birth: '',
    income: null,
    verifiedOn: null,
    poverty: false,
    relocated: false,
    phone: null,
    phoneKey: '',
  };
  applyPerson(p, v, key);
  return p;
}

const clone = (p: Person): Person => ({ ...p });

export async function replayRegistry(o: {
  batchDir: string;
  batch: string;
  truth: Truth;
  firstMonth: string;
  lastMonth: string;
  dataAsOf: string;
  settings: Settings;
  /** Days whose end-of-day state is kept in stateAt. */
  keepDays?: readonly string[];
}): Promise<Replay> {
  const files = readdirSync(o.batchDir);
  const dirty = new Set(o.truth.dirtyRows.map((d) => `${d.file}#${d.row}`));
  const clean = (file: string, rows: RawRow[]) => rows.filter((r) => !dirty.has(`${o.batch}/${file}#${r.row}`));
  const personsFiles = files.filter((f) => f.startsWith('persons_')).sort();
  const baseFile = personsFiles[0];
  const baseDate = `${baseFile.slice(8, 12)}-${baseFile.slice(12, 14)}-${baseFile.slice(14, 16)}`;
  const persons = new Map<string, Person>();
  for (const r of clean(baseFile, await readExport(join(o.batchDir, baseFile)))) {
    const id = String(r.values['公民身份号码']).toUpperCase();
    persons.set(id, newPerson(id, r.values, `${baseDate}|0|${String(r.row).padStart(9, '0')}`));
  }
  const events: ReplayEvent[] = [];
  for (const f of files.filter((x) => x.startsWith('changes_')).sort()) {
    for (const r of clean(f, await readExport(join(o.batchDir, f)))) {
      events.push({
        id: String(r.values['公民身份号码']).toUpperCase(),
        eventDate: String(r.values['变动日期']),
        recordedOn: String(r.values['录入日期']),
        row: r.row,
        type: String(r.values['变动类型']),
        reason: String(r.values['变动原因']),
        values: r.values,
      });
    }
  }
  events.sort((a, b) => (a.eventDate < b.eventDate ? -1 : a.eventDate > b.eventDate ? 1 : a.recordedOn < b.recordedOn ? -1 : a.recordedOn > b.recordedOn ? 1 : a.row - b.row));

  const months = monthsBetween(o.firstMonth, o.lastMonth);
  const refs = months.map((m) => ({ month: m, ref: lastDayOf(m) < o.dataAsOf ? lastDayOf(m) : o.dataAsOf }));
  const monthly = new Map<string, Map<string, Record<string, number>>>();
  const stateAt = new Map<string, Map<string, Person>>();
  const keep = [...(o.keepDays ?? [])].sort();
  const eventFindings: EventFinding[] = [];
  const statusChanges = new Map<string, { date: string; before: string; after: string; county: string }[]>();
  const snapshotCounts = (ref: string) => {
    const byCounty = new Map<string, Record<string, number>>();
    for (const p of persons.values()) {
      if (!p.active) continue;
      const c = county(p.village);
      let rec = byCounty.get(c);
      if (!rec) byCounty.set(c, (rec = { active: 0, stale: 0, status_work_region: 0, age_over_limit: 0, income_out_of_range: 0 }));
      rec.active++;
      for (const f of stateFindings(p, ref, o.settings)) rec[f]++;
    }
    return byCounty;
  };
  const snapshot = () => new Map([...persons].filter(([, p]) => p.active).map(([id, p]) => [id, clone(p)]));
  let ei = 0;
  const advanceTo = (day: string) => {
    while (ei < events.length && (events[ei].eventDate < baseDate ? baseDate : events[ei].eventDate) <= day) {
      const e = events[ei++];
      const key = `${e.recordedOn}|1|${String(e.row).padStart(9, '0')}`;
      let p = persons.get(e.id);
      const before = p && p.active ? { status: p.status, presence: p.presence } : null;
      if (e.type === '新增') {
        const fresh = newPerson(e.id, e.values, key);
        if (p && p.phone !== null && fresh.phone === null) (fresh.phone = p.phone), (fresh.phoneKey = p.phoneKey);
        persons.set(e.id, (p = fresh));
      } else if (e.type === '减少') {
        if (p) p.active = false;
      } else if (p) applyPerson(p, e.values, key);
      if (e.type === '状态变更' && p && before) {
        const inRange = e.eventDate >= `${o.firstMonth}-01` && e.eventDate <= o.dataAsOf;
        const c = county(p.village);
        if (inRange && ((e.reason === '返乡' && (before.presence !== '在外' || p.presence !== '在乡')) || (e.reason === '外出' && (before.presence !== '在乡' || p.presence !== '在外')))) {
          eventFindings.push({ check: 'presence_reason_conflict', id: e.id, county: c, month: e.eventDate.slice(0, 7) });
        }
      }
      const after = p && p.active ? p.status : null;
      const b = before?.status ?? null;
      if (b !== null && after !== null && b !== after && p) {
        let l = statusChanges.get(e.id);
        if (!l) statusChanges.set(e.id, (l = []));
        l.push({ date: e.eventDate, before: b, after, county: county(p.village) });
      }
    }
  };
  for (const { month, ref } of refs) {
    for (const d of keep) if (d <= ref && !stateAt.has(d)) (advanceTo(d), stateAt.set(d, snapshot()));
    advanceTo(ref);
    monthly.set(month, snapshotCounts(ref));
  }
  for (const d of keep) if (!stateAt.has(d)) (advanceTo(d), stateAt.set(d, snapshot()));
  for (const [id, l] of statusChanges) {
    for (let i = 0; i + 1 < l.length; i++) {
      const a = l[i];
      const n = l[i + 1];
      const days = (Date.parse(n.date) - Date.parse(a.date)) / 86_400_000;
      if (n.before === a.after && n.after === a.before && days <= o.settings.flipDays && a.date >= `${o.firstMonth}-01` && a.date <= o.dataAsOf) {
        eventFindings.push({ check: 'status_flip', id, county: a.county, month: a.date.slice(0, 7) });
      }
    }
  }
  const atEnd = new Map([...persons].filter(([, p]) => p.active));
  return { persons, monthly, eventFindings, atEnd, stateAt };
}

/** Persons active at the data date sharing a phone with sharedPhoneMin+ others, by county. */
export function sharedPhones(atEnd: Map<string, Person>, min: number): Map<string, string[]> {
  const byPhone = new Map<string, Person[]>();
  for (const p of atEnd.values()) {
    if (!p.phone) continue;
    const d = p.phone.replace(/\D/g, '');
    let l = byPhone.get(d);
    if (!l) byPhone.set(d, (l = []));
    l.push(p);
  }
  const out = new Map<string, string[]>();
  for (const l of byPhone.values()) {
    if (l.length < min) continue;
    for (const p of l) {
      const c = county(p.village);
      out.set(c, [...(out.get(c) ?? []), p.id]);
    }
  }
  return out;
}
