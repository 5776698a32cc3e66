/**
 * Sampling evaluations (抽样评估) in the application-state database: each draw with its
 * parameters and sampling frame (warehouse version and data date), its strata
 * (county × township, population and allocated size), its sampled units (pid = keyed
 * hash, never a name or ID number) and the third-party verification results.
 *
 * Corrections reported by verifiers are stored per field; for the personal fields
 * (name, ID number, phone) only the fact that the field was corrected is kept, never the
 * value, so that no personal data lands in plaintext in the state file.
 */
import { stateSchema, type StateDb } from '../state/open-state-db.ts';

stateSchema(
  'sampling',
  `CREATE TABLE IF NOT EXISTS sampling_draws (
     draw_id INTEGER PRIMARY KEY,
     created_at TEXT NOT NULL,
     created_by TEXT NOT NULL,
     region TEXT NOT NULL,
     seed TEXT NOT NULL,
     margin_of_error REAL NOT NULL,
     confidence REAL NOT NULL,
     expected_accuracy REAL NOT NULL,
     warehouse_version TEXT NOT NULL,
     data_as_of TEXT NOT NULL,
     population INTEGER NOT NULL,
     sample_size INTEGER NOT NULL
   );
   CREATE TABLE IF NOT EXISTS sampling_strata (
     draw_id INTEGER NOT NULL REFERENCES sampling_draws(draw_id),
     county_code TEXT NOT NULL,
     township_code TEXT NOT NULL,
     population INTEGER NOT NULL,
     sample_size INTEGER NOT NULL,
     PRIMARY KEY (draw_id, township_code)
   );
   CREATE TABLE IF NOT EXISTS sampling_units (
     draw_id INTEGER NOT NULL REFERENCES sampling_draws(draw_id),
     sample_id TEXT NOT NULL,
     county_code TEXT NOT NULL,
     township_code TEXT NOT NULL,
     village_code TEXT NOT NULL,
     pid TEXT NOT NULL,
     PRIMARY KEY (draw_id, sample_id)
   );
   CREATE INDEX IF NOT EXISTS sampling_units_county ON sampling_units (draw_id, county_code);
   CREATE TABLE IF NOT EXISTS sampling_results (
     draw_id INTEGER NOT NULL,
     sample_id TEXT NOT NULL,
     result TEXT NOT NULL CHECK (result IN ('match', 'mismatch', 'not_found')),
     corrections TEXT NOT NULL,
     verified_on TEXT,
     verifier TEXT,
     import_id INTEGER NOT NULL,
     PRIMARY KEY (draw_id, sample_id),
     FOREIGN KEY (draw_id, sample_id) REFERENCES sampling_units(draw_id, sample_id)
   );
   CREATE TABLE IF NOT EXISTS sampling_imports (
     import_id INTEGER PRIMARY KEY,
     draw_id INTEGER NOT NULL REFERENCES sampling_draws(draw_id),
     imported_at TEXT NOT NULL,
     imported_by TEXT NOT NULL,
     file_name TEXT,
     rows INTEGER NOT NULL,
     inserted INTEGER NOT NULL,
     replaced INTEGER NOT NULL
   );`,
);

export type VerificationOutcome = 'match' | 'mismatch' | 'not_found';

export interface SamplingDraw {
  readonly drawId: number;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly region: string;
  readonly seed: string;
  readonly marginOfError: number;
  readonly confidence: number;
  readonly expectedAccuracy: number;
  readonly warehouseVersion: string;
  readonly dataAsOf: string;
  readonly population: number;
  readonly sampleSize: number;
}

export interface SamplingStratum {
  readonly countyCode: string;
  readonly townshipCode: string;
  readonly population: number;
  readonly sampleSize: number;
}

export interface SamplingUnit {
  readonly sampleId: string;
  readonly countyCode: string;
  readonly townshipCode: string;
  readonly villageCode: string;
  readonly pid: string;
}

export interface Correction {
  /** Contract column key (e.g. employment_status). */
  readonly field: string;
  /** Corrected value; null for personal fields, whose values are never stored. */
  readonly value: string | null;
}

export interface VerificationResult {
  readonly sampleId: string;
  readonly result: VerificationOutcome;
  readonly corrections: readonly Correction[];
  readonly verifiedOn: string | null;
  readonly verifier: string | null;
}

