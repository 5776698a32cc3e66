/**
 * An independent recomputation of the warehouse's figures from the raw export files, in
 * plain TypeScript (表库相符): its own file decoding (TextDecoder / iconv-lite / exceljs),
 * its own row validation, its own replay of each person's history. It shares only the
 * contract's constants and the reference data (regions, ID check characters, festival
 * dates) with the warehouse, never its SQL.
 *
 * Result: month-end counts per home county and status, increases and decreases per
 * month, county and reason, Spring Festival daily returns and departures per county,
 * and the rejected rows (file, row, reason, column).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import ExcelJS from 'exceljs';
import { COLUMNS, columnKeyOf, type FileKind } from '../../warehouse/contract/columns.ts';
import {
  ABROAD_REGION_CODE, EMPLOYMENT_STATUS, EVENT_REASONS, FLAG_FALSE, FLAG_TRUE, SERVICE_NEEDS, TRANSFER_STATUSES, WORK_REGION_STATUSES,
} from '../../warehouse/contract/codes.ts';
import { CHECK_ORDER, type RejectReason } from '../../warehouse/contract/reject-reasons.ts';
import { parseExportFileName, type ExportFileName } from '../../warehouse/contract/file-name.ts';
import { idBirthDate, idNumberProblem, idSex } from '../../warehouse/reference/id-number.ts';
import { loadRegions } from '../../warehouse/reference/regions.ts';
import { FESTIVAL_WINDOW, springFestivalDate } from '../../warehouse/reference/festival.ts';

type Rec = Record<string, string>;

export interface Rejected {
  readonly file: string;
  readonly row: number;
  readonly reason: RejectReason;
  readonly column: string | null;
}

export interface ReplayResult {
  readonly dataAsOf: string;
  readonly monthEnd: Record<string, Record<string, Record<string, number>>>;
  readonly flows: Record<string, Record<string, { increases: Record<string, number>; decreases: Record<string, number> }>>;
  readonly festival: Record<string, Record<string, { returned: number[]; departed: number[] }>>;
  readonly rejected: Rejected[];
}

// ---------- reading files ----------

function decodeText(bytes: Buffer): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(3));
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return iconv.decode(bytes, 'gb18030');
  }
}

/** RFC 4180 records of a text; returns [fields, startLine]. */
function parseCsv(text: string, delimiter: string): { fields: string[]; line: number }[] {
  const out: { fields: string[]; line: number }[] = [];
  let fields: string[] = [];
  let cur = '';
  let quoted = false;
  let line = 1;
  let start = 1;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          cur += '"';
          i++;
        } else quoted = false;
      } else {
        if (ch === '\n') line++;
        cur += ch;
      }
    } else if (ch === '"') quoted = true;
    else if (ch === delimiter) {
      fields.push(cur);
      cur = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      fields.push(cur);
      out.push({ fields, line: start });
      fields = [];
      cur = '';
      line++;
      start = line;
    } else cur += ch;
  }
  if (cur !== '' || fields.length > 0) {
    fields.push(cur);
    out.push({ fields, line: start });
  }
  return out;
}

interface FileRows {
  readonly rows: { rec: Rec; row: number }[];
  readonly malformed: number[];
}

/** The rows of an export file (any contract format), keyed by contract column. */
export async function readRows(path: string, kind: FileKind): Promise<FileRows> {
  let records: { fields: string[]; line: number }[];
  if (path.endsWith('.xlsx')) {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(path);
    const ws = wb.worksheets[0];
    records = [];
    const width = ws.columnCount;
    ws.eachRow({ includeEmpty: false }, (r, n) => {
      const vals: string[] = [];
      for (let c = 1; c <= width; c++) {
        const v = r.getCell(c).value;
        vals.push(v === null || v === undefined ? '' : v instanceof Date ? v.toISOString().slice(0, 10) : String(v));
      }
      records.push({ fields: vals, line: n });
    });
  } else {
    const text = decodeText(readFileSync(path));
    const header = text.slice(0, text.indexOf('\n'));
    records = parseCsv(text, header.includes('\t') ? '\t' : ',');
  }
  const [head, ...body] = records;
  const keys = head.fields.map((h) => columnKeyOf(kind, h));
  const rows: { rec: Rec; row: number }[] = [];
  const malformed: number[] = [];
  for (const r of body) {
    if (r.fields.length === 1 && r.fields[0] === '') continue;
    if (r.fields.length !== head.fields.length) {
      malformed.push(r.line);
      continue;
    }
    const rec: Rec = {};
    keys.forEach((k, i) => {
      if (k) rec[k] = r.fields[i].trim();
    });
    rows.push({ rec, row: r.line });
  }
  return { rows, malformed };
}

