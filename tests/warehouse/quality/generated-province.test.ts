/**
 * The quality tables on a generated province (generated-fixture.ts): every problem the
 * generator plants (coverage defects, non-reporting points, dirty rows, reconciliation
 * differences) and every one this test plants (record checks, rosters) is found and
 * counted right per county, and all counts equal an independent plain-TypeScript
 * recomputation from the raw export files (independent-quality.ts).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { connectionQuery, type WarehouseQuery } from '../../../warehouse/quality/warehouse-query.ts';
import { qualityScores } from '../../../warehouse/quality/quality-scores.ts';
import { loadDataKeys } from '../../../warehouse/vault/data-keys.ts';
import { pidOf } from '../../../warehouse/vault/pid-hash.ts';
import { loadRegions } from '../../../warehouse/reference/regions.ts';
import { FIXTURE_SETTINGS, FIXTURE_TIMEOUT_MS, generatedQualityFixture, type GeneratedFixture } from './generated-fixture.ts';
import { addMonthsClamped, lastDayOf, monthsBetween, replayRegistry, sharedPhones, type Replay } from './independent-quality.ts';
import { readExport, type RawRow } from './raw-export.ts';

let fx: GeneratedFixture;
let instance: DuckDBInstance;
let conn: DuckDBConnection;
let q: WarehouseQuery;
let replay: Replay;
let pidKey: Buffer;
let months: string[];
const pid = (id: string) => pidOf(id, pidKey);
const cityOf = (c: string) => `${c.slice(0, 4)}00`;

beforeAll(async () => {
  fx = await generatedQualityFixture();
  instance = await DuckDBInstance.create(fx.buildFile, { access_mode: 'READ_ONLY' });
  conn = await instance.connect();
  q = connectionQuery(conn);
  pidKey = loadDataKeys(fx.dataDir).pidKey;
  months = monthsBetween(fx.firstMonth, fx.lastMonth);
  replay = await replayRegistry({ batchDir: fx.batchDir, batch: fx.batch, truth: fx.truth, firstMonth: fx.firstMonth, lastMonth: fx.lastMonth, dataAsOf: fx.dataAsOf, settings: FIXTURE_SETTINGS });
}, FIXTURE_TIMEOUT_MS);
afterAll(() => {
  conn?.closeSync();
  instance?.closeSync();
});

/** county → value maps of a dq table's county rows for one month. */
async function countyRows(table: string, month: string | null, columns: readonly string[]): Promise<Map<string, Record<string, number>>> {
  const rows = await q(`SELECT region_code, ${columns.join(', ')} FROM ${table} WHERE level = 'county'${month ? ' AND month = ?' : ''}`, month ? [month] : []);
  return new Map(rows.map((r) => [String(r.region_code), Object.fromEntries(columns.map((c) => [c, Number(r[c] ?? 0)]))]));
}

const nonZero = (m: Map<string, Record<string, number>>) => new Map([...m].filter(([, v]) => Object.values(v).some((x) => x !== 0)));

