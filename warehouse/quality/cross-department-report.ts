/**
 * Cross-department comparison of a region for the API (dq_cross_department): per roster
 * type the roster and registry counts and each kind of finding, for the region and its
 * children; and a page of the findings (dq_roster_findings) — pids only.
 */
import { levelOfCode } from '../reference/regions.ts';
import { CHILD_LEVEL, villagePrefix } from './region-filter.ts';
import type { QualityRow, WarehouseQuery } from './warehouse-query.ts';

export type RosterFindingKind = 'not_in_registry' | 'not_on_roster' | 'not_flagged' | 'village_mismatch';

export interface RosterCounts {
  readonly rosterType: string;
  readonly rosterPersons: number;
  readonly registryFlagged: number;
  readonly matched: number;
  readonly notInRegistry: number;
  readonly notOnRoster: number;
  readonly notFlagged: number;
  readonly villageMismatch: number;
}

const countsOf = (r: QualityRow): RosterCounts => ({
  rosterType: String(r.roster_type),
  rosterPersons: Number(r.roster_persons),
  registryFlagged: Number(r.registry_flagged),
  matched: Number(r.matched),
  notInRegistry: Number(r.not_in_registry),
  notOnRoster: Number(r.not_on_roster),
  notFlagged: Number(r.not_flagged),
  villageMismatch: Number(r.village_mismatch),
});

export async function crossDepartmentReport(
  query: WarehouseQuery,
  region: string,
): Promise<{ asOf: Record<string, string>; summary: RosterCounts[]; children: { code: string; rosters: RosterCounts[] }[] }> {
  const child = CHILD_LEVEL[levelOfCode(region)!];
  const [own, children, asOf] = await Promise.all([
    query('SELECT * FROM dq_cross_department WHERE region_code = ? ORDER BY roster_type', [region]),
    child && child !== 'village'
      ? query('SELECT * FROM dq_cross_department WHERE level = ? AND starts_with(region_code, ?) ORDER BY region_code, roster_type', [child, villagePrefix(region)])
      : Promise.resolve([]),
    query('SELECT roster_type, max(as_of) AS as_of FROM rosters GROUP BY roster_type ORDER BY roster_type'),
  ]);
  const byChild = new Map<string, RosterCounts[]>();
  for (const r of children) {
    const code = String(r.region_code);
    let l = byChild.get(code);
    if (!l) byChild.set(code, (l = []));
    l.push(countsOf(r));
  }
  return {
    asOf: Object.fromEntries(asOf.map((r) => [String(r.roster_type), String(r.as_of)])),
    summary: own.map(countsOf),
    children: [...byChild].map(([code, rosters]) => ({ code, rosters })),
  };
}

export interface RosterFindingRow {
  readonly pid: string;
  readonly rosterType: string;
  readonly kind: RosterFindingKind;
  readonly registryVillage: string | null;
  readonly rosterVillage: string | null;
  readonly countyCode: string;
}

export async function rosterFindingsPage(
  query: WarehouseQuery,
  o: { region: string; rosterType?: string; kind?: RosterFindingKind; limit: number; offset: number },
): Promise<{ total: number; rows: RosterFindingRow[] }> {
  const where = ['starts_with(village_code, ?)'];
  const params: (string | number)[] = [villagePrefix(o.region)];
  if (o.rosterType) (where.push('roster_type = ?'), params.push(o.rosterType));
  if (o.kind) (where.push('kind = ?'), params.push(o.kind));
  const w = where.join(' AND ');
  const [total, rows] = await Promise.all([
    query(`SELECT count(*) AS n FROM dq_roster_findings WHERE ${w}`, params),
    query(
      `SELECT pid, roster_type, kind, registry_village, roster_village, county_code FROM dq_roster_findings WHERE ${w}
       ORDER BY roster_type, county_code, kind, village_code, pid LIMIT ? OFFSET ?`,
      [...params, o.limit, o.offset],
    ),
  ]);
  return {
    total: Number(total[0]?.n ?? 0),
    rows: rows.map((r) => ({
      pid: String(r.pid),
      rosterType: String(r.roster_type),
      kind: r.kind as RosterFindingKind,
      registryVillage: r.registry_village === null ? null : String(r.registry_village),
      rosterVillage: r.roster_village === null ? null : String(r.roster_village),
      countyCode: String(r.county_code),
    })),
  };
}
