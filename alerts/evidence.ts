/**
 * The evidence shown with an alert: its deciding signal's metric over the last periods
 * against the thresholds and the rule's baseline, plus the rule's evidence series —
 * computed from the same source and expressions as the evaluation, for the few regions
 * that have an alert, in one query per rule.
 */
import type { Rule } from './rule-schema.ts';
import type { WarehouseReader } from './warehouse-reader.ts';
import type { SourceSettings, SourceRow } from './sources/quantity-source.ts';
import type { AlertLevel } from './alert-level.ts';
import { SOURCES } from './sources/sources.ts';
import { judgeRow } from './judge-row.ts';
import { addMonths } from './month.ts';

export interface Evidence {
  readonly periods: readonly string[];
  readonly signals: readonly {
    readonly id: string;
    readonly name: { zh: string; en: string };
    readonly unit: string;
    readonly condition: 'above' | 'below';
    readonly thresholds: Readonly<Record<string, number>>;
    readonly values: readonly (number | null)[];
  }[];
  readonly baseline: { readonly name: { zh: string; en: string }; readonly values: readonly (number | null)[] } | null;
  readonly series: readonly { readonly name: { zh: string; en: string }; readonly values: readonly (number | null)[] }[];
  readonly labels: Readonly<Record<string, string>>;
  readonly note: { zh: string; en: string };
}

const round = (v: number | null) => (v === null ? null : Math.round(v * 1e6) / 1e6);

/** The evidence periods of a rule ending at `period`, not before the data's first month. */
export function evidencePeriods(rule: Rule, period: string, firstMonth: string, settings: SourceSettings): string[] {
  const source = SOURCES[rule.source];
  const n = rule.evidence.periods;
  const all = source.evidencePeriods ? source.evidencePeriods(period, n, settings) : Array.from({ length: n }, (_, i) => addMonths(period, i - n + 1));
  return all.filter((p) => p >= firstMonth);
}

/**
 * Evidence for regions of one rule, each ending at its own last period. `labels`:
 * when a region has several rows per period (one per destination), the row whose labels
 * match is used, else the worst.
 */
export async function computeEvidence(
  wh: WarehouseReader,
  rule: Rule,
  targets: readonly { region: string; level: AlertLevel; period: string; labels: Readonly<Record<string, string>> }[],
  settings: SourceSettings,
): Promise<Map<string, Evidence>> {
  const out = new Map<string, Evidence>();
  if (targets.length === 0) return out;
  const firstMonth = wh.meta.first_month ?? '0000-01';
  const dataAsOf = wh.meta.data_as_of ?? '9999-12-31';
  const perTarget = new Map(targets.map((t) => [t.region, evidencePeriods(rule, t.period, firstMonth, settings)]));
  const periods = [...new Set([...perTarget.values()].flat())].sort();
  const coverage = { firstMonth, lastMonth: wh.meta.last_month ?? '9999-12', dataAsOf };
  const applicable = periods.filter((p) => !SOURCES[rule.source].notApplicable(p, coverage, settings));
  const rows: SourceRow[] = applicable.length
    ? await SOURCES[rule.source].query(wh, { periods: applicable, levels: [...new Set(targets.map((t) => t.level))], regions: targets.map((t) => t.region), dataAsOf, settings })
    : [];
  const byKey = new Map<string, SourceRow[]>();
  for (const r of rows) {
    const k = `${r.region}|${r.period}`;
    const list = byKey.get(k);
    if (list) list.push(r);
    else byKey.set(k, [r]);
  }
  for (const t of targets) {
    const ps = perTarget.get(t.region)!;
    const chosen = ps.map((p) => {
      const candidates = byKey.get(`${t.region}|${p}`) ?? [];
      const matching = candidates.filter((c) => Object.entries(c.labels ?? {}).every(([k, v]) => t.labels[k] === undefined || t.labels[k] === v));
      const pool = matching.length ? matching : candidates;
      if (pool.length <= 1) return pool[0];
      return pool.reduce((a, b) => ((judgeRow(rule, b.q).value ?? -Infinity) > (judgeRow(rule, a.q).value ?? -Infinity) ? b : a));
    });
    const qs = chosen.map((c) => c?.q ?? null);
    out.set(t.region, {
      periods: ps,
      signals: rule.signals.map((s) => ({
        id: s.id,
        name: s.name,
        unit: s.unit,
        condition: s.condition,
        thresholds: s.thresholds as Record<string, number>,
        values: qs.map((q) => (q ? round(s.metric.evaluate(q)) : null)),
      })),
      baseline: rule.evidence.baseline ? { name: rule.evidence.baselineName, values: qs.map((q) => (q ? round(rule.evidence.baseline!.evaluate(q)) : null)) } : null,
      series: rule.evidence.series.map((s) => ({ name: s.name, values: qs.map((q) => (q ? round(s.expr.evaluate(q)) : null)) })),
      labels: t.labels,
      note: rule.evidence.note,
    });
  }
  return out;
}
