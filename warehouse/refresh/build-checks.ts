/**
 * Consistency checks a build must pass before it is published. Each returns a message
 * when it fails; the run then fails and the previous warehouse stays current.
 */
import type { DuckDBConnection } from '@duckdb/node-api';

interface Check {
  readonly name: string;
  /** Returns the number of offending rows/values (0 = pass). */
  readonly sql: string;
}

const CHECKS: readonly Check[] = [
  {
    name: 'every loaded file: rows read = rows loaded + rows quarantined',
    sql: 'SELECT count(*) FROM wh.loaded_files WHERE rows_read <> rows_loaded + rows_quarantined',
  },
  {
    name: 'spells have valid_to after valid_from',
    sql: 'SELECT count(*) FROM wh.person_spells WHERE valid_to IS NOT NULL AND valid_to <= valid_from',
  },
  {
    name: 'spells of a person do not overlap',
    sql: `SELECT count(*) FROM (SELECT valid_from, lag(valid_to) OVER (PARTITION BY pid ORDER BY valid_from) AS prev_to,
            lag(valid_from) OVER (PARTITION BY pid ORDER BY valid_from) AS prev_from FROM wh.person_spells)
          WHERE prev_from IS NOT NULL AND (prev_to IS NULL OR prev_to > valid_from)`,
  },
  {
    name: 'province labour force = persons active at each month end',
    sql: `SELECT count(*) FROM (
            SELECT a.month, a.labour_force,
              (SELECT count(*) FROM wh.person_spells s WHERE s.valid_from <= m.month_end AND (s.valid_to IS NULL OR s.valid_to > m.month_end)) AS n
            FROM wh.agg_region_month a JOIN check_months m ON m.month = a.month
            WHERE a.level = 'province') WHERE labour_force <> n`,
  },
  {
    name: 'cube_month total = province labour force',
    sql: `SELECT count(*) FROM (SELECT month, sum(count) AS n FROM wh.cube_month GROUP BY month) c
          JOIN wh.agg_region_month a ON a.month = c.month AND a.level = 'province' WHERE a.labour_force <> c.n`,
  },
  {
    name: 'levels add up: the sum over counties = the province, for every month and metric',
    sql: `SELECT count(*) FROM (SELECT month, sum(labour_force) AS lf, sum(employed) AS e, sum(increases) AS i, sum(decreases) AS d
            FROM wh.agg_region_month WHERE level = 'county' GROUP BY month) c
          JOIN wh.agg_region_month p ON p.month = c.month AND p.level = 'province'
          WHERE p.labour_force <> c.lf OR p.employed <> c.e OR p.increases <> c.i OR p.decreases <> c.d`,
  },
  {
    name: 'agg_region_month has one row per region and month',
    sql: `SELECT count(*) FROM (SELECT (SELECT count(*) FROM wh.regions) * (SELECT count(DISTINCT month) FROM wh.agg_region_month) AS expected,
            (SELECT count(*) FROM wh.agg_region_month) AS actual) WHERE expected <> actual`,
  },
  {
    name: 'no plaintext ID numbers in the quarantine',
    sql: `SELECT count(*) FROM wh.quarantine WHERE regexp_matches(raw_value, '[0-9]{17}[0-9Xx]')`,
  },
];

export async function runBuildChecks(conn: DuckDBConnection): Promise<string[]> {
  await conn.run(`CREATE OR REPLACE TABLE check_months AS
    SELECT month, least(last_day(CAST(month || '-01' AS DATE)), (SELECT CAST(value AS DATE) FROM wh.meta WHERE key = 'data_as_of')) AS month_end
    FROM (SELECT DISTINCT month FROM wh.agg_region_month)`);
  const failures: string[] = [];
  for (const c of CHECKS) {
    const n = Number(Object.values((await conn.runAndReadAll(c.sql)).getRowObjectsJS()[0])[0]);
    if (n !== 0) failures.push(`${c.name} (${n} violations)`);
  }
  await conn.run('DROP TABLE check_months');
  return failures;
}