describe('record checks', () => {
  test('per county and month: active, stale, status vs work region, age, income equal the independent replay', async () => {
    const cols = ['active', 'stale', 'status_work_region', 'age_over_limit', 'income_out_of_range'];
    for (const m of months) {
      const got = nonZero(await countyRows('dq_record_checks', m, cols));
      const want = new Map([...replay.monthly.get(m)!].map(([c, v]) => [c, Object.fromEntries(cols.map((k) => [k, v[k] ?? 0]))]));
      expect(got, m).toEqual(nonZero(want));
    }
  });

  test('event checks (presence conflicts, status flips) per county and month equal the replay', async () => {
    const rows = await q(`SELECT check_id, county_code, month, count(*) AS n FROM dq_person_findings WHERE check_id IN ('presence_reason_conflict', 'status_flip') GROUP BY ALL`);
    const got = Object.fromEntries(rows.map((r) => [`${r.check_id}|${r.county_code}|${r.month}`, Number(r.n)]));
    const want: Record<string, number> = {};
    for (const f of replay.eventFindings) want[`${f.check}|${f.county}|${f.month}`] = (want[`${f.check}|${f.county}|${f.month}`] ?? 0) + 1;
    expect(got).toEqual(want);
    expect(Object.keys(want).length).toBeGreaterThan(0);
  });

  test('shared phones at the data date per county equal the replay', async () => {
    const rows = await q(`SELECT county_code, list(pid ORDER BY pid) AS pids FROM dq_person_findings WHERE check_id = 'shared_phone' GROUP BY ALL`);
    const got = Object.fromEntries(rows.map((r) => [String(r.county_code), (r.pids as string[]).map(String)]));
    const want = Object.fromEntries([...sharedPhones(replay.atEnd, FIXTURE_SETTINGS.sharedPhoneMin)].map(([c, ids]) => [c, ids.map(pid).sort()]));
    expect(got).toEqual(want);
    const counts = await countyRows('dq_record_checks', fx.lastMonth, ['shared_phone']);
    for (const [c, ids] of Object.entries(want)) expect(counts.get(c)?.shared_phone, c).toBe(ids.length);
  });

  test('every planted record problem is in the worklist under its county', async () => {
    const checks: [string, { id: string; county: string }[]][] = [
      ['status_work_region', fx.planted.statusWorkRegion],
      ['income_out_of_range', fx.planted.incomeOutOfRange],
      ['age_over_limit', fx.planted.ageOverLimit],
      ['shared_phone', fx.planted.sharedPhone],
      ['presence_reason_conflict', fx.planted.presenceConflict],
      ['status_flip', fx.planted.statusFlip],
    ];
    for (const [check, planted] of checks) {
      for (const p of planted) {
        const rows = await q('SELECT county_code, month FROM dq_person_findings WHERE check_id = ? AND pid = ?', [check, pid(p.id)]);
        expect(rows, `${check} ${p.id}`).toEqual([{ county_code: p.county, month: fx.lastMonth }]);
      }
    }
    const ids = fx.planted.sharedPhone.map((p) => pid(p.id));
    const group = await q(`SELECT DISTINCT detail FROM dq_person_findings WHERE check_id = 'shared_phone' AND pid IN (${ids.map(() => '?').join(', ')})`, ids);
    expect(group.length).toBe(1);
    expect(String(group[0].detail)).toMatch(/（6人）$/);
  });
});

describe('coverage', () => {
  let pointRows: RawRow[];
  beforeAll(async () => {
    const name = readdirSync(fx.batchDir).find((f) => f.startsWith('points_'))!;
    pointRows = await readExport(join(fx.batchDir, name));
  });

  test('exactly the planted uncovered and multi-point villages are found, under their counties', async () => {
    const rows = await q("SELECT village_code, county_code, issue, point_codes FROM dq_village_coverage WHERE issue IN ('uncovered', 'multi_point') ORDER BY village_code");
    const want = [
      ...fx.truth.coverage.uncovered.map((u) => ({ village_code: u.village, county_code: u.village.slice(0, 6), issue: 'uncovered', point_codes: [] as string[] })),
      ...fx.truth.coverage.duplicated.map((d) => ({ village_code: d.village, county_code: d.village.slice(0, 6), issue: 'multi_point', point_codes: [...d.points].sort() })),
    ].sort((a, b) => a.village_code.localeCompare(b.village_code));
    expect(rows.map((r) => ({ ...r, point_codes: (r.point_codes as string[]).map(String) }))).toEqual(want);
    expect(want.length).toBeGreaterThan(0);
  });

  test('per county: villages, compliant, large villages with their own point, merged points equal the points file', async () => {
    const villagesOf = new Map<string, string[]>();
    for (const r of pointRows) villagesOf.set(String(r.values['采集点编码']), String(r.values['覆盖村代码']).split(';').filter(Boolean));
    const pointsOfVillage = new Map<string, string[]>();
    for (const [p, vs] of villagesOf) for (const v of vs) pointsOfVillage.set(v, [...(pointsOfVillage.get(v) ?? []), p]);
    const registered = new Map<string, number>();
    for (const p of replay.atEnd.values()) registered.set(p.village, (registered.get(p.village) ?? 0) + 1);
    const want = new Map<string, Record<string, number>>();
    const add = (c: string, k: string, n = 1) => {
      const rec = want.get(c) ?? { villages: 0, compliant: 0, large_villages: 0, large_with_own_point: 0, large_shared: 0, points: 0, merged_points: 0 };
      rec[k] += n;
      want.set(c, rec);
    };
    for (const v of loadRegions().villages) {
      const c = v.code.slice(0, 6);
      const pts = pointsOfVillage.get(v.code) ?? [];
      const large = (registered.get(v.code) ?? 0) >= FIXTURE_SETTINGS.largeVillageThreshold;
      const own = pts.some((p) => villagesOf.get(p)!.length === 1);
      add(c, 'villages');
      if (pts.length === 1 && (!large || own)) add(c, 'compliant');
      if (large) add(c, 'large_villages');
      if (large && own && pts.length === 1) add(c, 'large_with_own_point');
      if (large && pts.length === 1 && !own) add(c, 'large_shared');
    }
    for (const r of pointRows) {
      const c = String(r.values['乡镇代码']).slice(0, 6);
      add(c, 'points');
      if (villagesOf.get(String(r.values['采集点编码']))!.length > 1) add(c, 'merged_points');
    }
    const got = await countyRows('dq_coverage', null, ['villages', 'compliant', 'large_villages', 'large_with_own_point', 'large_shared', 'points', 'merged_points']);
    expect(got).toEqual(want);
    expect([...want.values()].reduce((s, r) => s + r.large_shared, 0)).toBeGreaterThan(0);
  });
});

