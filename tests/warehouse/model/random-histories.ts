/**
 * Random person histories for the tests of the person state as of a date: a base snapshot
 * row for most persons and up to six change rows each, full of ties on the date, events
 * dated before the base, re-adds after removals and NULLs set by a 新增; a plain TypeScript
 * replay of them (the independent computation); and loading them into wh.base_persons and
 * wh.change_log.
 */
import type { DuckDBConnection } from '@duckdb/node-api';

export interface Row {
  pid: string;
  src: 0 | 1;
  d: string;
  rec: string;
  batch: string;
  file: string;
  rowNo: number;
  kind: 'base' | '新增' | '减少' | '状态变更';
  attrs: Attrs;
}
export interface Attrs {
  employment_status: string | null;
  presence: string | null;
  village_code: string | null;
  monthly_income: number | null;
  service_needs: string[] | null;
  phone_digest: string | null;
}
const TRACKED = ['employment_status', 'presence', 'village_code', 'monthly_income', 'service_needs', 'phone_digest'] as const;

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export const BASE_DATE = '2024-12-31';
const DATES = ['2024-11-30', '2024-12-31', '2025-01-15', '2025-01-15', '2025-02-01', '2025-03-31', '2025-03-31', '2025-06-30'];
const RECORDED = ['2025-01-20', '2025-02-05', '2025-04-01', '2025-04-01', '2025-07-02'];
const FILES: [string, string][] = [
  ['2025-02-01', '2025-02-01/changes_20250131.csv'],
  ['2025-02-01', '2025-02-01/changes_20250201.xlsx'],
  ['2025-05-01', '2025-05-01/changes_20250430.csv'],
  ['2025-08-01', '2025-08-01/changes_20250731.csv'],
];

/**
 * `recordedAfterEvent`: every change row is recorded on or after its date, as validation
 * guarantees for real exports (otherwise dates and recording days are drawn independently).
 */
export function makeRows(seed: number, options: { recordedAfterEvent?: boolean } = {}): Row[] {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const maybe = <T>(x: T, p = 0.5): T | null => (r() < p ? x : null);
  const full = (): Attrs => ({
    employment_status: pick(['10', '21', '22', '23', '40', '50']),
    presence: maybe(pick(['在乡', '在外']), 0.8),
    village_code: pick(['510104001001', '510104001002', '511702003004']),
    monthly_income: maybe(Math.floor(r() * 9000), 0.6),
    service_needs: maybe(pick([['01'], ['01', '03'], ['05']]), 0.5),
    phone_digest: maybe(`ph${Math.floor(r() * 20)}`, 0.9),
  });
  const partial = (): Attrs => ({
    employment_status: maybe(pick(['10', '21', '40']), 0.6),
    presence: maybe(pick(['在乡', '在外']), 0.4),
    village_code: maybe('511702003004', 0.2),
    monthly_income: maybe(Math.floor(r() * 9000), 0.3),
    service_needs: maybe(['02'], 0.2),
    phone_digest: maybe(`ph${Math.floor(r() * 20)}`, 0.3),
  });
  const none: Attrs = { employment_status: null, presence: null, village_code: null, monthly_income: null, service_needs: null, phone_digest: null };
  const rows: Row[] = [];
  const nextRow = new Map<string, number>();
  for (let p = 0; p < 400; p++) {
    const pid = `p${String(p).padStart(4, '0')}`;
    if (r() < 0.8) rows.push({ pid, src: 0, d: BASE_DATE, rec: BASE_DATE, batch: '', file: '', rowNo: 0, kind: 'base', attrs: full() });
    const n = Math.floor(r() * 7);
    for (let i = 0; i < n; i++) {
      const [batch, file] = pick(FILES);
      const rowNo = (nextRow.get(file) ?? 2) + Math.floor(r() * 3);
      nextRow.set(file, rowNo + 1);
      const kind = pick(['新增', '减少', '状态变更', '状态变更'] as const);
      const attrs = kind === '新增' ? full() : kind === '状态变更' ? partial() : none;
      const d = pick(DATES);
      const rec = pick(RECORDED);
      rows.push({ pid, src: 1, d, rec: options.recordedAfterEvent && rec < d ? d : rec, batch, file, rowNo, kind, attrs });
    }
  }
  return rows;
}

