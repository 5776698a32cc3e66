/**
 * Runs the row checks of a file kind over a staging table in one set-based statement
 * and materialises the result as a "checked" table: the normalised text columns, the
 * index of the first failing check (NULL = row accepted), and the quarantine raw value.
 * Rows that need the registry state (change files) are checked afterwards by
 * event-state-checks.ts, which only ever turns accepted rows into rejected ones.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { COLUMNS, type FileKind } from '../contract/columns.ts';
import { paramsFor, type ParamBag } from '../model/named-params.ts';
import { rowChecksFor, STATE_CHECKS, type RowCheck } from './row-checks.ts';
import { sqlIdent } from './sql-constant.ts';

export interface CheckedFile {
  /** Name of the checked table (in the staging catalog). */
  readonly table: string;
  /** checks[i - 1] is the check with index i in the `failed` column. */
  readonly checks: readonly RowCheck[];
}

/** The columns of the normalised staging row, for the keys the kind has. */
function normalisedSelect(kind: FileKind, present: ReadonlySet<string>): string {
  return COLUMNS[kind]
    .map((spec) => {
      const id = sqlIdent(spec.key);
      if (!present.has(spec.key)) return `CAST(NULL AS VARCHAR) AS ${id}`;
      return spec.key === 'id_number' ? `upper(${id}) AS ${id}` : id;
    })
    .join(', ');
}

/**
 * Values derived once per row and used by several rules and by the loaders: the parsed
 * DATE of every date column (`d__<key>`) and the ID number problem (`id__problem`).
 */
function derivedSelect(kind: FileKind): string {
  const out = COLUMNS[kind].filter((spec) => spec.type === 'date').map((spec) => `rlm_date(${sqlIdent(spec.key)}) AS ${sqlIdent(`d__${spec.key}`)}`);
  if (COLUMNS[kind].some((spec) => spec.key === 'id_number')) out.push('rlm_id_problem(id_number) AS id__problem');
  return out.length ? `, ${out.join(', ')}` : '';
}

/** Key columns of the duplicate-row rule per kind (changes: the whole row). */
function duplicateKey(kind: FileKind): string[] {
  if (kind === 'points') return ['point_code'];
  if (kind === 'submissions') return ['point_code', 'month'];
  return COLUMNS[kind].map((s) => s.key);
}

export async function checkStagedRows(
  conn: DuckDBConnection,
  options: {
    kind: FileKind;
    staging: string;
    /** Keys present in the staging table. */
    columns: readonly string[];
    checkedTable: string;
    fileDate: ParamBag[string];
    rosterType?: string;
  },
): Promise<CheckedFile> {
  const { kind } = options;
  const checks = rowChecksFor(kind);
  const all = kind === 'changes' ? [...checks, ...STATE_CHECKS] : checks;
  const present = new Set(options.columns);
  const joins: string[] = [];
  const extra: string[] = [];
  const has = (k: string) => COLUMNS[kind].some((s) => s.key === k);
  if (has('village_code')) joins.push(`LEFT JOIN (SELECT code FROM wh.regions WHERE level = 'village') rv ON rv.code = s.village_code`);
  if (has('work_region_code')) joins.push(`LEFT JOIN (SELECT code FROM wh.regions WHERE level IN ('province', 'city', 'county')) wr ON wr.code = s.work_region_code`);
  if (has('point_code') && kind !== 'points') joins.push(`LEFT JOIN (SELECT DISTINCT point_code FROM wh.points) pt ON pt.point_code = s.point_code`);
  if (kind === 'persons' || kind === 'roster') {
    joins.push(`LEFT JOIN (SELECT id_number FROM norm WHERE id_number IS NOT NULL GROUP BY id_number HAVING count(*) > 1) dup ON dup.id_number = s.id_number`);
  }
  if (kind === 'changes' || kind === 'points' || kind === 'submissions') {
    // Rows after the first with the same key. A 64-bit hash finds the few candidates with a
    // hash aggregate; only those are compared exactly (a sort over every column of every row
    // would dominate the check of a large changes file).
    const key = duplicateKey(kind).map(sqlIdent).join(', ');
    joins.push(`LEFT JOIN (
        SELECT row_no FROM (
          SELECT row_no, row_number() OVER (PARTITION BY ${key} ORDER BY row_no) AS rn
          FROM norm SEMI JOIN (SELECT hash(${key}) AS hk FROM norm GROUP BY hk HAVING count(*) > 1) h ON hash(${key}) = h.hk)
        WHERE rn > 1) dk ON dk.row_no = s.row_no`);
  }
  if (kind === 'points') {
    joins.push(`LEFT JOIN (SELECT code FROM wh.regions WHERE level = 'township') tw ON tw.code = s.township_code`);
    joins.push(`LEFT JOIN (
        SELECT p.row_no,
          min(CASE WHEN r.code IS NULL THEN p.v END) AS unknown_village,
          min(CASE WHEN r.code IS NOT NULL AND substr(p.v, 1, 9) <> p.township_code THEN p.v END) AS outside_village
        FROM (SELECT row_no, township_code, trim(unnest(string_split(village_codes, ';'))) AS v FROM norm) p
        LEFT JOIN (SELECT code FROM wh.regions WHERE level = 'village') r ON r.code = p.v
        GROUP BY p.row_no) pv ON pv.row_no = s.row_no`);
    extra.push('pv.unknown_village AS pv_unknown_village', 'pv.outside_village AS pv_outside_village');
  }
  const failedCase = `CASE ${checks.map((ch, i) => `WHEN ${ch.when} THEN ${i + 1}`).join('\n      ')} END`;
  const rawCase = `CASE s.failed ${all.map((ch, i) => `WHEN ${i + 1} THEN CAST(${ch.raw} AS VARCHAR)`).join(' ')} END`;
  const sql = `CREATE OR REPLACE TABLE ${sqlIdent(options.checkedTable)} AS
    WITH norm0 AS NOT MATERIALIZED (SELECT row_no, ${normalisedSelect(kind, present)} FROM ${sqlIdent(options.staging)}),
    norm AS NOT MATERIALIZED (SELECT *${derivedSelect(kind)} FROM norm0)
    SELECT s.*, ${rawCase} AS raw_value FROM (
      SELECT s.*, ${[...extra, `${failedCase} AS failed`].join(', ')}
      FROM norm s
      ${joins.join('\n      ')}
    ) s`;
  await conn.run(sql, paramsFor(sql, { file_date: options.fileDate, roster_type: options.rosterType ?? null }));
  return { table: options.checkedTable, checks: all };
}

/** Writes the checks list as a lookup table (index, reason, column, message) in the staging catalog. */
export async function writeChecksTable(conn: DuckDBConnection, table: string, checks: readonly RowCheck[]): Promise<void> {
  await conn.run(`CREATE OR REPLACE TABLE ${sqlIdent(table)} (idx INTEGER, reason VARCHAR, column_key VARCHAR, message VARCHAR)`);
  const appender = await conn.createAppender(table);
  checks.forEach((ch, i) => {
    appender.appendInteger(i + 1);
    appender.appendVarchar(ch.reason);
    if (ch.column === null) appender.appendNull();
    else appender.appendVarchar(ch.column);
    appender.appendVarchar(ch.message);
    appender.endRow();
  });
  appender.closeSync();
}