describe('timeliness', () => {
  test('per county and month: due, submitted, on time, late, reviewed, verified, returned, backlog equal the submissions files', async () => {
    const files = readdirSync(fx.batchDir);
    const points = (await readExport(join(fx.batchDir, files.find((f) => f.startsWith('points_'))!))).map((r) => ({
      code: String(r.values['采集点编码']),
      county: String(r.values['乡镇代码']).slice(0, 6),
      established: String(r.values['设立日期']),
    }));
    for (const m of months) {
      const subFile = files.find((f) => f === `submissions_${m.replace('-', '')}.csv` || f === `submissions_${m.replace('-', '')}.xlsx`)!;
      const subs = new Map((await readExport(join(fx.batchDir, subFile))).map((r) => [String(r.values['采集点编码']), r.values]));
      const deadline = `${addMonthsClamped(`${m}-01`, 1).slice(0, 7)}-${String(FIXTURE_SETTINGS.deadlineDay).padStart(2, '0')}`;
      const want = new Map<string, Record<string, number>>();
      for (const p of points) {
        if (p.established > lastDayOf(m)) continue;
        const s = subs.get(p.code);
        const status = s?.['状态'] ?? '未报送';
        const submittedOn = s?.['报送日期'] ?? null;
        const submitted = submittedOn !== null && status !== '未报送';
        const town = (s?.['乡镇审核日期'] ?? null) !== null || status === '乡镇已审核' || status === '县级已复核';
        const county = (s?.['县级复核日期'] ?? null) !== null || status === '县级已复核';
        const returned = status === '退回';
        const rec = want.get(p.county) ?? { points_due: 0, submitted: 0, on_time: 0, late: 0, not_submitted: 0, township_reviewed: 0, county_verified: 0, returned: 0, backlog_township: 0, backlog_county: 0 };
        rec.points_due++;
        if (submitted) rec.submitted++;
        else rec.not_submitted++;
        if (submitted && submittedOn! <= deadline) rec.on_time++;
        if (submitted && submittedOn! > deadline) rec.late++;
        if (town) rec.township_reviewed++;
        if (county) rec.county_verified++;
        if (returned) rec.returned++;
        if (submitted && !returned && !town) rec.backlog_township++;
        if (town && !returned && !county) rec.backlog_county++;
        want.set(p.county, rec);
      }
      const got = await countyRows('dq_timeliness', m, ['points_due', 'submitted', 'on_time', 'late', 'not_submitted', 'township_reviewed', 'county_verified', 'returned', 'backlog_township', 'backlog_county']);
      expect(got, m).toEqual(want);
    }
  });

  test('the planted non-reporting points are not submitted from their month on, and counted in their county', async () => {
    const shocks = fx.truth.shocks.filter((s) => s.rule === 'point_not_reporting');
    expect(shocks.length).toBeGreaterThan(0);
    for (const s of shocks) {
      const rows = await q('SELECT month, submitted, county_code FROM dq_point_month WHERE point_code = ? ORDER BY month', [s.pointCode!]);
      const after = rows.filter((r) => String(r.month) >= s.period);
      expect(after.length).toBe(months.filter((m) => m >= s.period).length);
      expect(after.every((r) => r.submitted === false && r.county_code === s.countyCode)).toBe(true);
      const county = await q("SELECT not_submitted FROM dq_timeliness WHERE region_code = ? AND month = ?", [s.countyCode!, s.period]);
      expect(Number(county[0].not_submitted)).toBeGreaterThanOrEqual(1);
    }
  });
});

