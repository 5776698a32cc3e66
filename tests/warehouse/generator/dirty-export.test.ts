/**
 * A dirty province (--dirty 0.02): planted rows match truth.json (the row at file/row
 * really has that defect, as the first failing check), their number is ≈ rate × rows,
 * clean rows stay clean and still replay to the end snapshot (apart from the planted
 * reconciliation differences), and the formats vary as truth.json says.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { COLUMNS, columnKeyOf, type FileKind } from '../../../warehouse/contract/columns.ts';
import { CHECK_ORDER } from '../../../warehouse/contract/reject-reasons.ts';
import { loadRegions } from '../../../warehouse/reference/regions.ts';
import { changeRowProblem, personsRowProblem, type Row } from './contract-checks.ts';
import { keyed, readExport, type Table } from './export-reader.ts';
import { cleanup, generate, type Generated } from './generated-fixture.ts';
import { applyEvent, sortEvents, stateFromSnapshot, type ChangeEvent } from './replay.ts';

const RATE = 0.02;
let g: Generated;
const tables = new Map<string, Table>();
const keyedCache = new Map<string, Row[]>();
const kindOf = (file: string) => g.truth.files.find((f) => f.file === file)!.kind as FileKind;
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
const villages = new Set(loadRegions().villages.map((v) => v.code));
let points: Set<string>;
const dirtyAt = new Map<string, { reason: string; column: string | null }>();

beforeAll(async () => {
  g = await generate('dirty', { persons: 20_000, seed: 11, from: '2025-06', to: '2026-02', dirty: RATE, daily: 4 });
  for (const f of g.truth.files) tables.set(f.file, await readExport(g.dir, f));
  const pts = rowsOf(filesOf('points')[0]);
  points = new Set(pts.map((r) => r.point_code));
  for (const d of g.truth.dirtyRows) dirtyAt.set(`${d.file}#${d.row}`, d);
}, 300_000);
afterAll(() => cleanup(g));

const isDirty = (file: string, i: number) => dirtyAt.has(`${file}#${i + 2}`);

describe('dirty export', () => {
  test('formats vary as truth.json says, and the bytes agree', () => {
    const f = (pred: (x: (typeof g.truth.files)[number]) => boolean) => g.truth.files.filter(pred);
    expect(f((x) => x.kind === 'points').every((x) => x.format === 'xlsx')).toBe(true);
    expect(f((x) => x.kind === 'submissions' && x.format === 'xlsx').length).toBeGreaterThan(2);
    expect(f((x) => x.kind === 'submissions' && x.format === 'csv').length).toBeGreaterThan(2);
    expect(f((x) => x.file.includes('roster-poverty')).every((x) => x.encoding === 'gb18030')).toBe(true);
    expect(f((x) => x.file.includes('roster-relocated')).every((x) => x.delimiter === '\t')).toBe(true);
    expect(f((x) => x.kind === 'changes' && x.file.includes('_20250601_')).map((x) => [x.bom, x.crlf])).toEqual([[true, true]]);
    expect(f((x) => x.kind === 'changes' && x.encoding === 'gb18030').length).toBeGreaterThan(0);
    expect(f((x) => x.kind === 'persons').every((x) => x.encoding === 'utf-8' && x.delimiter === ',' && !x.bom && !x.crlf)).toBe(true);
    for (const x of g.truth.files) {
      const bytes = readFileSync(join(g.dir, x.file));
      if (x.format === 'xlsx') {
        expect(bytes.subarray(0, 2).toString()).toBe('PK');
        continue;
      }
      expect(bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf).toBe(x.bom);
      const text = x.encoding === 'gb18030' ? iconv.decode(bytes, 'gb18030') : bytes.toString('utf8');
      expect(text.includes('\r\n')).toBe(x.crlf);
      expect(text.replace(/^\uFEFF/, '').split(/\r?\n/)[0]).toBe(COLUMNS[x.kind as FileKind].map((c) => c.header).join(x.delimiter!));
      if (x.encoding === 'gb18030' && x.rows > 0) expect(bytes.toString('utf8').includes('\uFFFD')).toBe(true);
      expect(tables.get(x.file)!.rows.length).toBe(x.rows);
    }
  });

  test('every planted dirty row has exactly the recorded defect as its first failing check', () => {
    const base = rowsOf(g.truth.files.find((f) => f.kind === 'persons')!.file);
    const baseIds = new Map(base.map((r, i) => [r.id_number, { r, i }]));
    const cleanIds = new Set<string>();
    for (const file of [...filesOf('persons'), ...filesOf('changes')]) rowsOf(file).forEach((r, i) => { if (!isDirty(file, i)) cleanIds.add(r.id_number); });
    const problems: string[] = [];
    const reasons = new Map<string, number>();
    for (const d of g.truth.dirtyRows) {
      reasons.set(d.reason, (reasons.get(d.reason) ?? 0) + 1);
      const kind = kindOf(d.file);
      const row = rowsOf(d.file)[d.row - 2];
      const ctx = { villages, points, fileDate: dateOfFile(d.file) };
      const found = kind === 'persons' ? personsRowProblem(row, ctx, CHECK_ORDER) : changeRowProblem(row, ctx, CHECK_ORDER);
      const at = `${d.file} row ${d.row} (${d.reason})`;
      switch (d.reason) {
        case 'duplicate_id': {
          const same = rowsOf(d.file).map((r, i) => (r.id_number === row.id_number ? i + 2 : -1)).filter((i) => i > 0);
          if (found) problems.push(`${at}: also ${found.reason}`);
          if (same.length !== 2 || !same.every((i) => dirtyAt.get(`${d.file}#${i}`)?.reason === 'duplicate_id')) problems.push(`${at}: twin rows ${same}`);
          if (cleanIds.has(row.id_number)) problems.push(`${at}: ID of a real person`);
          break;
        }
        case 'add_person_already_active':
          if (found) problems.push(`${at}: also ${found.reason}`);
          if (row.event_type !== '新增' || !baseIds.has(row.id_number)) problems.push(`${at}: not a 新增 of a base person`);
          break;
        case 'event_person_not_active':
          if (found) problems.push(`${at}: also ${found.reason}`);
          if (row.event_type === '新增' || cleanIds.has(row.id_number)) problems.push(`${at}: person exists in clean rows`);
          break;
        case 'event_before_registration': {
          if (found) problems.push(`${at}: also ${found.reason}`);
          const b = baseIds.get(row.id_number);
          if (!b || !(row.event_date < b.r.registered_on)) problems.push(`${at}: not before the registration of a base person`);
          break;
        }
        default:
          if (found?.reason !== d.reason) problems.push(`${at}: checker finds ${found?.reason}`);
          else if (d.column !== null && found.column !== d.column && !(d.reason === 'future_date')) problems.push(`${at}: column ${found.column} vs ${d.column}`);
          if (cleanIds.has(row.id_number) && !['bad_check_character'].includes(d.reason)) problems.push(`${at}: ID of a real person`);
      }
    }
    expect(problems.slice(0, 10)).toEqual([]);
    for (const r of ['bad_check_character', 'sex_mismatch', 'birth_date_mismatch', 'duplicate_id', 'unknown_village', 'unknown_point', 'under_16',
      'future_date', 'missing_required', 'event_person_not_active', 'add_person_already_active', 'event_before_registration', 'invalid_code']) {
      expect(reasons.get(r) ?? 0, r).toBeGreaterThan(0);
    }
  });

  test('dirty rows ≈ rate × rows; every other row is clean', () => {
    let clean = 0, dirty = 0;
    const problems: string[] = [];
    for (const file of [...filesOf('persons'), ...filesOf('changes')]) {
      const ctx = { villages, points, fileDate: dateOfFile(file) };
      rowsOf(file).forEach((r, i) => {
        if (isDirty(file, i)) { dirty++; return; }
        clean++;
        const p = kindOf(file) === 'persons' ? personsRowProblem(r, ctx, CHECK_ORDER) : changeRowProblem(r, ctx, CHECK_ORDER);
        if (p) problems.push(`${file} row ${i + 2}: ${p.reason}`);
      });
    }
    expect(problems.slice(0, 10)).toEqual([]);
    expect(dirty).toBe(g.truth.dirtyRows.length);
    expect(dirty / clean).toBeGreaterThan(RATE * 0.8);
    expect(dirty / clean).toBeLessThan(RATE * 1.3);
  });

  test('without the dirty rows, base + events give the end snapshot except the planted reconciliation differences', () => {
    const personsFiles = filesOf('persons');
    const clean = (file: string) => rowsOf(file).filter((_, i) => !isDirty(file, i));
    let events: ChangeEvent[] = [];
    let seq = 0;
    for (const file of filesOf('changes').sort()) clean(file).forEach((row) => events.push({ row, seq: seq++, file, rowNumber: 0 }));
    events = sortEvents(events);
    const endFile = personsFiles.find((f) => f.endsWith('persons_20260228.csv'))!;
    const state = stateFromSnapshot(clean(personsFiles.find((f) => f.endsWith('persons_20250531.csv'))!));
    for (const e of events) {
      if (e.row.recorded_on > '2026-02-28') continue;
      const p = applyEvent(state, e);
      if (p) throw new Error(p);
    }
    const snap = stateFromSnapshot(clean(endFile));
    const findings: string[] = [];
    for (const [id, rec] of state) {
      const s = snap.get(id);
      if (!s) findings.push(`missing ${id}`);
      else for (const k of Object.keys(rec)) if (rec[k] !== s[k]) findings.push(`field ${id} ${k} ${rec[k]} ${s[k]}`);
    }
    for (const id of snap.keys()) if (!state.has(id)) findings.push(`extra ${id}`);
    const expected = g.truth.reconciliation.map((r) => r.kind === 'field' ? `field ${r.id_number} ${r.column} ${r.expected} ${r.actual}` : `${r.kind} ${r.id_number}`);
    expect(findings.sort()).toEqual(expected.sort());
    expect(g.truth.reconciliation.map((r) => r.kind).sort()).toEqual(['extra', 'extra', 'field', 'field', 'missing', 'missing']);
    for (const r of g.truth.reconciliation) if (r.row) expect(rowsOf(endFile)[r.row - 2].id_number).toBe(r.id_number);
  });

  test('coverage defects: one village in two points of its township, one village in none', () => {
    const cov = g.truth.coverage;
    expect(cov.duplicated).toHaveLength(1);
    expect(cov.uncovered).toHaveLength(1);
    for (const file of cov.files) {
      const where = new Map<string, string[]>();
      for (const r of rowsOf(file)) for (const v of r.village_codes.split(';')) where.set(v, [...(where.get(v) ?? []), r.point_code]);
      expect(where.get(cov.duplicated[0].village)!.sort()).toEqual([...cov.duplicated[0].points].sort());
      expect(where.has(cov.uncovered[0].village)).toBe(false);
      expect([...where.values()].filter((p) => p.length > 1)).toHaveLength(1);
      expect(where.size).toBe(villages.size - 1);
    }
  });
});