// ---------- validation ----------

const regions = loadRegions();
const FLAGS_T = new Set<string>(FLAG_TRUE);
const FLAGS_F = new Set<string>(FLAG_FALSE);
const NEEDS = new Set<string>(SERVICE_NEEDS.map((n) => n.code));
const OTHER_PROVINCES = new Set(['11', '12', '13', '14', '15', '21', '22', '23', '31', '32', '33', '34', '35', '36', '37', '41', '42', '43', '44', '45', '46', '50', '52', '53', '54', '61', '62', '63', '64', '65', '71', '81', '82']);

function toIso(v: string): string | undefined {
  let m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(v) ?? /^(\d{4})\/(\d{2})\/(\d{2})$/.exec(v);
  if (!m) return undefined;
  const iso = `${m[1]}-${m[2]}-${m[3]}`;
  const t = Date.parse(`${iso}T00:00:00Z`);
  if (Number.isNaN(t) || new Date(t).toISOString().slice(0, 10) !== iso) return undefined;
  return iso;
}

function age(birth: string, on: string): number {
  let a = Number(on.slice(0, 4)) - Number(birth.slice(0, 4));
  if (on.slice(5) < birth.slice(5)) a--;
  return a;
}

const flagOf = (v: string | undefined): boolean | undefined => (v === undefined || v === '' ? undefined : FLAGS_T.has(v) ? true : FLAGS_F.has(v) ? false : undefined);

interface Problem {
  reason: RejectReason;
  column: string | null;
}

function rowProblem(kind: FileKind, r: Rec, fileDate: string, points: ReadonlySet<string>, rosterType?: string): Problem | undefined {
  const cols = COLUMNS[kind];
  const problems: Problem[] = [];
  const p = (reason: RejectReason, column: string | null) => problems.push({ reason, column });
  const v = (k: string) => (r[k] === undefined || r[k] === '' ? undefined : r[k]);
  const isAdd = r.event_type === '新增';
  const personRequired = new Set(COLUMNS.persons.filter((c) => c.required).map((c) => c.key));
  for (const c of cols) {
    if (v(c.key) !== undefined) continue;
    if (c.required || (kind === 'changes' && isAdd && personRequired.has(c.key))) p('missing_required', c.key);
  }
  const id = v('id_number')?.toUpperCase();
  if (id !== undefined) {
    const prob = idNumberProblem(id);
    if (prob === 'format' || prob === 'birth_date') p('bad_id_format', 'id_number');
    else if (prob === 'check_character') p('bad_check_character', 'id_number');
  }
  for (const c of cols) {
    const x = v(c.key);
    if (x === undefined) continue;
    if (c.type === 'date' && toIso(x) === undefined) p('invalid_date', c.key);
    if (c.type === 'month' && !(/^\d{4}-\d{2}$/.test(x) && toIso(`${x}-01`))) p('invalid_date', c.key);
    if (c.type === 'code' && !(c.codes ?? []).some((k) => k.code === x)) p('invalid_code', c.key);
    if (c.type === 'flag' && flagOf(x) === undefined) p('invalid_code', c.key);
    if (c.type === 'code_list' && !x.split(';').every((n) => NEEDS.has(n))) p('invalid_code', c.key);
    if (c.type === 'int') {
      if (!/^-?\d{1,12}$/.test(x)) p('invalid_number', c.key);
      else if ((c.min !== undefined && Number(x) < c.min) || (c.max !== undefined && Number(x) > c.max)) p('value_out_of_range', c.key);
    }
    if (c.maxLength !== undefined && [...x].length > c.maxLength) p('too_long', c.key);
  }
  if (kind === 'roster' && v('roster_type') !== undefined && v('roster_type') !== rosterType) p('invalid_code', 'roster_type');
  if (id !== undefined && idNumberProblem(id) === undefined) {
    if (v('sex') !== undefined && v('sex') !== idSex(id)) p('sex_mismatch', 'sex');
    const b = v('birth_date') && toIso(v('birth_date')!);
    if (b && b !== idBirthDate(id)) p('birth_date_mismatch', 'birth_date');
  }
  const birth = v('birth_date') && toIso(v('birth_date')!);
  if (birth && age(birth, fileDate) < 16) p('under_16', 'birth_date');
  for (const c of cols) {
    if (c.type !== 'date' || c.key === 'birth_date' || c.key === 'established_on') continue;
    const d = v(c.key) && toIso(v(c.key)!);
    if (d && d > fileDate) p('future_date', c.key);
  }
  if (kind === 'changes') {
    const e = v('event_date') && toIso(v('event_date')!);
    const rec = v('recorded_on') && toIso(v('recorded_on')!);
    if (e && rec && e > rec) p('event_after_recorded', 'event_date');
    const type = v('event_type') as keyof typeof EVENT_REASONS | undefined;
    if (type && EVENT_REASONS[type] && v('reason') !== undefined && !EVENT_REASONS[type].some((x) => x.code === v('reason'))) p('invalid_reason', 'reason');
  }
  const village = v('village_code');
  if (village !== undefined && regions.byCode.get(village)?.level !== 'village') p('unknown_village', 'village_code');
  if (kind !== 'points' && v('point_code') !== undefined && !points.has(v('point_code')!)) p('unknown_point', 'point_code');
  const status = v('employment_status');
  const wr = v('work_region_code');
  if ((kind === 'persons' || (kind === 'changes' && isAdd)) && status && (WORK_REGION_STATUSES as readonly string[]).includes(status) && wr === undefined) {
    p('work_region_required', 'work_region_code');
  }
  if (wr !== undefined) {
    const ok = /^\d{6}$/.test(wr) && (wr === ABROAD_REGION_CODE || OTHER_PROVINCES.has(wr.slice(0, 2)) || ['province', 'city', 'county'].includes(regions.byCode.get(wr)?.level ?? ''));
    if (!ok) p('invalid_work_region', 'work_region_code');
  }
  if (problems.length === 0) return undefined;
  const order = (x: Problem) => CHECK_ORDER.indexOf(x.reason) * 100 + (x.column === null ? 0 : cols.findIndex((c) => c.key === x.column));
  return problems.sort((a, b) => order(a) - order(b))[0];
}