export interface ImportSummary {
  readonly importId: number;
  readonly rows: number;
  readonly inserted: number;
  readonly replaced: number;
}

interface DrawRow {
  draw_id: number;
  created_at: string;
  created_by: string;
  region: string;
  seed: string;
  margin_of_error: number;
  confidence: number;
  expected_accuracy: number;
  warehouse_version: string;
  data_as_of: string;
  population: number;
  sample_size: number;
}

const toDraw = (r: DrawRow): SamplingDraw => ({
  drawId: r.draw_id,
  createdAt: r.created_at,
  createdBy: r.created_by,
  region: r.region,
  seed: r.seed,
  marginOfError: r.margin_of_error,
  confidence: r.confidence,
  expectedAccuracy: r.expected_accuracy,
  warehouseVersion: r.warehouse_version,
  dataAsOf: r.data_as_of,
  population: r.population,
  sampleSize: r.sample_size,
});

export class SamplingStore {
  constructor(
    private readonly db: StateDb,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Stores a drawn sample in one transaction; returns the draw with its new id. */
  saveDraw(draw: Omit<SamplingDraw, 'drawId' | 'createdAt'>, strata: readonly SamplingStratum[], units: (drawId: number) => readonly SamplingUnit[]): SamplingDraw {
    return this.db.transaction(() => {
      const info = this.db
        .prepare(
          `INSERT INTO sampling_draws (created_at, created_by, region, seed, margin_of_error, confidence, expected_accuracy, warehouse_version, data_as_of, population, sample_size)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(this.now().toISOString(), draw.createdBy, draw.region, draw.seed, draw.marginOfError, draw.confidence, draw.expectedAccuracy, draw.warehouseVersion, draw.dataAsOf, draw.population, draw.sampleSize);
      const drawId = Number(info.lastInsertRowid);
      const st = this.db.prepare('INSERT INTO sampling_strata (draw_id, county_code, township_code, population, sample_size) VALUES (?, ?, ?, ?, ?)');
      for (const s of strata) st.run(drawId, s.countyCode, s.townshipCode, s.population, s.sampleSize);
      const su = this.db.prepare('INSERT INTO sampling_units (draw_id, sample_id, county_code, township_code, village_code, pid) VALUES (?, ?, ?, ?, ?, ?)');
      for (const u of units(drawId)) su.run(drawId, u.sampleId, u.countyCode, u.townshipCode, u.villageCode, u.pid);
      return this.getDraw(drawId)!;
    }).immediate();
  }

  getDraw(drawId: number): SamplingDraw | undefined {
    const r = this.db.prepare('SELECT * FROM sampling_draws WHERE draw_id = ?').get(drawId) as DrawRow | undefined;
    return r ? toDraw(r) : undefined;
  }

  /** Draws, newest first. */
  listDraws(limit = 100): SamplingDraw[] {
    return (this.db.prepare('SELECT * FROM sampling_draws ORDER BY draw_id DESC LIMIT ?').all(limit) as DrawRow[]).map(toDraw);
  }

  strata(drawId: number): SamplingStratum[] {
    return (
      this.db.prepare('SELECT county_code, township_code, population, sample_size FROM sampling_strata WHERE draw_id = ? ORDER BY township_code').all(drawId) as {
        county_code: string;
        township_code: string;
        population: number;
        sample_size: number;
      }[]
    ).map((r) => ({ countyCode: r.county_code, townshipCode: r.township_code, population: r.population, sampleSize: r.sample_size }));
  }

  /** Units of a draw in sample-id order, optionally only those whose village code starts with a prefix (a region's code prefix). */
  units(drawId: number, villagePrefix = ''): SamplingUnit[] {
    return (
      this.db
        .prepare("SELECT sample_id, county_code, township_code, village_code, pid FROM sampling_units WHERE draw_id = ? AND substr(village_code, 1, length(?)) = ? ORDER BY sample_id")
        .all(drawId, villagePrefix, villagePrefix) as { sample_id: string; county_code: string; township_code: string; village_code: string; pid: string }[]
    ).map((r) => ({ sampleId: r.sample_id, countyCode: r.county_code, townshipCode: r.township_code, villageCode: r.village_code, pid: r.pid }));
  }

  /**
   * Stores verification results (a later import replaces an earlier result for the same
   * sample id). Every sample id must belong to the draw: the caller checks first and
   * reports unknown ids with their row numbers; here they abort the transaction.
   */
  saveResults(drawId: number, results: readonly VerificationResult[], importedBy: string, fileName: string | null): ImportSummary {
    return this.db.transaction(() => {
      const exists = this.db.prepare('SELECT 1 FROM sampling_units WHERE draw_id = ? AND sample_id = ?');
      const had = this.db.prepare('SELECT 1 FROM sampling_results WHERE draw_id = ? AND sample_id = ?');
      const imp = this.db
        .prepare('INSERT INTO sampling_imports (draw_id, imported_at, imported_by, file_name, rows, inserted, replaced) VALUES (?, ?, ?, ?, ?, 0, 0)')
        .run(drawId, this.now().toISOString(), importedBy, fileName, results.length);
      const importId = Number(imp.lastInsertRowid);
      const put = this.db.prepare(
        `INSERT INTO sampling_results (draw_id, sample_id, result, corrections, verified_on, verifier, import_id) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (draw_id, sample_id) DO UPDATE SET result = excluded.result, corrections = excluded.corrections,
           verified_on = excluded.verified_on, verifier = excluded.verifier, import_id = excluded.import_id`,
      );
      let inserted = 0;
      let replaced = 0;
      for (const r of results) {
        if (!exists.get(drawId, r.sampleId)) throw new Error(`sample id '${r.sampleId}' is not in draw ${drawId}`);
        if (had.get(drawId, r.sampleId)) replaced++;
        else inserted++;
        put.run(drawId, r.sampleId, r.result, JSON.stringify(r.corrections), r.verifiedOn, r.verifier, importId);
      }
      this.db.prepare('UPDATE sampling_imports SET inserted = ?, replaced = ? WHERE import_id = ?').run(inserted, replaced, importId);
      return { importId, rows: results.length, inserted, replaced };
    }).immediate();
  }

  results(drawId: number): VerificationResult[] {
    return (
      this.db.prepare('SELECT sample_id, result, corrections, verified_on, verifier FROM sampling_results WHERE draw_id = ? ORDER BY sample_id').all(drawId) as {
        sample_id: string;
        result: VerificationOutcome;
        corrections: string;
        verified_on: string | null;
        verifier: string | null;
      }[]
    ).map((r) => ({ sampleId: r.sample_id, result: r.result, corrections: JSON.parse(r.corrections) as Correction[], verifiedOn: r.verified_on, verifier: r.verifier }));
  }

  /** Sample ids of a draw inside a region prefix (for checking an import before saving it). */
  sampleIds(drawId: number, villagePrefix = ''): Set<string> {
    return new Set(this.units(drawId, villagePrefix).map((u) => u.sampleId));
  }

  /**
   * Per county, the results of the most recent draw that has results for it: the
   * sampling component of the quality score.
   */
  latestCountyResults(): Map<string, { drawId: number; matches: number; verified: number; population: number }> {
    const rows = this.db
      .prepare(
        `WITH c AS (
           SELECT u.draw_id, u.county_code, count(r.sample_id) AS verified, sum(r.result = 'match') AS matches
           FROM sampling_units u JOIN sampling_results r ON r.draw_id = u.draw_id AND r.sample_id = u.sample_id
           GROUP BY u.draw_id, u.county_code
         ),
         latest AS (SELECT county_code, max(draw_id) AS draw_id FROM c GROUP BY county_code)
         SELECT c.draw_id, c.county_code, c.verified, c.matches,
                (SELECT sum(population) FROM sampling_strata s WHERE s.draw_id = c.draw_id AND s.county_code = c.county_code) AS population
         FROM c JOIN latest l ON l.county_code = c.county_code AND l.draw_id = c.draw_id`,
      )
      .all() as { draw_id: number; county_code: string; verified: number; matches: number; population: number }[];
    return new Map(rows.map((r) => [r.county_code, { drawId: r.draw_id, matches: r.matches, verified: r.verified, population: r.population }]));
  }
}
