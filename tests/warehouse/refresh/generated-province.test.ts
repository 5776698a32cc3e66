/**
 * 表库相符 on generated provinces (two seeds, dirty data): the warehouse's month-end counts
 * per county and status, increases and decreases per reason, and Spring Festival daily
 * counts equal an independent plain-TypeScript replay of the raw files (tests/warehouse/
 * replay.ts) and the generator's truth.json; every planted dirty row is quarantined with
 * its reason and column, and nothing else is; the planted reconciliation differences and
 * coverage defects are found, and nothing else.
 */
import { describe, expect, test, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateProvince } from '../../../warehouse/generator/generate-province.ts';
import { runRefresh, type RefreshResult } from '../../../warehouse/refresh/run-refresh.ts';
import { loadDataKeys } from '../../../warehouse/vault/data-keys.ts';
import { pidOf } from '../../../warehouse/vault/pid-hash.ts';
import { queryWarehouse } from '../read-warehouse.ts';
import { replayInbox, type ReplayResult } from '../replay.ts';
import { collectPersonalData, scanBytes, scanColumns } from '../plaintext-scan.ts';

const SEEDS = [1, 2];
const OPTIONS = { persons: 6_000, from: '2025-10', to: '2026-03', dirty: 0.015 };

interface Truth {
  monthEnd: Record<string, Record<string, Record<string, number>>>;
  flows: Record<string, Record<string, { increases: Record<string, number>; decreases: Record<string, number> }>>;
  festival: Record<string, Record<string, { returned: number[]; departed: number[] }>>;
  dirtyRows: { file: string; row: number; column: string | null; reason: string }[];
  reconciliation: { file: string; kind: 'missing' | 'extra' | 'field'; id_number: string; column: string | null }[];
  coverage: { duplicated: { village: string; points: string[] }[]; uncovered: { village: string }[] };
}

const STATUS = ['10', '21', '22', '23', '24', '30', '40', '50'];

