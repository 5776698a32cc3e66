/**
 * After the files of a run are loaded: the person timeline, spells and events for the
 * persons whose history changed (all of them on a first build or a new base), then the
 * month aggregates of the months those changes touch, the festival windows they touch,
 * the revisions of months published complete before, and the meta table.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { RunScope } from './load-context.ts';
import { buildPersonTimeline } from '../model/person-timeline.ts';
import { buildSpells } from '../model/build-spells.ts';
import { buildEvents } from '../model/build-events.ts';
import { buildFlows, buildMonthCubes, buildRegionMonth, REGION_MONTH_METRICS } from '../model/build-aggregates.ts';
import { buildFestivalDaily, festivalYearOf, festivalYearsBetween } from '../model/build-festival-daily.ts';
import { addDays, lastDayOfMonth, monthEnds, monthOf } from '../model/month-calendar.ts';
import { isoDate, paramsFor } from '../model/named-params.ts';
import { springFestivalDate } from '../reference/festival.ts';
import { SCHEMA_VERSION } from '../schema/warehouse-schema.ts';

export interface DeriveOptions {
  readonly runId: string;
  readonly version: string;
  /** Latest batch of the run (recorded with revisions). */
  readonly batch: string;
  readonly builtAt: string;
  readonly step: <T>(name: string, fn: () => Promise<T>) => Promise<T>;
}

export interface DeriveResult {
  readonly dataAsOf: string;
  readonly firstMonth: string;
  readonly lastMonth: string;
  readonly monthsRecomputed: readonly string[];
  readonly festivalsRecomputed: readonly number[];
  readonly revisions: number;
}

async function scalar(conn: DuckDBConnection, sql: string, params: Record<string, string> = {}): Promise<unknown> {
  const rows = (await conn.runAndReadAll(sql, params)).getRowObjectsJS();
  return rows.length ? Object.values(rows[0])[0] : undefined;
}

export async function readMeta(conn: DuckDBConnection): Promise<Record<string, string>> {
  const rows = (await conn.runAndReadAll('SELECT key, value FROM wh.meta')).getRowObjectsJS();
  return Object.fromEntries(rows.map((r) => [String(r.key), r.value === null ? '' : String(r.value)]));
}

