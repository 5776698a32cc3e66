/**
 * Draws the stratified random sample of a sampling evaluation (抽样评估) from a published
 * warehouse.
 *
 * Frame: persons active in the registry on the warehouse's data date, in the counties of
 * the chosen region (province, city or county). Domains: counties — each county gets
 * its own sample size n_c from the desired margin of error and confidence with the
 * finite-population correction (sample-size.ts), so that every county's accuracy is
 * estimated to that precision. Strata: the townships of the county — n_c is allocated
 * to them in proportion to their registered population (largest remainder), so the
 * county sample is self-weighting.
 *
 * Selection within a township: the persons with the k smallest values of
 * sha256(seed ':' pid) — a simple random sample without replacement that depends only on
 * the seed and the frame (same seed and same warehouse build → the same sample,
 * whatever the row order), computed set-based in DuckDB.
 */
import { listValue } from '@duckdb/node-api';
import { levelOfCode } from '../reference/regions.ts';
import { sampleSize } from './sample-size.ts';
import { proportionalAllocation } from './proportional-allocation.ts';
import type { SamplingStratum, SamplingUnit } from './sampling-store.ts';
import type { WarehouseQuery } from './warehouse-query.ts';

export interface DrawOptions {
  /** Province 510000, a city (e.g. 511700) or a county (e.g. 511702). */
  readonly region: string;
  readonly seed: string;
  readonly marginOfError: number;
  readonly confidence: number;
  /** Expected accuracy used in the sample-size formula (0.5 = safest). */
  readonly expectedAccuracy: number;
  /** The frame date: persons active at the end of this day (the warehouse's data date). */
  readonly asOf: string;
}

export interface DrawnSample {
  readonly population: number;
  readonly sampleSize: number;
  readonly strata: SamplingStratum[];
  /** Units in sample-id order; `sampleId(drawId)` numbers them per county. */
  readonly units: Omit<SamplingUnit, 'sampleId'>[];
}

/** The county-code prefix of a sampling region (only province, city, county). */
export function samplingPrefix(region: string): string {
  switch (levelOfCode(region)) {
    case 'province':
      return region.slice(0, 2);
    case 'city':
      return region.slice(0, 4);
    case 'county':
      return region;
    default:
      throw new RangeError(`a sample is drawn for the province, a city or a county, not '${region}'`);
  }
}

const ACTIVE_AT = `valid_from <= CAST($asOf AS DATE) AND (valid_to IS NULL OR valid_to > CAST($asOf AS DATE))`;

export async function drawSample(query: WarehouseQuery, o: DrawOptions): Promise<DrawnSample> {
  const prefix = samplingPrefix(o.region);
  const counts = await query(
    `SELECT county_code, township_code, count(*) AS n FROM person_spells
     WHERE ${ACTIVE_AT.replaceAll('$asOf', '$1')} AND starts_with(county_code, $2)
     GROUP BY ALL ORDER BY township_code`,
    [o.asOf, prefix],
  );
  const byCounty = new Map<string, { township: string; n: number }[]>();
  for (const r of counts) {
    const county = String(r.county_code);
    let list = byCounty.get(county);
    if (!list) byCounty.set(county, (list = []));
    list.push({ township: String(r.township_code), n: Number(r.n) });
  }
  const strata: SamplingStratum[] = [];
  for (const county of [...byCounty.keys()].sort()) {
    const towns = byCounty.get(county)!;
    const N = towns.reduce((s, t) => s + t.n, 0);
    const n = sampleSize({ populationSize: N, marginOfError: o.marginOfError, confidence: o.confidence, expectedProportion: o.expectedAccuracy });
    const alloc = proportionalAllocation(n, towns.map((t) => t.n));
    towns.forEach((t, i) => strata.push({ countyCode: county, townshipCode: t.township, population: t.n, sampleSize: alloc[i] }));
  }
  const drawn = strata.filter((s) => s.sampleSize > 0);
  const rows = drawn.length
    ? await query(
        `WITH alloc AS (SELECT unnest($1::VARCHAR[]) AS township_code, unnest($2::INTEGER[]) AS k)
         SELECT p.pid, p.county_code, p.township_code, p.village_code
         FROM person_spells p JOIN alloc a ON a.township_code = p.township_code
         WHERE ${ACTIVE_AT.replaceAll('$asOf', '$3')} AND starts_with(p.county_code, $4)
         QUALIFY row_number() OVER (PARTITION BY p.township_code ORDER BY sha256($5 || ':' || p.pid), p.pid) <= any_value(a.k) OVER (PARTITION BY p.township_code)
         ORDER BY p.county_code, p.township_code, sha256($5 || ':' || p.pid), p.pid`,
        [listValue(drawn.map((s) => s.townshipCode)), listValue(drawn.map((s) => s.sampleSize)), o.asOf, prefix, o.seed],
      )
    : [];
  const units = rows.map((r) => ({ pid: String(r.pid), countyCode: String(r.county_code), townshipCode: String(r.township_code), villageCode: String(r.village_code) }));
  const population = strata.reduce((s, x) => s + x.population, 0);
  const total = strata.reduce((s, x) => s + x.sampleSize, 0);
  if (units.length !== total) throw new Error(`sample draw returned ${units.length} persons for an allocation of ${total}`);
  return { population, sampleSize: total, strata, units };
}

/** Numbers the units per county: S<draw>-<county>-<0001…>, in draw order. */
export function numberUnits(drawId: number, units: readonly Omit<SamplingUnit, 'sampleId'>[]): SamplingUnit[] {
  const seq = new Map<string, number>();
  return units.map((u) => {
    const k = (seq.get(u.countyCode) ?? 0) + 1;
    seq.set(u.countyCode, k);
    return { ...u, sampleId: `S${drawId}-${u.countyCode}-${String(k).padStart(4, '0')}` };
  });
}
