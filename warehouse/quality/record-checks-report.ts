/**
 * Record checks of a region for one report month, for the API (dq_record_checks): active
 * records, stale records, findings per check, for the region and its children; and a
 * page of the worklist (dq_person_findings) — pids only; the route masks identities.
 */
import { levelOfCode } from '../reference/regions.ts';
import { CHILD_LEVEL, villagePrefix } from './region-filter.ts';
import { RECORD_CHECK_IDS, type RecordCheckId } from './record-checks.ts';
import type { QualityRow, WarehouseQuery } from './warehouse-query.ts';

export interface RecordCheckCounts {
  readonly active: number;
  /** Per check id: persons (state checks) or events (event checks); null = check unavailable. */
  readonly findings: Readonly<Record<RecordCheckId, number | null>>;
}

const countsOf = (r: QualityRow): RecordCheckCounts => ({
  active: Number(r.active),
  findings: Object.fromEntries(RECORD_CHECK_IDS.map((id) => [id, r[id] === null || r[id] === undefined ? null : Number(r[id])])) as Record<RecordCheckId, number | null>,
});

export async function recordChecksReport(
  query: WarehouseQuery,
  region: string,
  month: string,
): Promise<{ summary: RecordCheckCounts | null; children: (RecordCheckCounts & { code: string })[] }> {
  const child = CHILD_LEVEL[levelOfCode(region)!];
  const [own, children] = await Promise.all([
    query('SELECT * FROM dq_record_checks WHERE region_code = ? AND month = ?', [region, month]),
    child && child !== 'village'
      ? query('SELECT * FROM dq_record_checks WHERE level = ? AND month = ? AND starts_with(region_code, ?) ORDER BY region_code', [child, month, villagePrefix(region)])
      : Promise.resolve([]),
  ]);
  return { summary: own[0] ? countsOf(own[0]) : null, children: children.map((r) => ({ code: String(r.region_code), ...countsOf(r) })) };
}

export interface FindingRow {
  readonly pid: string;
  readonly check: RecordCheckId;
  readonly month: string;
  readonly refDate: string;
  readonly villageCode: string;
  readonly townshipCode: string;
  readonly countyCode: string;
  readonly detail: string;
}

/** A page of the record-check worklist inside a region, for a check and month. */
export async function findingsPage(
  query: WarehouseQuery,
  o: { region: string; check: RecordCheckId; month: string; limit: number; offset: number },
): Promise<{ total: number; rows: FindingRow[] }> {
  const where = 'check_id = ? AND month = ? AND starts_with(village_code, ?)';
  const params = [o.check, o.month, villagePrefix(o.region)];
  const [total, rows] = await Promise.all([
    query(`SELECT count(*) AS n FROM dq_person_findings WHERE ${where}`, params),
    query(
      `SELECT pid, check_id, month, ref_date, village_code, township_code, county_code, detail FROM dq_person_findings WHERE ${where}
       ORDER BY county_code, township_code, village_code, detail, pid LIMIT ? OFFSET ?`,
      [...params, o.limit, o.offset],
    ),
  ]);
  return {
    total: Number(total[0]?.n ?? 0),
    rows: rows.map((r) => ({
      pid: String(r.pid),
      check: r.check_id as RecordCheckId,
      month: String(r.month),
      refDate: String(r.ref_date),
      villageCode: String(r.village_code),
      townshipCode: String(r.township_code),
      countyCode: String(r.county_code),
      detail: String(r.detail),
    })),
  };
}