for (const seed of SEEDS) {
  describe(`generated province, seed ${seed}`, () => {
    let root: string;
    let truth: Truth;
    let result: RefreshResult;
    let replay: ReplayResult;
    const dataDir = () => join(root, 'data');
    const inbox = () => join(root, 'inbox');

    beforeAll(async () => {
      root = mkdtempSync(join(tmpdir(), `rlm-province-${seed}-`));
      await generateProvince({ out: inbox(), seed, ...OPTIONS, workers: 1 });
      truth = JSON.parse(readFileSync(join(inbox(), 'truth.json'), 'utf8')) as Truth;
      result = await runRefresh({ dataDir: dataDir(), inboxDir: inbox(), trigger: 'cli' });
      replay = await replayInbox(inbox());
    });
    afterAll(() => rmSync(root, { recursive: true, force: true }));

    test('publishes; rows read = loaded + quarantined for every file', () => {
      expect(result.result, result.message).toBe('published');
      for (const f of result.files) expect(f.rowsRead, f.relPath).toBe((f.rowsLoaded ?? 0) + (f.rowsQuarantined ?? 0));
    });

    test('month-end counts per county and status = replay = truth.json', async () => {
      const rows = await queryWarehouse(dataDir(), `SELECT * FROM agg_region_month WHERE level = 'county'`);
      const fieldsOf = (r: Record<string, unknown>): Record<string, number> => {
        const f: Record<string, number> = {};
        for (const s of STATUS) f[s] = Number(r[`s${s}`]);
        for (const k of ['labour_force', 'at_home', 'away', 'poverty_transfer', 'relocated_transfer']) f[k] = Number(r[k]);
        return f;
      };
      const months = Object.keys(truth.monthEnd);
      expect(months.length).toBe(6);
      const wh: Truth['monthEnd'] = {};
      for (const r of rows) if (String(r.month) in truth.monthEnd) (wh[String(r.month)] ??= {})[String(r.region_code)] = fieldsOf(r);
      const zero = Object.fromEntries(Object.keys(Object.values(Object.values(truth.monthEnd)[0])[0]).map((k) => [k, 0]));
      const rp: Truth['monthEnd'] = {};
      for (const m of months) for (const c of Object.keys(truth.monthEnd[m])) (rp[m] ??= {})[c] = { ...zero, ...replay.monthEnd[m]?.[c] };
      expect(wh).toEqual(truth.monthEnd);
      expect(rp).toEqual(truth.monthEnd);
      const persons = months.reduce((a, m) => a + Object.values(truth.monthEnd[m]).reduce((b, c) => b + c.labour_force, 0), 0);
      expect(persons).toBeGreaterThan(30_000);
    });

    test('increases and decreases per month, county and reason = replay = truth.json', async () => {
      const rows = await queryWarehouse(dataDir(), `SELECT month, region_code, event_type, reason, count FROM agg_flows WHERE level = 'county' AND event_type IN ('新增', '减少')`);
      const empty = (m: string, c: string) => ({
        increases: Object.fromEntries(Object.keys(truth.flows[m][c].increases).map((k) => [k, 0])),
        decreases: Object.fromEntries(Object.keys(truth.flows[m][c].decreases).map((k) => [k, 0])),
      });
      const build = (fill: (m: string, c: string, f: ReturnType<typeof empty>) => void): Truth['flows'] => {
        const out: Truth['flows'] = {};
        for (const m of Object.keys(truth.flows)) for (const c of Object.keys(truth.flows[m])) fill(m, c, ((out[m] ??= {})[c] = empty(m, c)));
        return out;
      };
      const byKey = new Map(rows.map((r) => [`${r.month}/${r.region_code}/${r.event_type}/${r.reason}`, Number(r.count)]));
      const wh = build((m, c, f) => {
        for (const k of Object.keys(f.increases)) f.increases[k] = byKey.get(`${m}/${c}/新增/${k}`) ?? 0;
        for (const k of Object.keys(f.decreases)) f.decreases[k] = byKey.get(`${m}/${c}/减少/${k}`) ?? 0;
      });
      const rp = build((m, c, f) => {
        Object.assign(f.increases, replay.flows[m]?.[c]?.increases);
        Object.assign(f.decreases, replay.flows[m]?.[c]?.decreases);
      });
      expect(wh).toEqual(truth.flows);
      expect(rp).toEqual(truth.flows);
      const total = rows.filter((r) => String(r.month) in truth.flows).reduce((a, r) => a + Number(r.count), 0);
      expect(total).toBeGreaterThan(100);
      let truthTotal = 0;
      for (const byCounty of Object.values(truth.flows)) for (const f of Object.values(byCounty)) for (const n of [...Object.values(f.increases), ...Object.values(f.decreases)]) truthTotal += n;
      expect(total).toBe(truthTotal);
    });

    test('Spring Festival daily returns and departures per county = replay = truth.json', async () => {
      const rows = await queryWarehouse(
        dataDir(),
        `SELECT festival_year, region_code, day, sum(returned) AS returned, sum(departed) AS departed FROM festival_daily WHERE level = 'county' GROUP BY ALL`,
      );
      const days = 45 + 60 + 1;
      const build = (get: (y: string, c: string, i: number) => [number, number]): Truth['festival'] => {
        const out: Truth['festival'] = {};
        for (const y of Object.keys(truth.festival)) {
          for (const c of Object.keys(truth.festival[y])) {
            const f = ((out[y] ??= {})[c] = { returned: new Array<number>(days).fill(0), departed: new Array<number>(days).fill(0) });
            for (let i = 0; i < days; i++) [f.returned[i], f.departed[i]] = get(y, c, i);
          }
        }
        return out;
      };
      const byKey = new Map(rows.map((r) => [`${r.festival_year}/${r.region_code}/${r.day}`, [Number(r.returned), Number(r.departed)] as [number, number]]));
      expect(build((y, c, i) => byKey.get(`${y}/${c}/${i - 45}`) ?? [0, 0])).toEqual(truth.festival);
      expect(build((y, c, i) => [replay.festival[y]?.[c]?.returned[i] ?? 0, replay.festival[y]?.[c]?.departed[i] ?? 0])).toEqual(truth.festival);
      const total = rows.reduce((a, r) => a + Number(r.returned) + Number(r.departed), 0);
      expect(total).toBeGreaterThan(1000);
    });

    test('every planted dirty row is quarantined with its reason and column, and nothing else is', async () => {
      const rows = await queryWarehouse(dataDir(), 'SELECT file, row_no, reason, column_key FROM quarantine');
      const key = (file: string, row: unknown, reason: unknown, column: unknown) => `${file}#${row} ${reason} ${column ?? '-'}`;
      const got = rows.map((r) => key(String(r.file), r.row_no, r.reason, r.column_key)).sort();
      const planted = truth.dirtyRows.map((d) => key(d.file, d.row, d.reason, d.column)).sort();
      expect(planted.length).toBeGreaterThan(100);
      expect(got).toEqual(planted);
      expect(replay.rejected.map((d) => key(d.file, d.row, d.reason, d.column)).sort()).toEqual(planted);
    });

    test('the planted reconciliation differences are found, and nothing else', async () => {
      const keys = loadDataKeys(dataDir());
      const rows = await queryWarehouse(dataDir(), 'SELECT file, kind, pid, column_key FROM reconciliation');
      const got = rows.map((r) => `${r.file} ${r.kind} ${r.pid} ${r.column_key ?? '-'}`).sort();
      const expected = truth.reconciliation
        .map((f) => `${f.file} ${f.kind === 'field' ? 'different' : f.kind} ${pidOf(f.id_number, keys.pidKey)} ${f.column ?? '-'}`)
        .sort();
      expect(expected.length).toBeGreaterThan(0);
      expect(got).toEqual(expected);
    });

    test('no generated name, ID number or phone is in plaintext in the warehouse or state files', async () => {
      const pd = await collectPersonalData(inbox());
      expect(pd.ids.size).toBeGreaterThan(5_000);
      expect(pd.phones.size).toBeGreaterThan(1_000);
      expect(pd.names.size).toBeGreaterThan(1_000);
      const bytes = scanBytes(dataDir(), pd);
      expect(bytes.files.some((f) => f.endsWith('.duckdb'))).toBe(true);
      expect(bytes.files.some((f) => f.endsWith('state.sqlite'))).toBe(true);
      expect(bytes.found).toEqual([]);
      const columns = await scanColumns(dataDir(), pd);
      expect(columns.columns).toBeGreaterThan(50);
      expect(columns.found).toEqual([]);
      // the scan does find plaintext where there is some: the inbox itself
      expect(scanBytes(inbox(), pd).found.length).toBeGreaterThan(1_000);
    });

    test('coverage defects of the points file are found', async () => {
      const rows = await queryWarehouse(dataDir(), `SELECT village_code, kind, point_codes FROM coverage_findings`);
      const multiple = rows.filter((r) => r.kind === 'multiple').map((r) => `${r.village_code} ${(r.point_codes as string[]).join(',')}`);
      expect(multiple.sort()).toEqual(truth.coverage.duplicated.map((d) => `${d.village} ${[...d.points].sort().join(',')}`).sort());
      const uncovered = new Set(rows.filter((r) => r.kind === 'uncovered').map((r) => String(r.village_code)));
      for (const u of truth.coverage.uncovered) expect(uncovered.has(u.village), u.village).toBe(true);
    });
  });
}
