/**
 * An independent replay of a generated province from its raw export files, in plain
 * TypeScript (no DuckDB, no warehouse code): the base persons snapshot plus every change
 * event applied in (event_date, recorded_on, row order) order gives the state at each
 * month end; flows and Spring Festival moves are counted by event date; collection-point
 * figures come from the points and submissions files. Clean (--dirty 0) UTF-8 CSV only.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { COLUMNS_BY_HEADER } from './contract-headers.ts';
import { springFestivalDate } from '../../warehouse/reference/festival.ts';

export interface VillageMonth {
  labour_force: number;
  status: Record<string, number>;
  at_home: number;
  away: number;
  poverty_transfer: number;
  relocated_transfer: number;
  increases: number;
  decreases: number;
  increasesByReason: Record<string, number>;
  decreasesByReason: Record<string, number>;
}

export interface ReplayPoint {
  code: string;
  township: string;
  villages: string[];
  establishedOn: string;
}

export interface ProvinceReplay {
  readonly months: string[];
  /** `${village}|${month}` → figures. */
  readonly villageMonth: Map<string, VillageMonth>;
  /** `${year}|${village}|${day}` → [returned, departed]. */
  readonly festival: Map<string, [number, number]>;
  readonly points: ReplayPoint[];
  /** `${point}|${month}` → submission. */
  readonly submissions: Map<string, { submittedOn: string | null; status: string }>;
  /** Cube check: `${village}|${month}|${status}|${sex}` → persons. */
  readonly statusSex: Map<string, number>;
}