// ---------- replay ----------

interface Event {
  readonly id: string;
  readonly date: string;
  readonly recorded: string;
  readonly type: '新增' | '减少' | '状态变更';
  readonly reason: string;
  readonly values: Rec; // non-empty person columns (point_code and review_status included)
  readonly order: string; // batch/file/row for ties
}

interface Person {
  base?: Rec;
  baseDate?: string;
  events: Event[];
}

const sortEvents = (a: Event, b: Event) =>
  a.date < b.date ? -1 : a.date > b.date ? 1 : a.recorded < b.recorded ? -1 : a.recorded > b.recorded ? 1 : a.order < b.order ? -1 : a.order > b.order ? 1 : 0;

const PERSON_KEYS = COLUMNS.persons.map((c) => c.key).filter((k) => k !== 'id_number');

function lastDay(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
}
function nextMonth(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}
function addDays(iso: string, n: number): string {
  return new Date(Date.parse(`${iso}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}
function fileDateOf(name: ExportFileName, batch: string): string {
  if (name.kind === 'changes') return name.to!;
  if (name.kind === 'submissions') return batch;
  return name.date!;
}

export async function replayInbox(inbox: string): Promise<ReplayResult> {
  const batches = readdirSync(inbox).filter((b) => /^\d{4}-\d{2}-\d{2}$/.test(b)).sort();
  const persons = new Map<string, Person>();
  const points = new Set<string>();
  const rejected: Rejected[] = [];
  let baseLoaded = false;
  let baseDate = '';
  let dataAsOf = '';
  const get = (id: string) => {
    let p = persons.get(id);
    if (!p) persons.set(id, (p = { events: [] }));
    return p;
  };

  for (const batch of batches) {
    const files = readdirSync(join(inbox, batch))
      .map((f) => ({ f, name: parseExportFileName(f) }))
      .filter((x): x is { f: string; name: ExportFileName } => x.name !== undefined);
    const personsFiles = files.filter((x) => x.name.kind === 'persons').sort((a, b) => a.name.date!.localeCompare(b.name.date!));
    const order = [
      ...files.filter((x) => x.name.kind === 'points'),
      ...(baseLoaded ? [] : personsFiles.slice(0, 1)),
      ...files.filter((x) => x.name.kind === 'changes').sort((a, b) => a.f.localeCompare(b.f)),
      ...(baseLoaded ? personsFiles : personsFiles.slice(1)),
    ]; // submissions and rosters hold no person figures (and no planted rows): not needed here
    for (const { f, name } of order) {
      const rel = `${batch}/${f}`;
      const fileDate = fileDateOf(name, batch);
      const rosterType = name.roster === 'poverty' ? '脱贫劳动力' : name.roster === 'relocated' ? '易地搬迁' : undefined;
      const { rows, malformed } = await readRows(join(inbox, batch, f), name.kind);
      for (const row of malformed) rejected.push({ file: rel, row, reason: 'malformed_row', column: null });
      const ok: { rec: Rec; row: number }[] = [];
      for (const r of rows) {
        const prob = rowProblem(name.kind, r.rec, fileDate, points, rosterType);
        if (prob) rejected.push({ file: rel, row: r.row, ...prob });
        else ok.push(r);
      }
      // duplicates
      let good = ok;
      if (name.kind === 'persons' || name.kind === 'roster') {
        const n = new Map<string, number>();
        for (const r of rows) {
          const id = (r.rec.id_number ?? '').toUpperCase();
          if (id) n.set(id, (n.get(id) ?? 0) + 1);
        }
        good = ok.filter((r) => {
          if ((n.get(r.rec.id_number.toUpperCase()) ?? 0) > 1) {
            rejected.push({ file: rel, row: r.row, reason: 'duplicate_id', column: 'id_number' });
            return false;
          }
          return true;
        });
      } else {
        const keyOf = (r: Rec) =>
          name.kind === 'points' ? r.point_code : name.kind === 'submissions' ? `${r.point_code}|${r.month}` : COLUMNS.changes.map((c) => r[c.key] ?? '').join('|').toUpperCase();
        const seen = new Set<string>();
        const firsts = new Set<number>();
        for (const r of rows) {
          const k = keyOf(r.rec);
          if (!seen.has(k)) {
            seen.add(k);
            firsts.add(r.row);
          }
        }
        good = ok.filter((r) => {
          if (!firsts.has(r.row)) {
            rejected.push({ file: rel, row: r.row, reason: 'duplicate_key', column: name.kind === 'changes' ? null : 'point_code' });
            return false;
          }
          return true;
        });
      }

      if (name.kind === 'points') {
        for (const r of good) points.add(r.rec.point_code);
      } else if (name.kind === 'persons' && !baseLoaded) {
        baseLoaded = true;
        baseDate = fileDate;
        for (const r of good) {
          const p = get(r.rec.id_number.toUpperCase());
          p.base = r.rec;
          p.baseDate = fileDate;
        }
      } else if (name.kind === 'changes') {
        if (fileDate > dataAsOf) dataAsOf = fileDate;
        applyChanges(good, rel, get, rejected);
      }
    }
  }
  if (!dataAsOf || dataAsOf < baseDate) dataAsOf = baseDate;
  return { dataAsOf, ...aggregate(persons, baseDate, dataAsOf), rejected };
}

/** Judges the file's candidate events against each person's history (merged order) and accepts the valid ones. */
function applyChanges(good: { rec: Rec; row: number }[], rel: string, get: (id: string) => Person, rejected: Rejected[]): void {
  const cands = new Map<string, { ev: Event; row: number }[]>();
  for (const r of good) {
    const id = r.rec.id_number.toUpperCase();
    const values: Rec = {};
    if (r.rec.event_type !== '减少') for (const k of PERSON_KEYS) if (r.rec[k]) values[k] = r.rec[k];
    const ev: Event = {
      id,
      date: toIso(r.rec.event_date)!,
      recorded: toIso(r.rec.recorded_on)!,
      type: r.rec.event_type as Event['type'],
      reason: r.rec.reason,
      values,
      order: `${rel}#${String(r.row).padStart(9, '0')}`,
    };
    const list = cands.get(id) ?? [];
    list.push({ ev, row: r.row });
    cands.set(id, list);
  }
  for (const [id, list] of cands) {
    const p = get(id);
    const candSet = new Set(list.map((x) => x.ev));
    const merged = [...p.events, ...list.map((x) => x.ev)].sort(sortEvents);
    let active = p.base !== undefined;
    let registered = p.base ? toIso(p.base.registered_on) : undefined;
    const bad = new Set<Event>();
    for (const e of merged) {
      if (candSet.has(e)) {
        let reason: RejectReason | undefined;
        let column: string | null = null;
        if (e.type === '新增' && active) [reason, column] = ['add_person_already_active', 'id_number'];
        else if (e.type !== '新增' && !active) [reason, column] = ['event_person_not_active', 'id_number'];
        else if (e.type !== '新增' && registered && e.date < registered) [reason, column] = ['event_before_registration', 'event_date'];
        if (reason) {
          bad.add(e);
          const row = list.find((x) => x.ev === e)!.row;
          rejected.push({ file: rel, row, reason, column });
        }
      }
      const valid = !bad.has(e);
      if (e.type === '新增') {
        if (valid) registered = toIso(e.values.registered_on) ?? registered;
        active = true;
      } else if (e.type === '减少') active = false;
      else if (valid && e.values.registered_on) registered = toIso(e.values.registered_on);
    }
    for (const x of list) if (!bad.has(x.ev)) p.events.push(x.ev);
  }
}

