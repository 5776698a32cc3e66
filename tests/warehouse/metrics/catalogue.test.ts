/**
 * The catalogue holds exactly the issue's metric ids with complete definitions, and
 * docs/metrics.md is what the catalogue generates.
 */
import { describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { METRICS, METRIC_IDS, getMetric, hasFraction, isMetricId } from '../../../warehouse/metrics/catalogue.ts';
import { DIMENSION_IDS } from '../../../warehouse/metrics/dimensions.ts';
import { renderMetricsDoc } from '../../../warehouse/metrics/metrics-doc.ts';
import { METRICS_DOC_FILE } from '../../../warehouse/metrics/write-metrics-doc.ts';
import { REGION_MONTH_SQL } from '../../../warehouse/metrics/region-month-metrics.ts';
import { FESTIVAL_SQL } from '../../../warehouse/metrics/festival-metrics.ts';
import { POINT_SQL } from '../../../warehouse/metrics/point-metrics.ts';

/** The ids of issue 4 (fixed: checks outside the code rely on them). */
const ISSUE_IDS = [
  'labour_force', 'employed', 'transfer_employed', 'out_migrant_in_province', 'out_migrant_out_province', 'abroad', 'unemployed',
  'not_in_labour_force', 'unemployment_rate', 'employment_rate', 'at_home', 'away', 'increases', 'decreases', 'net_change',
  'poverty_employed', 'poverty_employed_yoy', 'relocated_employed', 'festival_returned', 'festival_departed',
  'festival_not_departed', 'festival_return_rate', 'point_coverage', 'point_update_rate', 'point_on_time_rate', 'quality_score',
];

describe('metric catalogue', () => {
  test('holds exactly the fixed ids, once each, in the issue order', () => {
    expect([...METRIC_IDS]).toEqual(ISSUE_IDS);
    expect(METRICS.map((m) => m.id)).toEqual(ISSUE_IDS);
    expect(isMetricId('unemployment_rate')).toBe(true);
    expect(isMetricId('unemployment_rate; DROP TABLE meta')).toBe(false);
    expect(() => getMetric('nope' as never)).toThrow(/unknown metric/);
  });

  test('every metric is fully defined in both languages', () => {
    for (const m of METRICS) {
      expect(m.zh, m.id).toMatch(/[\u4e00-\u9fff]/);
      expect(m.en, m.id).toMatch(/^[A-Z]/);
      for (const t of [m.definition, m.population, m.period]) {
        expect(t.en.length, m.id).toBeGreaterThan(10);
        expect(t.zh, m.id).toMatch(/[\u4e00-\u9fff]/);
      }
      for (const d of m.dimensions) expect(DIMENSION_IDS, m.id).toContain(d);
      expect(['stock', 'flow', 'rate', 'ratio']).toContain(m.kind);
    }
  });

  test('rates and ratios, and only they, name a numerator and a denominator', () => {
    for (const m of METRICS) {
      expect(Boolean(m.numerator && m.denominator), m.id).toBe(hasFraction(m));
    }
    expect(getMetric('unemployment_rate').kind).toBe('rate');
    expect(getMetric('poverty_employed_yoy').kind).toBe('ratio');
    expect(getMetric('labour_force').kind).toBe('stock');
    expect(getMetric('increases').kind).toBe('flow');
  });

  test('every metric has exactly one computation, of the kind its definition says', () => {
    const computed: Record<string, { value?: string; numerator?: string }> = { ...REGION_MONTH_SQL, ...FESTIVAL_SQL, ...POINT_SQL };
    for (const m of METRICS) {
      if (m.id === 'quality_score') continue; // computed by quality-score.ts from other metrics
      const sql = computed[m.id];
      expect(sql, m.id).toBeDefined();
      expect('numerator' in sql, m.id).toBe(hasFraction(m));
    }
    const sources = [REGION_MONTH_SQL, FESTIVAL_SQL, POINT_SQL].map((s) => Object.keys(s));
    expect(sources.flat().length).toBe(new Set(sources.flat()).size);
    expect(sources.flat().length).toBe(METRICS.length - 1);
  });

  test('docs/metrics.md is generated from the catalogue (run `npm run docs:metrics` after changing it)', () => {
    const doc = readFileSync(METRICS_DOC_FILE, 'utf8');
    expect(doc).toBe(renderMetricsDoc());
    for (const id of METRIC_IDS) expect(doc).toContain(`### \`${id}\``);
  });
});
