/**
 * Sampling evaluations (抽样评估) for the API: draw a stratified sample from the served
 * warehouse build and store it in the state database, export it for the third party
 * (masked identities, the registry's current values, blank columns for the results),
 * import the verification results, and estimate accuracy per county with Wilson
 * intervals. docs/quality.md, "Sampling evaluation".
 */
import { drawSample, numberUnits } from '../../warehouse/quality/draw-sample.ts';
import { countyAccuracy, combinedAccuracy, type CombinedAccuracy, type CountyAccuracy } from '../../warehouse/quality/accuracy-estimates.ts';
import { maskedIdentities } from '../../warehouse/quality/masked-identities.ts';
import { SamplingStore, type ImportSummary, type SamplingDraw, type SamplingUnit } from '../../warehouse/quality/sampling-store.ts';
import { parseVerificationRows, RESULT_COLUMNS, type ResultProblem } from '../../warehouse/quality/verification-results.ts';
import type { WarehouseQuery } from '../../warehouse/quality/warehouse-query.ts';
import { EMPLOYMENT_STATUS, INDUSTRY } from '../../warehouse/contract/codes.ts';
import { loadRegions } from '../../warehouse/reference/regions.ts';
import type { TableResult } from './table-result.ts';
import type { ResultFileRow } from './sampling-result-file.ts';

export interface DrawRequest {
  readonly region: string;
  readonly seed: string;
  readonly marginOfError: number;
  readonly confidence: number;
  readonly expectedAccuracy: number;
  readonly createdBy: string;
}

export class SamplingImportError extends Error {
  override name = 'SamplingImportError';
  constructor(readonly problems: readonly ResultProblem[], fileName: string) {
    const shown = problems.slice(0, 20).map((p) => `row ${p.row} ${p.field}: ${p.message}`);
    super(`${fileName}: ${problems.length} problem(s), nothing imported: ${shown.join('; ')}${problems.length > 20 ? '; …' : ''}`);
  }
}

/** The columns of the export, in order (Chinese headers as the third party sees them). */
export const EXPORT_COLUMNS = [
  RESULT_COLUMNS.sample_id,
  '县（市、区）代码',
  '县（市、区）',
  '乡镇（街道）',
  '村（社区）',
  '姓名',
  '公民身份号码',
  '性别',
  '出生年月',
  '就业状态',
  '所在状态',
  '就业地区代码',
  '就业行业',
  '月收入',
  '脱贫劳动力',
  '易地搬迁',
  '最近核实日期',
  '仍在库',
  RESULT_COLUMNS.result,
  RESULT_COLUMNS.corrections,
  RESULT_COLUMNS.verifier,
  RESULT_COLUMNS.checked_on,
] as const;

const label = (list: readonly { code: string; zh: string }[], code: unknown) => {
  if (code === null || code === undefined) return null;
  const c = list.find((x) => x.code === String(code));
  return c ? `${c.code} ${c.zh}` : String(code);
};
const flag = (v: unknown) => (v === null || v === undefined ? null : v === true ? '是' : '否');

export class SamplingService {
  readonly store: SamplingStore;

  constructor(
    private readonly query: WarehouseQuery,
    store: SamplingStore,
    private readonly vaultKey: () => Buffer,
  ) {
    this.store = store;
  }

  private async buildMeta(): Promise<{ version: string; dataAsOf: string }> {
    const rows = await this.query("SELECT key, value FROM meta WHERE key IN ('version', 'data_as_of')");
    const m = new Map(rows.map((r) => [String(r.key), String(r.value)]));
    return { version: m.get('version') ?? '', dataAsOf: m.get('data_as_of') ?? '' };
  }

  async draw(r: DrawRequest): Promise<SamplingDraw> {
    const meta = await this.buildMeta();
    const drawn = await drawSample(this.query, { region: r.region, seed: r.seed, marginOfError: r.marginOfError, confidence: r.confidence, expectedAccuracy: r.expectedAccuracy, asOf: meta.dataAsOf });
    if (drawn.population === 0) throw new RangeError(`no registered persons in region ${r.region} on ${meta.dataAsOf}`);
    return this.store.saveDraw(
      {
        createdBy: r.createdBy,
        region: r.region,
        seed: r.seed,
        marginOfError: r.marginOfError,
        confidence: r.confidence,
        expectedAccuracy: r.expectedAccuracy,
        warehouseVersion: meta.version,
        dataAsOf: meta.dataAsOf,
        population: drawn.population,
        sampleSize: drawn.sampleSize,
      },
      drawn.strata,
      (drawId) => numberUnits(drawId, drawn.units),
    );
  }