describe('cross-department', () => {
  test('per county counts of each kind equal the rosters against the replayed registry; planted findings present', async () => {
    const files = readdirSync(fx.batchDir);
    const want = new Map<string, Record<string, number>>();
    const add = (c: string, type: string, k: string) => {
      const key = `${c}|${type}`;
      const rec = want.get(key) ?? { roster_persons: 0, registry_flagged: 0, matched: 0, not_in_registry: 0, not_on_roster: 0, not_flagged: 0, village_mismatch: 0 };
      rec[k]++;
      want.set(key, rec);
    };
    for (const [prefix, type, flagOf] of [
      ['roster-poverty_', '脱贫劳动力', (p: { poverty: boolean }) => p.poverty],
      ['roster-relocated_', '易地搬迁', (p: { relocated: boolean }) => p.relocated],
    ] as const) {
      const roster = new Map((await readExport(join(fx.batchDir, files.find((f) => f.startsWith(prefix))!))).map((r) => [String(r.values['公民身份号码']).toUpperCase(), String(r.values['户籍村代码'])]));
      for (const [id, v] of roster) {
        add(v.slice(0, 6), type, 'roster_persons');
        const p = replay.atEnd.get(id);
        if (!p) add(v.slice(0, 6), type, 'not_in_registry');
        else {
          if (!flagOf(p)) add(p.village.slice(0, 6), type, 'not_flagged');
          if (p.village !== v) add(p.village.slice(0, 6), type, 'village_mismatch');
        }
      }
      for (const p of replay.atEnd.values()) {
        if (!flagOf(p)) continue;
        add(p.village.slice(0, 6), type, 'registry_flagged');
        if (!roster.has(p.id)) add(p.village.slice(0, 6), type, 'not_on_roster');
        else if (roster.get(p.id) === p.village) add(p.village.slice(0, 6), type, 'matched');
      }
    }
    const rows = await q("SELECT region_code, roster_type, roster_persons, registry_flagged, matched, not_in_registry, not_on_roster, not_flagged, village_mismatch FROM dq_cross_department WHERE level = 'county'");
    const got = new Map(rows.map((r) => [`${r.region_code}|${r.roster_type}`, Object.fromEntries(Object.entries(r).filter(([k]) => !['region_code', 'roster_type'].includes(k)).map(([k, v]) => [k, Number(v)]))]));
    expect(got).toEqual(want);
    for (const [kind, planted] of [
      ['not_in_registry', fx.planted.notInRegistry],
      ['not_on_roster', fx.planted.notOnRoster],
      ['village_mismatch', fx.planted.villageMismatch],
      ['not_flagged', fx.planted.notFlagged],
    ] as const) {
      for (const p of planted) expect(await q('SELECT county_code FROM dq_roster_findings WHERE kind = ? AND pid = ?', [kind, pid(p.id)]), `${kind} ${p.id}`).toEqual([{ county_code: p.county }]);
    }
  });
});