export function replay(rows: readonly Row[], through: string | null): Map<string, Attrs> {
  const key = (x: Row) => [x.src, x.d, x.rec, x.batch, x.file, String(x.rowNo).padStart(12, '0')].join('\u0000');
  const sorted = rows.filter((x) => x.src === 0 || through === null || x.rec <= through).sort((a, b) => (key(a) < key(b) ? -1 : 1));
  const state = new Map<string, { active: boolean; attrs: Attrs }>();
  for (const x of sorted) {
    const s = state.get(x.pid) ?? { active: false, attrs: { ...x.attrs } };
    if (x.kind === 'base' || x.kind === '新增') {
      s.active = true;
      s.attrs = { ...x.attrs };
    } else if (x.kind === '减少') s.active = false;
    else for (const k of TRACKED) if (x.attrs[k] !== null) (s.attrs as unknown as Record<string, unknown>)[k] = x.attrs[k];
    state.set(x.pid, s);
  }
  return new Map([...state].filter(([, s]) => s.active).map(([pid, s]) => [pid, s.attrs]));
}

export async function loadHistories(conn: DuckDBConnection, rows: readonly Row[]): Promise<void> {
  await conn.run('DELETE FROM wh.base_persons');
  await conn.run('DELETE FROM wh.change_log');
  for (const x of rows) {
    const a = x.attrs;
    const values = {
      pid: x.pid,
      d: x.d,
      rec: x.rec,
      kind: x.kind,
      batch: x.batch,
      file: x.file,
      row_no: x.rowNo,
      es: a.employment_status,
      pr: a.presence,
      vc: a.village_code,
      mi: a.monthly_income,
      sn: a.service_needs === null ? null : a.service_needs.join(';'),
      ph: a.phone_digest,
    };
    const attrs = `$es, $pr, $vc, CAST($mi AS INTEGER), string_split(CAST($sn AS VARCHAR), ';'), $ph`;
    const cols = 'employment_status, presence, village_code, monthly_income, service_needs, phone_digest';
    if (x.src === 0) {
      await conn.run(
        `INSERT INTO wh.base_persons (pid, snapshot_date, ${cols}, batch, file, row_no)
         VALUES ($pid, CAST($d AS DATE), ${attrs}, $batch, $file, $row_no)`,
        { pid: values.pid, d: values.d, es: values.es, pr: values.pr, vc: values.vc, mi: values.mi, sn: values.sn, ph: values.ph, batch: 'b0', file: 'base.csv', row_no: 2 },
      );
    } else {
      await conn.run(
        `INSERT INTO wh.change_log (pid, event_date, recorded_on, event_type, reason, ${cols}, row_hash, batch, file, row_no)
         VALUES ($pid, CAST($d AS DATE), CAST($rec AS DATE), $kind, 'r', ${attrs}, md5($pid || $file || $row_no), $batch, $file, $row_no)`,
        values,
      );
    }
  }
}

export async function readState(conn: DuckDBConnection, table: string): Promise<Map<string, Attrs>> {
  const read = await conn.runAndReadAll(`SELECT pid, employment_status, presence, village_code, monthly_income, service_needs, phone_digest FROM ${table}`);
  return new Map(
    read.getRowObjectsJS().map((o) => [
      String(o.pid),
      {
        employment_status: o.employment_status as string | null,
        presence: o.presence as string | null,
        village_code: o.village_code as string | null,
        monthly_income: o.monthly_income === null ? null : Number(o.monthly_income),
        service_needs: o.service_needs as string[] | null,
        phone_digest: o.phone_digest as string | null,
      },
    ]),
  );
}
