/**
 * DDL of the warehouse build (a DuckDB file attached as `wh` during a refresh). Every
 * table and column is documented in docs/warehouse.md. Tables the engine reads are
 * listed first; `base_persons`, `change_log` and `loaded_files` are the warehouse's own
 * inputs for incremental runs.
 */
import { attributeColumnsDdl } from '../model/person-attributes.ts';

export const SCHEMA_VERSION = '1';

const A = attributeColumnsDdl();
const STORED = attributeColumnsDdl('stored');

export const WAREHOUSE_TABLES: Readonly<Record<string, string>> = {
  meta: `meta (key VARCHAR NOT NULL, value VARCHAR)`,
  regions: `regions (code VARCHAR NOT NULL, name VARCHAR NOT NULL, level VARCHAR NOT NULL, parent VARCHAR,
    city_code VARCHAR, county_code VARCHAR, township_code VARCHAR)`,
  person_spells: `person_spells (pid VARCHAR NOT NULL, valid_from DATE NOT NULL, valid_to DATE,
    township_code VARCHAR, county_code VARCHAR, city_code VARCHAR, ${A})`,
  events: `events (pid VARCHAR NOT NULL, event_date DATE NOT NULL, recorded_on DATE NOT NULL, event_type VARCHAR NOT NULL,
    reason VARCHAR NOT NULL, village_code VARCHAR, township_code VARCHAR, county_code VARCHAR, city_code VARCHAR, point_code VARCHAR,
    status_before VARCHAR, status_after VARCHAR, presence_before VARCHAR, presence_after VARCHAR,
    work_region_before VARCHAR, work_region_after VARCHAR, poverty_alleviated BOOLEAN, relocated BOOLEAN, sex VARCHAR, age_band VARCHAR,
    batch VARCHAR NOT NULL, file VARCHAR NOT NULL, row_no BIGINT NOT NULL)`,
  quarantine: `quarantine (run_id VARCHAR NOT NULL, batch VARCHAR NOT NULL, file VARCHAR NOT NULL, row_no BIGINT,
    column_key VARCHAR, raw_value VARCHAR, reason VARCHAR NOT NULL, message VARCHAR, county_code VARCHAR)`,
  reconciliation: `reconciliation (batch VARCHAR NOT NULL, file VARCHAR NOT NULL, snapshot_date DATE NOT NULL, pid VARCHAR NOT NULL,
    county_code VARCHAR, kind VARCHAR NOT NULL, column_key VARCHAR)`,
  reconciliation_summary: `reconciliation_summary (snapshot_date DATE NOT NULL, county_code VARCHAR, kind VARCHAR NOT NULL, count INTEGER NOT NULL)`,
  pii_vault: `pii_vault (pid VARCHAR NOT NULL, nonce BLOB NOT NULL, ciphertext BLOB NOT NULL, key_id VARCHAR NOT NULL, recorded_on DATE NOT NULL)`,
  points: `points (point_code VARCHAR NOT NULL, point_name VARCHAR, township_code VARCHAR, county_code VARCHAR,
    established_on DATE, as_of DATE NOT NULL)`,
  point_villages: `point_villages (point_code VARCHAR NOT NULL, village_code VARCHAR NOT NULL, as_of DATE NOT NULL)`,
  coverage_findings: `coverage_findings (as_of DATE NOT NULL, village_code VARCHAR NOT NULL, county_code VARCHAR, kind VARCHAR NOT NULL,
    point_codes VARCHAR[])`,
  submissions: `submissions (point_code VARCHAR NOT NULL, county_code VARCHAR, month VARCHAR NOT NULL, submitted_on DATE,
    township_reviewed_on DATE, county_verified_on DATE, status VARCHAR NOT NULL, verified_count INTEGER, added_count INTEGER,
    removed_count INTEGER, batch VARCHAR NOT NULL)`,
  rosters: `rosters (roster_type VARCHAR NOT NULL, pid VARCHAR NOT NULL, village_code VARCHAR, county_code VARCHAR, as_of DATE NOT NULL)`,
  agg_region_month: `agg_region_month (region_code VARCHAR NOT NULL, level VARCHAR NOT NULL, month VARCHAR NOT NULL,
    labour_force INTEGER NOT NULL, s10 INTEGER NOT NULL, s21 INTEGER NOT NULL, s22 INTEGER NOT NULL, s23 INTEGER NOT NULL,
    s24 INTEGER NOT NULL, s30 INTEGER NOT NULL, s40 INTEGER NOT NULL, s50 INTEGER NOT NULL, employed INTEGER NOT NULL,
    transfer INTEGER NOT NULL, unemployed INTEGER NOT NULL, at_home INTEGER NOT NULL, away INTEGER NOT NULL,
    poverty_total INTEGER NOT NULL, poverty_transfer INTEGER NOT NULL, relocated_total INTEGER NOT NULL,
    relocated_transfer INTEGER NOT NULL, increases INTEGER NOT NULL, decreases INTEGER NOT NULL)`,
  agg_flows: `agg_flows (region_code VARCHAR NOT NULL, level VARCHAR NOT NULL, month VARCHAR NOT NULL, event_type VARCHAR NOT NULL,
    reason VARCHAR NOT NULL, count INTEGER NOT NULL)`,
  agg_transitions: `agg_transitions (region_code VARCHAR NOT NULL, level VARCHAR NOT NULL, month VARCHAR NOT NULL,
    status_from VARCHAR, status_to VARCHAR, count INTEGER NOT NULL)`,
  cube_month: `cube_month (village_code VARCHAR NOT NULL, month VARCHAR NOT NULL, employment_status VARCHAR, presence VARCHAR,
    sex VARCHAR, age_band VARCHAR, poverty_alleviated BOOLEAN, relocated BOOLEAN, veteran BOOLEAN, education VARCHAR,
    skill_level VARCHAR, training_wish BOOLEAN, count INTEGER NOT NULL)`,
  cube_destination: `cube_destination (village_code VARCHAR NOT NULL, month VARCHAR NOT NULL, employment_status VARCHAR,
    dest_province VARCHAR, dest_city VARCHAR, industry VARCHAR, count INTEGER NOT NULL)`,
  cube_service_need: `cube_service_need (village_code VARCHAR NOT NULL, month VARCHAR NOT NULL, service_need VARCHAR NOT NULL,
    employment_status VARCHAR, count INTEGER NOT NULL)`,
  festival_daily: `festival_daily (festival_year INTEGER NOT NULL, day INTEGER NOT NULL, region_code VARCHAR NOT NULL,
    level VARCHAR NOT NULL, dest_province VARCHAR, sex VARCHAR, age_band VARCHAR, poverty_alleviated BOOLEAN,
    returned INTEGER NOT NULL, departed INTEGER NOT NULL)`,
  revisions: `revisions (metric VARCHAR NOT NULL, region_code VARCHAR NOT NULL, month VARCHAR NOT NULL, old_value INTEGER,
    new_value INTEGER, batch VARCHAR, run_id VARCHAR NOT NULL)`,
  // inputs kept for incremental runs
  loaded_files: `loaded_files (run_id VARCHAR NOT NULL, batch VARCHAR NOT NULL, rel_path VARCHAR NOT NULL, kind VARCHAR NOT NULL,
    sha256 VARCHAR NOT NULL, format VARCHAR, encoding VARCHAR, rows_read BIGINT NOT NULL, rows_loaded BIGINT NOT NULL,
    rows_quarantined BIGINT NOT NULL, file_date DATE, bytes BIGINT, mtime_ms BIGINT)`,
  base_persons: `base_persons (pid VARCHAR NOT NULL, snapshot_date DATE NOT NULL, ${STORED}, batch VARCHAR NOT NULL, file VARCHAR NOT NULL,
    row_no BIGINT NOT NULL)`,
  change_log: `change_log (pid VARCHAR NOT NULL, event_date DATE NOT NULL, recorded_on DATE NOT NULL, event_type VARCHAR NOT NULL,
    reason VARCHAR NOT NULL, event_point_code VARCHAR, event_review_status VARCHAR, ${STORED}, row_hash VARCHAR NOT NULL,
    batch VARCHAR NOT NULL, file VARCHAR NOT NULL, row_no BIGINT NOT NULL)`,
};

/**
 * Columns added after a table's first version: a build copied from an older one gets them
 * (NULL in its existing rows) when a refresh opens it.
 */
const ADDED_COLUMNS: readonly { table: string; column: string; type: string }[] = [
  // the county of a quarantined row (from its village or township code), so counties see their own rejects
  { table: 'quarantine', column: 'county_code', type: 'VARCHAR' },
  // whether a vault record holds a phone, and its keyed hash (quality/phone-hashes.ts): the
  // shared-phone check then needs no decryption; NULL in records written before
  { table: 'pii_vault', column: 'has_phone', type: 'BOOLEAN' },
  { table: 'pii_vault', column: 'phone_hash', type: 'VARCHAR' },
];

/** CREATE TABLE IF NOT EXISTS statements for the attached warehouse `wh`, then the added columns. */
export function warehouseDdl(catalog = 'wh'): string[] {
  return [
    ...Object.values(WAREHOUSE_TABLES).map((body) => `CREATE TABLE IF NOT EXISTS ${catalog}.${body}`),
    ...ADDED_COLUMNS.map((c) => `ALTER TABLE ${catalog}.${c.table} ADD COLUMN IF NOT EXISTS ${c.column} ${c.type}`),
  ];
}
