/**
 * Evaluates rules for one period on a warehouse build: one set-based query per
 * quantity source (shared by the rules that use it, over the union of their levels),
 * then every region's quantities judged against each rule. A source that cannot say
 * anything about the period (e.g. the submission deadline has not passed) makes its
 * rules "not applicable"; a failing query makes them "error" with the message.
 */
import type { AlertLevel } from './alert-level.ts';
import type { Rule } from './rule-schema.ts';
import type { WarehouseReader } from './warehouse-reader.ts';
import type { SourceRow, SourceSettings } from './sources/quantity-source.ts';
import { SOURCES } from './sources/sources.ts';
import { judgeRow, type Judgement } from './judge-row.ts';
import { severityRank } from './severity.ts';

export interface Observation {
  readonly rule: string;
  readonly region: string;
  readonly level: AlertLevel;
  readonly scope: string;
  readonly period: string;
  readonly judgement: Judgement;
  readonly quantities: Readonly<Record<string, number | null>>;
  readonly labels: Readonly<Record<string, string>>;
}

export interface RuleResult {
  readonly rule: Rule;
  readonly period: string;
  readonly status: 'ok' | 'not_applicable' | 'error';
  readonly message: string;
  readonly observations: readonly Observation[];
  readonly ms: number;
}

export interface Coverage {
  readonly firstMonth: string;
  readonly lastMonth: string;
  readonly dataAsOf: string;
}

export function coverageOf(wh: WarehouseReader): Coverage {
  const { first_month: firstMonth, last_month: lastMonth, data_as_of: dataAsOf } = wh.meta;
  if (!firstMonth || !lastMonth || !dataAsOf) throw new Error(`warehouse ${wh.file} has no first_month/last_month/data_as_of in its meta table`);
  return { firstMonth, lastMonth, dataAsOf };
}

/** Order of preference when a region has several rows (e.g. one per destination). */
function worse(a: Judgement, b: Judgement): boolean {
  const rank = (j: Judgement) => (j.outcome.kind === 'breach' ? 3 : j.outcome.kind === 'ok' ? 2 : 1);
  if (rank(a) !== rank(b)) return rank(a) > rank(b);
  if (a.outcome.kind === 'breach' && b.outcome.kind === 'breach' && a.outcome.severity !== b.outcome.severity) {
    return severityRank(a.outcome.severity) > severityRank(b.outcome.severity);
  }
  return (a.value ?? -Infinity) > (b.value ?? -Infinity);
}

/** Evaluates rules for one period. */
export async function evaluatePeriod(wh: WarehouseReader, rules: readonly Rule[], period: string, settings: SourceSettings): Promise<RuleResult[]> {
  return evaluatePlan(wh, new Map(rules.map((r) => [r.id, [period]])), rules, settings);
}

/**
 * Evaluates each rule for its planned periods: one query per source over every
 * applicable period and level its rules need; results ordered by rule, then period.
 */
export async function evaluatePlan(wh: WarehouseReader, plan: ReadonlyMap<string, readonly string[]>, rules: readonly Rule[], settings: SourceSettings): Promise<RuleResult[]> {
  const coverage = coverageOf(wh);
  const bySource = new Map<string, Rule[]>();
  for (const r of rules) if ((plan.get(r.id) ?? []).length) bySource.set(r.source, [...(bySource.get(r.source) ?? []), r]);
  const out: RuleResult[] = [];
  for (const [sourceId, group] of bySource) {
    const source = SOURCES[sourceId];
    const periods = [...new Set(group.flatMap((r) => plan.get(r.id)!))].sort();
    const na = new Map(periods.map((p) => [p, source.notApplicable(p, coverage, settings)]));
    const live = periods.filter((p) => !na.get(p));
    const levels = [...new Set(group.flatMap((r) => r.levels))];
    const t0 = performance.now();
    let rows: SourceRow[] = [];
    let failure: string | undefined;
    if (live.length) {
      try {
        rows = await source.query(wh, { periods: live, levels, dataAsOf: coverage.dataAsOf, settings });
      } catch (err) {
        failure = `source ${sourceId} failed: ${(err as Error).message.split('\n')[0]}`;
      }
    }
    const perPeriodMs = live.length ? Math.round((performance.now() - t0) / live.length) : 0;
    const byPeriod = new Map<string, SourceRow[]>();
    for (const row of rows) {
      const list = byPeriod.get(row.period);
      if (list) list.push(row);
      else byPeriod.set(row.period, [row]);
    }
    for (const rule of group) {
      for (const period of plan.get(rule.id)!) {
        const reason = na.get(period);
        if (reason) {
          out.push({ rule, period, status: 'not_applicable', message: reason, observations: [], ms: 0 });
          continue;
        }
        if (failure) {
          out.push({ rule, period, status: 'error', message: failure, observations: [], ms: perPeriodMs });
          continue;
        }
        const t1 = performance.now();
        const best = new Map<string, Observation>();
        for (const row of byPeriod.get(period) ?? []) {
          if (!rule.levels.includes(row.level)) continue;
          const judgement = judgeRow(rule, row.q);
          const prev = best.get(row.region);
          if (!prev || worse(judgement, prev.judgement)) {
            best.set(row.region, { rule: rule.id, region: row.region, level: row.level, scope: row.scope, period, judgement, quantities: row.q, labels: row.labels ?? {} });
          }
        }
        const observations = [...best.values()].sort((a, b) => (a.region < b.region ? -1 : a.region > b.region ? 1 : 0));
        out.push({ rule, period, status: 'ok', message: `${observations.length} regions`, observations, ms: perPeriodMs + Math.round(performance.now() - t1) });
      }
    }
  }
  return out;
}