describe('quarantine and reconciliation', () => {
  test('quarantined rows of the files dated in the report months equal truth.json, for the province and per county', async () => {
    const rows = await q('SELECT region_code, level, month, quarantined FROM dq_quarantine_month ORDER BY level, region_code');
    const inMonths = fx.truth.dirtyRows.filter((d) => {
      const m = /_(\d{4})(\d{2})\d{2}(\.|_)/.exec(d.file.replace(/_(\d{8})_(\d{8})/, '_$2'));
      return m && `${m[1]}-${m[2]}` >= fx.firstMonth && `${m[1]}-${m[2]}` <= fx.lastMonth;
    });
    expect(rows.filter((r) => r.level === 'province')).toEqual([{ region_code: '510000', level: 'province', month: fx.lastMonth, quarantined: inMonths.length }]);
    // The county of each planted row, read independently from the raw file: its village code,
    // else (points) its township code, else the county of its collection point in the points file.
    const regions = loadRegions();
    const county = (code: unknown) => (typeof code === 'string' && regions.byCode.get(code.slice(0, 6))?.level === 'county' ? code.slice(0, 6) : undefined);
    const dirty = new Set(fx.truth.dirtyRows.map((d) => `${d.file}#${d.row}`));
    const pointsFile = readdirSync(fx.batchDir).find((f) => f.startsWith('points_'))!;
    const pointCounty = new Map(
      (await readExport(join(fx.batchDir, pointsFile))).filter((r) => !dirty.has(`${fx.batch}/${pointsFile}#${r.row}`)).map((r) => [String(r.values['采集点编码']), county(r.values['乡镇代码'])]),
    );
    const raw = new Map<string, Map<number, RawRow>>();
    const want: Record<string, number> = {};
    for (const d of inMonths) {
      const name = d.file.split('/').at(-1)!;
      if (!raw.has(name)) raw.set(name, new Map((await readExport(join(fx.batchDir, name))).map((r) => [r.row, r])));
      const v = raw.get(name)!.get(d.row)?.values;
      if (!v) continue; // an unreadable row has no county
      const c = county(v['户籍村代码']) ?? county(v['乡镇代码']) ?? pointCounty.get(String(v['采集点编码']));
      if (c) want[c] = (want[c] ?? 0) + 1;
    }
    expect(Object.keys(want).length).toBeGreaterThan(3);
    const got = Object.fromEntries(rows.filter((r) => r.level === 'county').map((r) => [String(r.region_code), Number(r.quarantined)]));
    expect(got).toEqual(want);
  });

  test('snapshot differences (表库不符) per county equal truth.json', async () => {
    const end = readdirSync(fx.batchDir).filter((f) => f.startsWith('persons_')).sort().at(-1)!;
    const snapshotVillage = new Map((await readExport(join(fx.batchDir, end))).map((r) => [String(r.values['公民身份号码']), String(r.values['户籍村代码'])]));
    const want: Record<string, number> = {};
    for (const r of fx.truth.reconciliation) {
      const village = r.kind === 'extra' ? snapshotVillage.get(r.id_number)! : replay.atEnd.get(r.id_number)!.village;
      want[village.slice(0, 6)] = (want[village.slice(0, 6)] ?? 0) + 1;
    }
    const rows = await q("SELECT region_code, differences FROM dq_reconciliation_month WHERE level = 'county' AND month = ?", [fx.lastMonth]);
    expect(Object.fromEntries(rows.map((r) => [String(r.region_code), Number(r.differences)]))).toEqual(want);
  });
});

describe('score', () => {
  test('every county and city has a score; its counts are the tables’ (timeliness = on-time / due over months whose deadline passed)', async () => {
    const regions = loadRegions();
    const codes = [...regions.counties.map((c) => c.code), ...regions.cities.map((c) => c.code), '510000'];
    const run = (sql: string, params: readonly (string | number | boolean | null)[]) => q(sql, [...params]);
    const period = { id: fx.lastMonth.slice(0, 4), months: months.filter((m) => m.startsWith(fx.lastMonth.slice(0, 4))) };
    const scores = await qualityScores(run, { regions: codes, periods: [period] });
    expect(scores.length).toBe(codes.length);
    const due = await q(`SELECT region_code, sum(on_time) AS on_time, sum(points_due) AS due FROM dq_timeliness WHERE deadline_passed AND month IN (${period.months.map(() => '?').join(', ')}) GROUP BY ALL`, period.months);
    const byRegion = new Map(due.map((r) => [String(r.region_code), r]));
    for (const s of scores) {
      expect(s.score, s.region).not.toBeNull();
      expect(s.score!).toBeGreaterThanOrEqual(0);
      expect(s.score!).toBeLessThanOrEqual(100);
      const d = byRegion.get(s.region);
      if (d && Number(d.due) > 0) expect(s.components.timeliness, s.region).toMatchObject({ numerator: Number(d.on_time), denominator: Number(d.due) });
      if (s.region.endsWith('00') && s.region !== '510000') expect(cityOf(s.region)).toBe(s.region);
    }
    // The counties of the non-reporting points have a review share below 1 in the months they missed.
    for (const sh of fx.truth.shocks.filter((x) => x.rule === 'point_not_reporting')) {
      const [s] = await qualityScores(run, { regions: [sh.countyCode!], periods: [{ id: sh.period, months: [sh.period] }] });
      if (sh.period < fx.lastMonth) expect(s.components.timeliness.value!).toBeLessThan(1);
    }
  });
});
