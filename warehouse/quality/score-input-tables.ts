/**
 * Monthly inputs of the score that come from the load itself:
 *
 *   dq_quarantine_month      per region and month: rows rejected into quarantine from the
 *                            files dated in that month (loaded_files.file_date). Rows are
 *                            counted under their county when the quarantine table records
 *                            one (column county_code); otherwise only the province row exists.
 *   dq_reconciliation_month  per region and month: differences (表库不符: missing, extra,
 *                            different) found by the persons snapshots dated in the month.
 *   dq_snapshot_months       months in which a persons snapshot after the base one was
 *                            loaded (loaded_files kind 'snapshot', and so compared): the consistency component exists
 *                            only for periods containing one.
 */
import { runNamed, type QualityBuildContext } from './quality-build-context.ts';
import { regionRollupSql } from './region-rollup.ts';

async function hasColumn(ctx: QualityBuildContext, table: string, column: string): Promise<boolean> {
  const [catalog, name] = ctx.t(table).includes('.') ? ctx.t(table).split('.') : [undefined, table];
  const reader = await ctx.conn.runAndReadAll(
    `SELECT count(*)::INTEGER AS n FROM information_schema.columns WHERE table_name = $name AND column_name = $column
       AND ($catalog IS NULL OR table_catalog = $catalog)`,
    { name, column, catalog: catalog ?? null },
  );
  return Number(reader.getRowObjectsJS()[0].n) > 0;
}

export async function buildScoreInputTables(ctx: QualityBuildContext): Promise<{ quarantineByCounty: boolean }> {
  const { t } = ctx;
  const byCounty = await hasColumn(ctx, 'quarantine', 'county_code');
  const fileMonth = `SELECT DISTINCT rel_path, strftime(file_date, '%Y-%m') AS month FROM ${t('loaded_files')} WHERE file_date IS NOT NULL`;
  await runNamed(
    ctx,
    `CREATE OR REPLACE TABLE ${t('dq_quarantine_month')} AS
     WITH q AS (
       SELECT f.month, ${byCounty ? 'q.county_code' : 'CAST(NULL AS VARCHAR) AS county_code'}
       FROM ${t('quarantine')} q JOIN (${fileMonth}) f ON f.rel_path = q.file
       WHERE f.month BETWEEN $first_month AND $last_month
     ),
     v AS (
       SELECT month, county_code, substr(county_code, 1, 4) || '00' AS city_code FROM q
     )
     ${regionRollupSql({ from: 'v', keys: ['month'], levels: byCounty ? ['county', 'city', 'province'] : ['province'], measures: 'count(*)::INTEGER AS quarantined' })}`,
    { first_month: ctx.firstMonth, last_month: ctx.lastMonth },
  );
  // Rows without a county roll up under a NULL county and city: keep only real codes (the province counts them).
  await runNamed(ctx, `DELETE FROM ${t('dq_quarantine_month')} WHERE region_code IS NULL`);
  await runNamed(
    ctx,
    `CREATE OR REPLACE TABLE ${t('dq_reconciliation_month')} AS
     WITH v AS (
       SELECT strftime(snapshot_date, '%Y-%m') AS month, county_code, substr(county_code, 1, 4) || '00' AS city_code, count
       FROM ${t('reconciliation_summary')}
       WHERE strftime(snapshot_date, '%Y-%m') BETWEEN $first_month AND $last_month AND county_code IS NOT NULL
     )
     ${regionRollupSql({ from: 'v', keys: ['month'], levels: ['county', 'city', 'province'], measures: 'sum(count)::INTEGER AS differences' })}`,
    { first_month: ctx.firstMonth, last_month: ctx.lastMonth },
  );
  await runNamed(
    ctx,
    `CREATE OR REPLACE TABLE ${t('dq_snapshot_months')} AS
     SELECT strftime(file_date, '%Y-%m') AS month, list(DISTINCT file_date ORDER BY file_date) AS snapshot_dates
     FROM ${t('loaded_files')}
     WHERE kind = 'snapshot' AND file_date IS NOT NULL AND strftime(file_date, '%Y-%m') BETWEEN $first_month AND $last_month
     GROUP BY ALL`,
    { first_month: ctx.firstMonth, last_month: ctx.lastMonth },
  );
  return { quarantineByCounty: byCounty };
}