export async function deriveWarehouse(conn: DuckDBConnection, scope: RunScope, o: DeriveOptions): Promise<DeriveResult> {
  const meta = await readMeta(conn);
  const prevAsOf = meta.data_as_of || undefined;
  const baseDate = (await scalar(conn, "SELECT strftime(min(snapshot_date), '%Y-%m-%d') FROM wh.base_persons")) as string | null;
  if (!baseDate) throw new Error('no base persons snapshot has been loaded: the first batch must contain persons_YYYYMMDD (the base state)');
  const lastChanges = (await scalar(conn, "SELECT strftime(max(file_date), '%Y-%m-%d') FROM wh.loaded_files WHERE kind = 'changes'")) as string | null;
  const dataAsOf = lastChanges && lastChanges > baseDate ? lastChanges : baseDate;
  const firstMonth = monthOf(addDays(baseDate, 1));
  const months = monthEnds(firstMonth, dataAsOf);
  const full = scope.all || prevAsOf === undefined;

  // persons whose history changed
  if (full || scope.affectedCount > 0) {
    await o.step('timeline', () => buildPersonTimeline(conn, { table: 'timeline', affectedOnly: !full }, {}));
    await o.step('spells', () => buildSpells(conn, 'timeline', !full));
    await o.step('events', () => buildEvents(conn, 'timeline', !full));
    await conn.run('DROP TABLE IF EXISTS timeline');
  }

  // months to recompute
  let recompute = months;
  if (!full) {
    const starts: string[] = [];
    if (scope.minEventDate) starts.push(monthOf(scope.minEventDate));
    if (prevAsOf && prevAsOf !== dataAsOf) starts.push(monthOf(prevAsOf));
    const start = starts.sort()[0];
    recompute = start ? months.filter((m) => m.month >= start) : [];
  }
  await conn.run('CREATE OR REPLACE TABLE recompute_months (month VARCHAR, month_end DATE)');
  for (const m of recompute) await conn.run('INSERT INTO recompute_months VALUES ($month, $end)', { month: m.month, end: isoDate(m.end) });
  // months that were published complete before this run: changes to them are revisions
  const revisable = prevAsOf && !full ? recompute.filter((m) => lastDayOfMonth(m.month) <= prevAsOf).map((m) => m.month) : [];
  await conn.run('CREATE OR REPLACE TABLE revision_old AS SELECT * FROM wh.agg_region_month WHERE false');
  for (const month of revisable) await conn.run('INSERT INTO revision_old SELECT * FROM wh.agg_region_month WHERE month = $month', { month });

  if (recompute.length > 0) {
    await o.step('cubes', () => buildMonthCubes(conn));
    await o.step('region_month', () => buildRegionMonth(conn));
    await o.step('flows', () => buildFlows(conn));
  }
  // months no longer covered (e.g. a replaced base) are dropped
  for (const t of ['agg_region_month', 'agg_flows', 'agg_transitions', 'cube_month', 'cube_destination', 'cube_service_need']) {
    const sql = `DELETE FROM wh.${t} WHERE month < $first OR month > $last`;
    await conn.run(sql, paramsFor(sql, { first: firstMonth, last: monthOf(dataAsOf) }));
  }

  let revisions = 0;
  if (revisable.length > 0) {
    await o.step('revisions', async () => {
      const cols = REGION_MONTH_METRICS.join(', ');
      const sql = `INSERT INTO wh.revisions
        SELECT o.metric, o.region_code, o.month, o.old_value, n.new_value, $batch, $run_id
        FROM (UNPIVOT revision_old ON ${cols} INTO NAME metric VALUE old_value) o
        JOIN (UNPIVOT (SELECT * FROM wh.agg_region_month WHERE month IN (SELECT month FROM revision_old)) ON ${cols}
              INTO NAME metric VALUE new_value) n
          ON n.region_code = o.region_code AND n.level = o.level AND n.month = o.month AND n.metric = o.metric
        WHERE o.old_value IS DISTINCT FROM n.new_value
        ORDER BY o.month, o.metric, o.region_code`;
      await conn.run(sql, paramsFor(sql, { batch: o.batch, run_id: o.runId }));
      revisions = Number(await scalar(conn, 'SELECT count(*) FROM wh.revisions WHERE run_id = $run_id', { run_id: o.runId }));
    });
  }
  await conn.run('DROP TABLE IF EXISTS revision_old');

  // festival windows
  const coverageFrom = addDays(baseDate, 1);
  const inCoverage = festivalYearsBetween(coverageFrom, dataAsOf);
  let festivals: number[];
  if (full) festivals = inCoverage;
  else {
    const touched = new Set<number>();
    for (const d of scope.eventDates) {
      const y = festivalYearOf(d);
      if (y !== undefined) touched.add(y);
    }
    festivals = inCoverage.filter((y) => touched.has(y));
  }
  await conn.run('CREATE OR REPLACE TABLE recompute_festivals (year INTEGER, day0 DATE)');
  for (const y of festivals) await conn.run('INSERT INTO recompute_festivals VALUES ($year, $day0)', { year: y, day0: isoDate(springFestivalDate(y)) });
  if (festivals.length > 0) await o.step('festival_daily', () => buildFestivalDaily(conn));
  await conn.run('CREATE OR REPLACE TABLE coverage_festivals (year INTEGER)');
  for (const y of inCoverage) await conn.run('INSERT INTO coverage_festivals VALUES ($year)', { year: y });
  await conn.run('DELETE FROM wh.festival_daily WHERE festival_year NOT IN (SELECT year FROM coverage_festivals)');

  const last = months[months.length - 1];
  const entries: Record<string, string> = {
    version: o.version,
    schema_version: SCHEMA_VERSION,
    data_as_of: dataAsOf,
    built_at: o.builtAt,
    base_date: baseDate,
    first_month: firstMonth,
    last_month: last.month,
    last_month_partial: String(last.partial),
    last_month_end: last.end,
    festival_years: inCoverage.join(','),
  };
  await conn.run('DELETE FROM wh.meta');
  for (const [key, value] of Object.entries(entries)) await conn.run('INSERT INTO wh.meta VALUES ($key, $value)', { key, value });
  return {
    dataAsOf,
    firstMonth,
    lastMonth: last.month,
    monthsRecomputed: recompute.map((m) => m.month),
    festivalsRecomputed: festivals,
    revisions,
  };
}