  /** Per county: population and sample size of a draw inside a region prefix. */
  counties(drawId: number, prefix: string): { code: string; name: string | null; population: number; sampleSize: number; townships: number }[] {
    const by = new Map<string, { population: number; sampleSize: number; townships: number }>();
    for (const s of this.store.strata(drawId)) {
      if (!s.townshipCode.startsWith(prefix)) continue;
      const c = by.get(s.countyCode) ?? { population: 0, sampleSize: 0, townships: 0 };
      c.population += s.population;
      c.sampleSize += s.sampleSize;
      c.townships++;
      by.set(s.countyCode, c);
    }
    const names = loadRegions().byCode;
    return [...by].sort(([a], [b]) => a.localeCompare(b)).map(([code, c]) => ({ code, name: names.get(code)?.name ?? null, ...c }));
  }

  /** The export table: one row per sampled person inside the prefix, masked, with the registry's latest values. */
  async exportTable(draw: SamplingDraw, prefix: string): Promise<TableResult> {
    const units = this.store.units(draw.drawId, prefix);
    const latest = new Map<string, Record<string, unknown>>();
    for (let i = 0; i < units.length; i += 500) {
      const pids = units.slice(i, i + 500).map((u) => u.pid);
      const rows = await this.query(
        `SELECT pid, sex, strftime(birth_date, '%Y-%m') AS birth_month, employment_status, presence, work_region_code, industry, monthly_income,
                poverty_alleviated, relocated, verified_on, valid_to IS NULL AS active
         FROM person_spells WHERE pid IN (${pids.map(() => '?').join(', ')})
         QUALIFY row_number() OVER (PARTITION BY pid ORDER BY valid_from DESC) = 1`,
        pids,
      );
      for (const r of rows) latest.set(String(r.pid), r);
    }
    const ids = await maskedIdentities(this.query, units.map((u) => u.pid), this.vaultKey());
    const names = loadRegions().byCode;
    const rows = units.map((u: SamplingUnit) => {
      const p = latest.get(u.pid);
      const id = ids.get(u.pid);
      const v = (x: unknown) => (x === null || x === undefined ? null : String(x));
      const cells: (string | number | null)[] = [
        u.sampleId,
        u.countyCode,
        names.get(u.countyCode)?.name ?? null,
        names.get(u.townshipCode)?.name ?? u.townshipCode,
        names.get(u.villageCode)?.name ?? u.villageCode,
        id?.name ?? null,
        id?.idNumber ?? null,
        v(p?.sex),
        v(p?.birth_month),
        label(EMPLOYMENT_STATUS, p?.employment_status),
        v(p?.presence),
        v(p?.work_region_code),
        label(INDUSTRY, p?.industry),
        p?.monthly_income === null || p?.monthly_income === undefined ? null : Number(p.monthly_income),
        flag(p?.poverty_alleviated),
        flag(p?.relocated),
        v(p?.verified_on),
        p ? (p.active ? '是' : '否') : '否',
        null,
        null,
        null,
        null,
      ];
      return Object.fromEntries(EXPORT_COLUMNS.map((c, i) => [c, cells[i]]));
    });
    return { columns: EXPORT_COLUMNS.map((name) => ({ name, type: name === '月收入' ? 'number' : 'string' })), rows };
  }

  /** Checks and stores imported results; throws SamplingImportError naming every bad row. */
  importResults(draw: SamplingDraw, rows: readonly ResultFileRow[], prefix: string, importedBy: string, fileName: string): ImportSummary & { skipped: number } {
    const parsed = parseVerificationRows(rows, this.store.sampleIds(draw.drawId, prefix));
    if (parsed.problems.length > 0) throw new SamplingImportError(parsed.problems, fileName);
    const summary = this.store.saveResults(draw.drawId, parsed.results, importedBy, fileName);
    return { ...summary, skipped: parsed.skipped };
  }

  estimates(draw: SamplingDraw, prefix: string): { counties: (CountyAccuracy & { name: string | null })[]; combined: CombinedAccuracy } {
    // Restricted to the part of the draw inside the reader's region (prefix of a province, city, county or township).
    const strata = this.store.strata(draw.drawId).filter((s) => s.townshipCode.startsWith(prefix));
    const counties = countyAccuracy(strata, this.store.units(draw.drawId, prefix), this.store.results(draw.drawId), draw.confidence);
    const names = loadRegions().byCode;
    return { counties: counties.map((c) => ({ ...c, name: names.get(c.countyCode)?.name ?? null })), combined: combinedAccuracy(counties, draw.confidence) };
  }
}
