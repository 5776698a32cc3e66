/**
 * Renders docs/metrics.md from the catalogue (and the dimension whitelist), so the
 * documentation cannot drift from the code: `npm run docs:metrics` writes it and a test
 * fails when the committed file differs.
 */
import { METRICS, type MetricDefinition } from './catalogue.ts';
import { DIMENSIONS, getDimension } from './dimensions.ts';
import { QUALITY_WEIGHTS } from './quality-score.ts';
import { DEFAULT_SUBMISSION_DEADLINE_DAY } from './submission-deadline.ts';
import { REGION_MONTH_SQL } from './region-month-metrics.ts';
import { FESTIVAL_SQL } from './festival-metrics.ts';
import { POINT_SQL } from './point-metrics.ts';
import type { MetricSql } from './metric-sql.ts';

const KIND: Record<MetricDefinition['kind'], string> = { stock: 'stock (存量)', flow: 'flow (流量)', rate: 'rate (比率)', ratio: 'ratio (比值)' };

const esc = (s: string) => s.replaceAll('|', '\\|');

function sqlOf(m: MetricDefinition): string | undefined {
  const all: Record<string, MetricSql> = { ...REGION_MONTH_SQL, ...FESTIVAL_SQL, ...POINT_SQL };
  const s = all[m.id];
  if (!s) return undefined;
  return 'value' in s ? `value = \`${s.value}\`` : `numerator = \`${s.numerator}\`, denominator = \`${s.denominator}\``;
}

function section(m: MetricDefinition): string[] {
  const lines = [`### \`${m.id}\` — ${m.zh} / ${m.en}`, ''];
  lines.push('| | |', '| --- | --- |');
  lines.push(`| kind | ${KIND[m.kind]} |`);
  lines.push(`| unit | ${m.unit} |`);
  lines.push(`| definition | ${esc(m.definition.en)}<br>${esc(m.definition.zh)} |`);
  if (m.numerator) lines.push(`| numerator | ${esc(m.numerator.en)}<br>${esc(m.numerator.zh)} |`);
  if (m.denominator) lines.push(`| denominator | ${esc(m.denominator.en)}<br>${esc(m.denominator.zh)} |`);
  lines.push(`| population | ${esc(m.population.en)}<br>${esc(m.population.zh)} |`);
  lines.push(`| period | ${esc(m.period.en)}<br>${esc(m.period.zh)} |`);
  lines.push(`| dimensions | ${m.dimensions.length ? m.dimensions.map((d) => `\`${d}\` (${getDimension(d).zh})`).join(', ') : '— (region and period only)'} |`);
  lines.push(`| computed from | ${esc(m.computedFrom)}${sqlOf(m) ? `; SQL: ${esc(sqlOf(m)!)}` : ''} |`);
  if (m.higherIsBetter !== undefined) lines.push(`| better when | ${m.higherIsBetter ? 'higher' : 'lower'} |`);
  if (m.notes) lines.push(`| notes | ${esc(m.notes.en)}<br>${esc(m.notes.zh)} |`);
  lines.push('');
  return lines;
}

export function renderMetricsDoc(): string {
  const lines = [
    '# Metric catalogue (指标目录)',
    '',
    '<!-- Generated from warehouse/metrics/catalogue.ts by `npm run docs:metrics`. Do not edit by hand: a test fails when this file differs from the catalogue. -->',
    '',
    'Every figure of the platform (API, dashboards, alerts, briefings) is one of these metrics. Ids are fixed.',
    'Values come from `GET /api/metrics/values?region=CODE&period=P&metrics=id,id` as',
    '`{ "region", "period", "values": { "<id>": { "value", "numerator"?, "denominator"? } } }`; rates and ratios',
    'always carry their numerator and denominator.',
    '',
    '## Periods',
    '',
    '- `YYYY-MM` a month, `YYYY-Qn` a quarter, `YYYY` a year.',
    '- **Stocks** are the state at the end of the period: the end of its last month. For the current, incomplete month',
    '  (the warehouse marks the month of `data_as_of`) and for a period still running, the last month of the history is used.',
    '- **Flows** are summed over the months of the period inside the history.',
    '- A period wholly outside the history gives `null` values (the values route answers 404 naming the covered months).',
    '- Rates and ratios are `numerator / denominator`, `null` when the denominator is 0 or unknown.',
    '- Regions: any level (province 510000, city 511700, county 511702, township 9 digits, village 12 digits); figures of',
    '  a region are the sum over its villages (by the home village of each person).',
    '',
    '## Spring Festival metrics',
    '',
    `Day 0 is 正月初一 of the festival, computed with date-chinese (\`springFestivalDate\`); the window runs from day −45 to day +60.`,
    "For a period the festival is the one of the period's calendar year and the figures are cumulative from day −45 up to",
    'the last day of the period, at most day +60. They are null when the window starts before the history or after',
    '`data_as_of`. Day-aligned daily series for several years are served by `GET /api/festival`.',
    '',
    '## Collection points',
    '',
    `The monthly submission deadline is day ${DEFAULT_SUBMISSION_DEADLINE_DAY} of the following month (environment \`RLM_SUBMISSION_DEADLINE_DAY\` overrides it).`,
    'The point structure is the latest points file in the warehouse build.',
    '',
    '## Data-quality score (interim)',
    '',
    `Weights: quarantine ${QUALITY_WEIGHTS.quarantine}, update rate ${QUALITY_WEIGHTS.update}, on-time rate ${QUALITY_WEIGHTS.onTime}, reconciliation ${QUALITY_WEIGHTS.reconciliation}.`,
    'This formula is interim: when the warehouse build holds the data-quality tables of issue 9 (`dq_meta` and the other',
    '`dq_*` tables), the full score of `warehouse/quality/quality-scores.ts` (docs/quality.md) is served instead under the',
    'same id `quality_score`, with the same value / numerator / denominator convention.',
    '',
    '## Overview',
    '',
    '| id | 中文 | English | kind | unit |',
    '| --- | --- | --- | --- | --- |',
    ...METRICS.map((m) => `| \`${m.id}\` | ${m.zh} | ${m.en} | ${m.kind} | ${m.unit} |`),
    '',
    '## Definitions',
    '',
    ...METRICS.flatMap(section),
    '## Dimensions (whitelist)',
    '',
    'Breakdowns in the explorer and the festival analysis use only these names.',
    '',
    '| id | 中文 | English | values |',
    '| --- | --- | --- | --- |',
    ...DIMENSIONS.map((d) => `| \`${d.id}\` | ${d.zh} | ${d.en} | ${d.values ? d.values.map((v) => `${v.code}${v.code !== v.zh ? ` ${v.zh}` : ''}`).join('; ') : 'region codes (6 digits)'} |`),
    '',
  ];
  return lines.join('\n');
}
