/**
 * Test-side replay of an export: base snapshot + change events in (event_date,
 * recorded_on, file order, row order) order, checking the state rules on the way.
 */
import { PERSON_COLUMNS } from '../../../warehouse/contract/columns.ts';
import type { Row } from './contract-checks.ts';

export interface ChangeEvent {
  readonly row: Row;
  /** Position in the global file order (history file first, then daily files by date). */
  readonly seq: number;
  readonly file: string;
  readonly rowNumber: number;
}

export type PersonState = Map<string, Row>;

export function sortEvents(events: ChangeEvent[]): ChangeEvent[] {
  return [...events].sort((a, b) =>
    a.row.event_date < b.row.event_date ? -1 : a.row.event_date > b.row.event_date ? 1
      : a.row.recorded_on < b.row.recorded_on ? -1 : a.row.recorded_on > b.row.recorded_on ? 1 : a.seq - b.seq);
}

export function personOf(row: Row): Row {
  return Object.fromEntries(PERSON_COLUMNS.map((c) => [c.key, row[c.key] ?? '']));
}

/** Applies one event; returns a problem description or undefined. */
export function applyEvent(state: PersonState, e: ChangeEvent): string | undefined {
  const r = e.row;
  const id = r.id_number;
  const where = `${e.file} row ${e.rowNumber}`;
  const current = state.get(id);
  if (r.event_type === '新增') {
    if (current) return `${where}: 新增 for active ${id}`;
    state.set(id, personOf(r));
    return undefined;
  }
  if (!current) return `${where}: ${r.event_type} for inactive ${id}`;
  if (r.event_date < current.registered_on) return `${where}: event before registration of ${id}`;
  if (r.event_type === '减少') {
    state.delete(id);
    return undefined;
  }
  const next = { ...current };
  let changed = 0;
  for (const c of PERSON_COLUMNS) {
    if (['id_number', 'point_code', 'review_status'].includes(c.key)) continue;
    const v = r[c.key];
    if (v === undefined || v === '') continue;
    if (v === current[c.key]) return `${where}: 状态变更 carries unchanged ${c.key}=${v}`;
    next[c.key] = v;
    changed++;
  }
  if (r.point_code !== current.point_code) return `${where}: event point ${r.point_code} differs from the person's ${current.point_code}`;
  if (r.review_status !== current.review_status) return `${where}: event review status differs from the person's`;
  if (changed === 0) return `${where}: 状态变更 without a changed column`;
  state.set(id, next);
  return undefined;
}

export function stateFromSnapshot(rows: Row[]): PersonState {
  const s: PersonState = new Map();
  for (const r of rows) s.set(r.id_number, personOf(r));
  return s;
}