/** RFC 4180 CSV (comma, quotes doubled, LF or CRLF); lines without quotes take a fast path. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let i = 0;
  while (i < text.length) {
    let nl = text.indexOf('\n', i);
    if (nl < 0) nl = text.length;
    const line = text.slice(i, nl).replace(/\r$/, '');
    if (!line.includes('"')) {
      rows.push(line.split(','));
      i = nl + 1;
      continue;
    }
    // Quoted fields, possibly spanning lines.
    const row: string[] = [];
    let cell = '';
    let quoted = false;
    for (; i < text.length; i++) {
      const ch = text[i];
      if (quoted) {
        if (ch === '"' && text[i + 1] === '"') {
          cell += '"';
          i++;
        } else if (ch === '"') quoted = false;
        else cell += ch;
      } else if (ch === '"') quoted = true;
      else if (ch === ',') {
        row.push(cell);
        cell = '';
      } else if (ch === '\n') break;
      else if (ch !== '\r') cell += ch;
    }
    row.push(cell);
    rows.push(row);
    i++;
  }
  return rows;
}

function readRecords(file: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(readFileSync(file, 'utf8').replace(/^\uFEFF/, ''));
  const keys = header.map((h) => COLUMNS_BY_HEADER.get(h) ?? h);
  return rows.filter((r) => r.length > 1).map((r) => Object.fromEntries(keys.map((k, i) => [k, r[i] ?? ''])));
}

const TRUE = new Set(['是', '1', 'Y', 'y', 'true', 'TRUE', 'True']);
const TRANSFER = new Set(['21', '22', '23', '24', '30']);

interface Person {
  active: boolean;
  village: string;
  status: string;
  presence: string;
  poverty: boolean;
  relocated: boolean;
  sex: string;
}

function monthsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  let [y, m] = from.split('-').map(Number);
  for (;;) {
    const id = `${y}-${String(m).padStart(2, '0')}`;
    if (id > to) return out;
    out.push(id);
    m++;
    if (m > 12) {
      m = 1;
      y++;
    }
  }
}

const dayDiff = (a: string, b: string) => Math.round((Date.parse(`${a}T00:00:00Z`) - Date.parse(`${b}T00:00:00Z`)) / 86_400_000);

export function replayProvince(inbox: string, from: string, to: string): ProvinceReplay {
  const batch = readdirSync(inbox).filter((d) => /^\d{4}-\d{2}-\d{2}$/.test(d)).sort()[0];
  const dir = join(inbox, batch);
  const files = readdirSync(dir);
  const base = files.filter((f) => f.startsWith('persons_')).sort()[0];
  const changes = files.find((f) => /^changes_\d{8}_\d{8}\.csv$/.test(f))!;
  const persons = new Map<string, Person>();
  for (const r of readRecords(join(dir, base))) {
    persons.set(r.id_number, { active: true, village: r.village_code, status: r.employment_status, presence: r.presence, poverty: TRUE.has(r.poverty_alleviated), relocated: TRUE.has(r.relocated), sex: r.sex });
  }
  const records = readRecords(join(dir, changes));
  const order = new Map(records.map((r, i) => [r, i]));
  const events = [...records].sort((a, b) => a.event_date.localeCompare(b.event_date) || a.recorded_on.localeCompare(b.recorded_on) || order.get(a)! - order.get(b)!);

  const months = monthsBetween(from, to);
  const villageMonth = new Map<string, VillageMonth>();
  const vm = (village: string, month: string) => {
    const k = `${village}|${month}`;
    let v = villageMonth.get(k);
    if (!v) {
      v = { labour_force: 0, status: {}, at_home: 0, away: 0, poverty_transfer: 0, relocated_transfer: 0, increases: 0, decreases: 0, increasesByReason: {}, decreasesByReason: {} };
      villageMonth.set(k, v);
    }
    return v;
  };
  const festival = new Map<string, [number, number]>();
  const statusSex = new Map<string, number>();
  const years = [...new Set(months.map((m) => Number(m.slice(0, 4))))];
  let e = 0;
  for (const month of months) {
    const end = `${month}-31`;
    for (; e < events.length && events[e].event_date <= end; e++) {
      const ev = events[e];
      let p = persons.get(ev.id_number);
      const evMonth = ev.event_date.slice(0, 7);
      if (ev.event_type === '新增') {
        p = { active: true, village: ev.village_code, status: ev.employment_status, presence: ev.presence, poverty: TRUE.has(ev.poverty_alleviated), relocated: TRUE.has(ev.relocated), sex: ev.sex };
        persons.set(ev.id_number, p);
        const f = vm(p.village, evMonth);
        f.increases++;
        f.increasesByReason[ev.reason] = (f.increasesByReason[ev.reason] ?? 0) + 1;
        continue;
      }
      if (!p || !p.active) throw new Error(`replay: event for a person not active: row ${order.get(ev)! + 2} of ${changes}`);
      if (ev.event_type === '减少') {
        p.active = false;
        const f = vm(p.village, evMonth);
        f.decreases++;
        f.decreasesByReason[ev.reason] = (f.decreasesByReason[ev.reason] ?? 0) + 1;
        continue;
      }
      if (ev.village_code) p.village = ev.village_code;
      if (ev.employment_status) p.status = ev.employment_status;
      if (ev.presence) p.presence = ev.presence;
      if (ev.poverty_alleviated) p.poverty = TRUE.has(ev.poverty_alleviated);
      if (ev.relocated) p.relocated = TRUE.has(ev.relocated);
      if (ev.sex) p.sex = ev.sex;
      if (ev.reason === '返乡' || ev.reason === '外出') {
        for (const y of years) {
          const d = dayDiff(ev.event_date, springFestivalDate(y));
          if (d < -45 || d > 60) continue;
          const k = `${y}|${p.village}|${d}`;
          const cur = festival.get(k) ?? [0, 0];
          cur[ev.reason === '返乡' ? 0 : 1]++;
          festival.set(k, cur);
        }
      }
    }
    for (const p of persons.values()) {
      if (!p.active) continue;
      const f = vm(p.village, month);
      f.labour_force++;
      f.status[p.status] = (f.status[p.status] ?? 0) + 1;
      if (p.presence === '在乡') f.at_home++;
      else f.away++;
      if (p.poverty && TRANSFER.has(p.status)) f.poverty_transfer++;
      if (p.relocated && TRANSFER.has(p.status)) f.relocated_transfer++;
      const k = `${p.village}|${month}|${p.status}|${p.sex}`;
      statusSex.set(k, (statusSex.get(k) ?? 0) + 1);
    }
  }

  const pointsFile = files.filter((f) => f.startsWith('points_')).sort().pop()!;
  const points = readRecords(join(dir, pointsFile)).map((r) => ({ code: r.point_code, township: r.township_code, villages: r.village_codes.split(';'), establishedOn: r.established_on }));
  const submissions = new Map<string, { submittedOn: string | null; status: string }>();
  for (const f of files.filter((x) => x.startsWith('submissions_')).sort()) {
    for (const r of readRecords(join(dir, f))) submissions.set(`${r.point_code}|${r.month}`, { submittedOn: r.submitted_on || null, status: r.status });
  }
  return { months, villageMonth, festival, points, submissions, statusSex };
}
