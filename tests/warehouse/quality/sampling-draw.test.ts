/**
 * Sampling evaluation on the generated province: the draw is reproducible from its seed
 * and stratified as specified (county sample sizes from the margin of error with the
 * finite-population correction, proportional allocation to townships, the k smallest
 * sha256(seed:pid) per township — recomputed here in plain TypeScript), and the Wilson
 * intervals of the estimated accuracy cover the true accuracy of the simulated field
 * checks (records planted as wrong are found wrong by the simulated third party).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createHash } from 'node:crypto';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { connectionQuery, type WarehouseQuery } from '../../../warehouse/quality/warehouse-query.ts';
import { drawSample, numberUnits } from '../../../warehouse/quality/draw-sample.ts';
import { sampleSize } from '../../../warehouse/quality/sample-size.ts';
import { proportionalAllocation } from '../../../warehouse/quality/proportional-allocation.ts';
import { combinedAccuracy, countyAccuracy } from '../../../warehouse/quality/accuracy-estimates.ts';
import type { VerificationResult } from '../../../warehouse/quality/sampling-store.ts';
import { loadDataKeys } from '../../../warehouse/vault/data-keys.ts';
import { pidOf } from '../../../warehouse/vault/pid-hash.ts';
import { FIXTURE_SETTINGS, FIXTURE_TIMEOUT_MS, generatedQualityFixture, type GeneratedFixture } from './generated-fixture.ts';
import { replayRegistry, stateFindings, type Person } from './independent-quality.ts';

let fx: GeneratedFixture;
let instance: DuckDBInstance;
let conn: DuckDBConnection;
let q: WarehouseQuery;
let active: Map<string, Person>;
let pidKey: Buffer;
const idOfPid = new Map<string, string>();

beforeAll(async () => {
  fx = await generatedQualityFixture();
  instance = await DuckDBInstance.create(fx.buildFile, { access_mode: 'READ_ONLY' });
  conn = await instance.connect();
  q = connectionQuery(conn);
  pidKey = loadDataKeys(fx.dataDir).pidKey;
  const replay = await replayRegistry({ batchDir: fx.batchDir, batch: fx.batch, truth: fx.truth, firstMonth: fx.firstMonth, lastMonth: fx.lastMonth, dataAsOf: fx.dataAsOf, settings: FIXTURE_SETTINGS });
  active = replay.atEnd;
  for (const id of active.keys()) idOfPid.set(pidOf(id, pidKey), id);
}, FIXTURE_TIMEOUT_MS);
afterAll(() => {
  conn?.closeSync();
  instance?.closeSync();
});

const options = (seed: string, region = '510000', marginOfError = 0.1) => ({ region, seed, marginOfError, confidence: 0.95, expectedAccuracy: 0.5, asOf: fx.dataAsOf });

describe('draw', () => {
  test('the same seed gives the same sample, also from another connection; another seed another sample', async () => {
    const a = await drawSample(q, options('seed-A'));
    const b = await drawSample(q, options('seed-A'));
    expect(b).toEqual(a);
    const other = await DuckDBInstance.create(fx.buildFile, { access_mode: 'READ_ONLY' });
    const c2 = await other.connect();
    try {
      expect(await drawSample(connectionQuery(c2), options('seed-A'))).toEqual(a);
    } finally {
      c2.closeSync();
      other.closeSync();
    }
    const c = await drawSample(q, options('seed-B'));
    expect(c.strata).toEqual(a.strata); // sizes depend on the frame only
    const inA = new Set(a.units.map((u) => u.pid));
    const overlap = c.units.filter((u) => inA.has(u.pid)).length / c.units.length;
    // Counties are small (≈ 45 persons), so samples of ≈ 35 overlap a lot by necessity; far from identical though.
    expect(overlap).toBeLessThan(0.9);
    expect(numberUnits(7, a.units).map((u) => u.sampleId)).toEqual(numberUnits(7, b.units).map((u) => u.sampleId));
  });

  test('stratified as specified: n per county from the formula, proportional township allocation, k smallest sha256(seed:pid)', async () => {
    const seed = 'strata-check';
    const d = await drawSample(q, options(seed, '511700', 0.08));
    const byTownship = new Map<string, string[]>();
    for (const p of active.values()) {
      if (!p.village.startsWith('5117')) continue;
      const t = p.village.slice(0, 9);
      byTownship.set(t, [...(byTownship.get(t) ?? []), pidOf(p.id, pidKey)]);
    }
    const counties = [...new Set([...byTownship.keys()].map((t) => t.slice(0, 6)))].sort();
    const expectedUnits: string[] = [];
    let total = 0;
    for (const c of counties) {
      const towns = [...byTownship.keys()].filter((t) => t.startsWith(c)).sort();
      const sizes = towns.map((t) => byTownship.get(t)!.length);
      const N = sizes.reduce((s, x) => s + x, 0);
      const n = sampleSize({ populationSize: N, marginOfError: 0.08, confidence: 0.95 });
      total += n;
      const alloc = proportionalAllocation(n, sizes);
      towns.forEach((t, i) => {
        const stratum = d.strata.find((s) => s.townshipCode === t)!;
        expect(stratum, t).toMatchObject({ countyCode: c, population: sizes[i], sampleSize: alloc[i] });
        const ranked = byTownship
          .get(t)!
          .map((pid) => ({ pid, h: createHash('sha256').update(`${seed}:${pid}`).digest('hex') }))
          .sort((x, y) => (x.h < y.h ? -1 : x.h > y.h ? 1 : x.pid.localeCompare(y.pid)));
        expectedUnits.push(...ranked.slice(0, alloc[i]).map((r) => r.pid));
      });
      const drawn = d.units.filter((u) => u.countyCode === c);
      expect(drawn.length, c).toBe(n);
    }
    expect(d.sampleSize).toBe(total);
    expect(d.population).toBe([...byTownship.values()].reduce((s, l) => s + l.length, 0));
    expect(d.units.map((u) => u.pid).sort()).toEqual(expectedUnits.sort());
    // Every unit lies in its stratum's township and village.
    for (const u of d.units) expect(active.get(idOfPid.get(u.pid)!)!.village).toBe(u.villageCode);
  });

  test('a county region draws that county only; an empty frame has no units', async () => {
    const d = await drawSample(q, options('x', '511702'));
    expect(new Set(d.units.map((u) => u.countyCode))).toEqual(new Set(['511702']));
    await expect(drawSample(q, options('x', '511702001'))).rejects.toThrow(/province, a city or a county/);
  });
});

describe('accuracy estimates', () => {
  test('the 95 % Wilson intervals cover the true accuracy of the simulated field checks in ≥ 90 % of counties, and the 99 % province interval covers it', async () => {
    // Records that a field check finds wrong: every record with a plausibility finding on the data date
    // (status vs work region, age, income), the planted ones, and a designated tenth of all records
    // (a keyed hash, independent of the sample), more in the 东部 cities to vary the rate by county.
    const wrong = new Set<string>();
    for (const p of active.values()) {
      const f = stateFindings(p, fx.dataAsOf, FIXTURE_SETTINGS);
      if (f.has('status_work_region') || f.has('age_over_limit') || f.has('income_out_of_range')) wrong.add(p.id);
      const h = createHash('sha256').update(`field-check:${p.id}`).digest()[0];
      if (h < (['5117', '5113', '5119'].includes(p.village.slice(0, 4)) ? 64 : 20)) wrong.add(p.id);
    }
    for (const p of [...fx.planted.statusWorkRegion, ...fx.planted.incomeOutOfRange, ...fx.planted.ageOverLimit]) wrong.add(p.id);
    const d = await drawSample(q, options('accuracy-1', '510000', 0.1));
    const units = numberUnits(1, d.units);
    // The third party reaches 95 % of the sampled persons (the rest stay pending).
    const results: VerificationResult[] = units
      .filter((u) => createHash('sha256').update(`reach:${u.sampleId}`).digest()[0] < 243)
      .map((u) => ({ sampleId: u.sampleId, result: wrong.has(idOfPid.get(u.pid)!) ? 'mismatch' : 'match', corrections: [], verifiedOn: '2026-04-20', verifier: 'test' }));
    const estimates = countyAccuracy(d.strata, units, results, 0.95);
    const truthByCounty = new Map<string, { n: number; ok: number }>();
    for (const p of active.values()) {
      const c = p.village.slice(0, 6);
      const t = truthByCounty.get(c) ?? { n: 0, ok: 0 };
      t.n++;
      if (!wrong.has(p.id)) t.ok++;
      truthByCounty.set(c, t);
    }
    let covered = 0;
    let counted = 0;
    for (const e of estimates) {
      const t = truthByCounty.get(e.countyCode)!;
      expect(e.population).toBe(t.n);
      if (e.verified === 0) continue;
      counted++;
      const trueAccuracy = t.ok / t.n;
      if (e.lower! <= trueAccuracy + 1e-12 && trueAccuracy <= e.upper! + 1e-12) covered++;
    }
    expect(counted).toBeGreaterThan(140);
    expect(covered / counted).toBeGreaterThanOrEqual(0.9);
    // The province: one interval, checked at 99 % so that a 1-in-20 miss of a correct method does not fail the test.
    const all = combinedAccuracy(countyAccuracy(d.strata, units, results, 0.99), 0.99);
    const total = [...truthByCounty.values()].reduce((s, t) => ({ n: s.n + t.n, ok: s.ok + t.ok }), { n: 0, ok: 0 });
    expect(all.lower!).toBeLessThanOrEqual(total.ok / total.n);
    expect(all.upper!).toBeGreaterThanOrEqual(total.ok / total.n);
    expect(all.upper! - all.lower!).toBeLessThan(0.05); // thousands of verified records
    // Reported, for the record: the coverage achieved.
    console.log(`accuracy intervals: ${covered}/${counted} counties covered the true rate; province ${all.accuracy!.toFixed(4)} [${all.lower!.toFixed(4)}, ${all.upper!.toFixed(4)}] vs true ${(total.ok / total.n).toFixed(4)}`);
  });
});