const STATUS_FIELDS = EMPLOYMENT_STATUS.map((s) => s.code);
const TRANSFER = new Set<string>(TRANSFER_STATUSES);

function aggregate(persons: Map<string, Person>, baseDate: string, dataAsOf: string) {
  const months: { month: string; end: string }[] = [];
  for (let m = addDays(baseDate, 1).slice(0, 7); m <= dataAsOf.slice(0, 7); m = nextMonth(m)) {
    months.push({ month: m, end: lastDay(m) < dataAsOf ? lastDay(m) : dataAsOf });
  }
  const festivalYears: number[] = [];
  for (let y = Number(baseDate.slice(0, 4)); y <= Number(dataAsOf.slice(0, 4)) + 1; y++) {
    const d0 = springFestivalDate(y);
    if (addDays(d0, -FESTIVAL_WINDOW.before) <= dataAsOf && addDays(d0, FESTIVAL_WINDOW.after) > baseDate) festivalYears.push(y);
  }
  const monthEnd: ReplayResult['monthEnd'] = {};
  const flows: ReplayResult['flows'] = {};
  const festival: ReplayResult['festival'] = {};
  const days = FESTIVAL_WINDOW.before + FESTIVAL_WINDOW.after + 1;

  for (const p of persons.values()) {
    const events = [...p.events].sort(sortEvents);
    let state: Rec | undefined = p.base ? { ...p.base } : undefined;
    let active = p.base !== undefined;
    let i = 0;
    for (const m of months) {
      for (; i < events.length && events[i].date <= m.end; i++) {
        const e = events[i];
        const before = active && state ? state : undefined;
        if (e.type === '新增') {
          state = { ...e.values };
          active = true;
        } else if (e.type === '减少') active = false;
        else if (active && state) Object.assign(state, e.values);
        const county = (e.type === '减少' ? before : state)?.village_code?.slice(0, 6) ?? '';
        const em = e.date.slice(0, 7);
        if (e.type === '新增' || e.type === '减少') {
          const c = (((flows[em] ??= {})[county] ??= { increases: {}, decreases: {} }));
          const bucket = e.type === '新增' ? c.increases : c.decreases;
          bucket[e.reason] = (bucket[e.reason] ?? 0) + 1;
        }
        if (e.type === '状态变更' && (e.reason === '返乡' || e.reason === '外出') && active) {
          for (const y of festivalYears) {
            const d = Math.round((Date.parse(`${e.date}T00:00:00Z`) - Date.parse(`${springFestivalDate(y)}T00:00:00Z`)) / 86_400_000);
            if (d < -FESTIVAL_WINDOW.before || d > FESTIVAL_WINDOW.after) continue;
            const f = ((festival[String(y)] ??= {})[county] ??= { returned: new Array(days).fill(0), departed: new Array(days).fill(0) });
            (e.reason === '返乡' ? f.returned : f.departed)[d + FESTIVAL_WINDOW.before]++;
          }
        }
      }
      if (!active || !state) continue;
      const county = state.village_code.slice(0, 6);
      const c = ((monthEnd[m.month] ??= {})[county] ??= Object.fromEntries(
        [...STATUS_FIELDS, 'labour_force', 'at_home', 'away', 'poverty_transfer', 'relocated_transfer'].map((k) => [k, 0]),
      ));
      const s = state.employment_status;
      c[s]++;
      c.labour_force++;
      if (state.presence === '在乡') c.at_home++;
      else c.away++;
      if (TRANSFER.has(s) && flagOf(state.poverty_alleviated)) c.poverty_transfer++;
      if (TRANSFER.has(s) && flagOf(state.relocated)) c.relocated_transfer++;
    }
  }
  return { monthEnd, flows, festival };
}
