/**
 * THE metric catalogue: every figure the platform shows, with its exact definition.
 * The API, the alert rules, the briefings and the UI labels all read it, and
 * docs/metrics.md is generated from it (`npm run docs:metrics`; a test fails when the
 * two differ). Ids are fixed: checks outside the code rely on them.
 *
 * How each metric is computed from the warehouse aggregates is in metric-values.ts and
 * the per-source files beside it (region-month-metrics.ts, festival-metrics.ts,
 * point-metrics.ts, quality-score.ts).
 */
import { PERSON_DIMENSIONS, FESTIVAL_DIMENSIONS, type DimensionId } from './dimensions.ts';

export const METRIC_IDS = [
  'labour_force',
  'employed',
  'transfer_employed',
  'out_migrant_in_province',
  'out_migrant_out_province',
  'abroad',
  'unemployed',
  'not_in_labour_force',
  'unemployment_rate',
  'employment_rate',
  'at_home',
  'away',
  'increases',
  'decreases',
  'net_change',
  'poverty_employed',
  'poverty_employed_yoy',
  'relocated_employed',
  'festival_returned',
  'festival_departed',
  'festival_not_departed',
  'festival_return_rate',
  'point_coverage',
  'point_update_rate',
  'point_on_time_rate',
  'quality_score',
] as const;

export type MetricId = (typeof METRIC_IDS)[number];

/**
 * stock: a count of persons at the end of the period (the state at the end of its last
 *   day); flow: a count of events during the period (summed over its months or days);
 * rate: numerator / denominator where the numerator is part of the denominator (0-1);
 * ratio: numerator / denominator of two different quantities (may exceed 1), or a score.
 */
export type MetricKind = 'stock' | 'flow' | 'rate' | 'ratio';

export type MetricGroup = 'labour_force' | 'employment' | 'presence' | 'changes' | 'poverty' | 'festival' | 'points' | 'quality';

export type MetricUnit = 'persons' | 'events' | 'share' | 'ratio' | 'score';

/** Where the metric is computed from (warehouse tables). */
export type MetricSource = 'region_month' | 'festival' | 'points' | 'quality';

export interface Bilingual {
  readonly en: string;
  readonly zh: string;
}

export interface MetricDefinition {
  readonly id: MetricId;
  readonly zh: string;
  readonly en: string;
  readonly group: MetricGroup;
  readonly kind: MetricKind;
  readonly unit: MetricUnit;
  readonly definition: Bilingual;
  /** Whom the metric counts. */
  readonly population: Bilingual;
  /** For rates and ratios: what is divided by what (both are returned beside the value). */
  readonly numerator?: Bilingual;
  readonly denominator?: Bilingual;
  /** What a period (month, quarter, year) means for this metric. */
  readonly period: Bilingual;
  /** Dimensions the metric can be broken down by (besides region and period). */
  readonly dimensions: readonly DimensionId[];
  readonly source: MetricSource;
  /** Whether a higher value is the better one (colours of rankings and maps); undefined = neutral. */
  readonly higherIsBetter?: boolean;
  /** Warehouse columns the figure is computed from. */
  readonly computedFrom: string;
  /** Notes: interim definitions, caveats. */
  readonly notes?: Bilingual;
}

const STOCK_PERIOD: Bilingual = {
  en: 'Stock: the state at the end of the period (the last day of the month; of the quarter or year, its last month). For the current, incomplete month: the state as of the warehouse data date (data_as_of).',
  zh: '存量：期末状态（月末最后一天；季度、年度取其最后一个月的月末）。当月未结束时取数据截止日（data_as_of）的状态。',
};
const FLOW_PERIOD: Bilingual = {
  en: 'Flow: events whose event date (变动日期) lies in the period, summed over its months (up to data_as_of).',
  zh: '流量：变动日期在期内的事件数，按月累加（至数据截止日）。',
};
const STOCK_RATE_PERIOD: Bilingual = {
  en: 'Both counts are stocks at the end of the period (as for stocks).',
  zh: '分子分母均为期末存量（同存量口径）。',
};
const REGISTRY: Bilingual = {
  en: 'Persons active in the registry (not removed by a 减少 event), by their home (household registration) village; all regions add up from villages.',
  zh: '在库人员（未被“减少”），按户籍村统计；各级地区由村逐级汇总。',
};
const FESTIVAL_PERIOD: Bilingual = {
  en: "The Spring Festival of the period's calendar year (day 0 = 正月初一, springFestivalDate(year)); the window runs from day −45 to day +60. Cumulative from day −45 up to the period's last day (capped at day +60). So January of a year shows the run-up to that year's festival; a period ending after day +60 (e.g. the whole year) shows the complete window; December shows the complete window of that year's (past) festival — returns in December before the next festival count for the next year's festival (see /api/festival for day-aligned series).",
  zh: '取期间所在公历年的春节（第0天 = 正月初一），观察窗口为第−45天至第+60天；从第−45天累计至期末（最多至第+60天）。例如1月显示当年春节前的返乡进度；期末晚于第+60天（如全年）则为整个窗口；12月显示当年（已过）春节的完整窗口，12月内为下一个春节的返乡计入下一年（按天对齐的序列见 /api/festival）。',
};
const POINTS_POPULATION: Bilingual = {
  en: 'Collection points (采集点) of the region: points whose township lies in the region (for a village: the point(s) covering it), established on or before the month end, from the latest points file.',
  zh: '本地区的信息采集点：所在乡镇属于本地区的采集点（村级为覆盖该村的采集点），设立日期不晚于月末，以最新采集点文件为准。',
};
const POINT_MONTHS_PERIOD: Bilingual = {
  en: 'Summed over the point-months of the period: each month counts every point existing at its end once (a quarter therefore has three times as many point-months as a month). Submissions as known on data_as_of (a month whose deadline has not passed yet is still incomplete).',
  zh: '按期内“采集点·月”累计：每月末存在的每个采集点计一次（季度为三个月之和）。报送情况以数据截止日为准（尚未到截止日的月份仍在报送中）。',
};

export const METRICS: readonly MetricDefinition[] = [
  {
    id: 'labour_force',
    zh: '农村劳动力登记人数',
    en: 'Registered rural labour force',
    group: 'labour_force',
    kind: 'stock',
    unit: 'persons',
    definition: {
      en: 'Persons active in the registry at the end of the period, whatever their employment status (10-50).',
      zh: '期末在库的农村劳动力人数（含全部就业状态10-50）。',
    },
    population: REGISTRY,
    period: STOCK_PERIOD,
    dimensions: [...PERSON_DIMENSIONS, 'service_need'],
    source: 'region_month',
    computedFrom: 'agg_region_month.labour_force',
  },
  {
    id: 'employed',
    zh: '就业人数',
    en: 'Employed',
    group: 'employment',
    kind: 'stock',
    unit: 'persons',
    definition: {
      en: 'Persons with employment status 10 务农, 21 县内务工, 22 省内县外务工, 23 省外务工, 24 境外务工 or 30 自主创业/灵活就业 at the end of the period.',
      zh: '期末就业状态为10务农、21县内务工、22省内县外务工、23省外务工、24境外务工或30自主创业/灵活就业的人数。',
    },
    population: REGISTRY,
    period: STOCK_PERIOD,
    dimensions: [...PERSON_DIMENSIONS, 'dest_province', 'dest_city', 'industry', 'service_need'],
    source: 'region_month',
    computedFrom: 'agg_region_month.employed (= s10 + s21 + s22 + s23 + s24 + s30)',
  },
  {
    id: 'transfer_employed',
    zh: '转移就业人数',
    en: 'Transfer employment',
    group: 'employment',
    kind: 'stock',
    unit: 'persons',
    definition: {
      en: 'Employed persons not farming: status 21, 22, 23, 24 or 30 at the end of the period.',
      zh: '期末就业状态为21、22、23、24或30（务农以外的就业）的人数。',
    },
    population: REGISTRY,
    period: STOCK_PERIOD,
    dimensions: [...PERSON_DIMENSIONS, 'dest_province', 'dest_city', 'industry', 'service_need'],
    source: 'region_month',
    computedFrom: 'agg_region_month.transfer (= s21 + s22 + s23 + s24 + s30)',
  },
  {
    id: 'out_migrant_in_province',
    zh: '省内县外务工人数',
    en: 'Out-migrant workers within Sichuan',
    group: 'employment',
    kind: 'stock',
    unit: 'persons',
    definition: { en: 'Persons with status 22 (wage work in Sichuan outside the home county) at the end of the period.', zh: '期末就业状态为22（省内县外务工）的人数。' },
    population: REGISTRY,
    period: STOCK_PERIOD,
    dimensions: [...PERSON_DIMENSIONS, 'dest_province', 'dest_city', 'industry'],
    source: 'region_month',
    computedFrom: 'agg_region_month.s22',
  },
  {
    id: 'out_migrant_out_province',
    zh: '省外务工人数',
    en: 'Out-migrant workers outside Sichuan',
    group: 'employment',
    kind: 'stock',
    unit: 'persons',
    definition: { en: 'Persons with status 23 (wage work outside Sichuan) at the end of the period.', zh: '期末就业状态为23（省外务工）的人数。' },
    population: REGISTRY,
    period: STOCK_PERIOD,
    dimensions: [...PERSON_DIMENSIONS, 'dest_province', 'dest_city', 'industry'],
    source: 'region_month',
    computedFrom: 'agg_region_month.s23',
  },
  {
    id: 'abroad',
    zh: '境外务工人数',
    en: 'Working abroad',
    group: 'employment',
    kind: 'stock',
    unit: 'persons',
    definition: { en: 'Persons with status 24 (work abroad, work region 990000) at the end of the period.', zh: '期末就业状态为24（境外务工，就业地区990000）的人数。' },
    population: REGISTRY,
    period: STOCK_PERIOD,
    dimensions: [...PERSON_DIMENSIONS, 'industry'],
    source: 'region_month',
    computedFrom: 'agg_region_month.s24',
  },
  {
    id: 'unemployed',
    zh: '失业人数',
    en: 'Unemployed',
    group: 'employment',
    kind: 'stock',
    unit: 'persons',
    definition: { en: 'Persons with status 40 (wants work, has none) at the end of the period.', zh: '期末就业状态为40（有就业意愿但未就业）的人数。' },
    population: REGISTRY,
    period: STOCK_PERIOD,
    dimensions: [...PERSON_DIMENSIONS, 'service_need'],
    source: 'region_month',
    computedFrom: 'agg_region_month.unemployed (= s40)',
    higherIsBetter: false,
  },
  {
    id: 'not_in_labour_force',
    zh: '无就业意愿人数',
    en: 'Not seeking work',
    group: 'employment',
    kind: 'stock',
    unit: 'persons',
    definition: {
      en: 'Persons with status 50 (no wish to work: study, care, illness) at the end of the period; outside the labour force of the rates.',
      zh: '期末就业状态为50（无就业意愿：就学、照料、疾病等）的人数；不计入就业率、失业率的分母。',
    },
    population: REGISTRY,
    period: STOCK_PERIOD,
    dimensions: [...PERSON_DIMENSIONS, 'service_need'],
    source: 'region_month',
    computedFrom: 'agg_region_month.s50',
  },
  {
    id: 'unemployment_rate',
    zh: '失业率',
    en: 'Unemployment rate',
    group: 'employment',
    kind: 'rate',
    unit: 'share',
    definition: { en: 'unemployed / (employed + unemployed) at the end of the period.', zh: '期末失业人数 /（就业人数 + 失业人数）。' },
    population: REGISTRY,
    numerator: { en: 'unemployed (status 40)', zh: '失业人数（状态40）' },
    denominator: { en: 'employed + unemployed (status 10, 21-24, 30, 40)', zh: '就业人数 + 失业人数（状态10、21-24、30、40）' },
    period: STOCK_RATE_PERIOD,
    dimensions: PERSON_DIMENSIONS.filter((d) => d !== 'employment_status'),
    source: 'region_month',
    computedFrom: 'agg_region_month.unemployed / (employed + unemployed)',
    higherIsBetter: false,
    notes: { en: 'null when the denominator is 0.', zh: '分母为0时为空值。' },
  },
  {
    id: 'employment_rate',
    zh: '就业率',
    en: 'Employment rate',
    group: 'employment',
    kind: 'rate',
    unit: 'share',
    definition: { en: 'employed / (employed + unemployed) at the end of the period.', zh: '期末就业人数 /（就业人数 + 失业人数）。' },
    population: REGISTRY,
    numerator: { en: 'employed (status 10, 21-24, 30)', zh: '就业人数（状态10、21-24、30）' },
    denominator: { en: 'employed + unemployed (status 10, 21-24, 30, 40)', zh: '就业人数 + 失业人数（状态10、21-24、30、40）' },
    period: STOCK_RATE_PERIOD,
    dimensions: PERSON_DIMENSIONS.filter((d) => d !== 'employment_status'),
    source: 'region_month',
    computedFrom: 'agg_region_month.employed / (employed + unemployed)',
    higherIsBetter: true,
    notes: { en: 'null when the denominator is 0. employment_rate + unemployment_rate = 1.', zh: '分母为0时为空值。就业率 + 失业率 = 1。' },
  },
  {
    id: 'at_home',
    zh: '在乡人数',
    en: 'At home',
    group: 'presence',
    kind: 'stock',
    unit: 'persons',
    definition: { en: 'Persons whose presence (所在状态) is 在乡 (at home) at the end of the period.', zh: '期末所在状态为“在乡”的人数。' },
    population: REGISTRY,
    period: STOCK_PERIOD,
    dimensions: PERSON_DIMENSIONS.filter((d) => d !== 'presence'),
    source: 'region_month',
    computedFrom: 'agg_region_month.at_home',
  },
  {
    id: 'away',
    zh: '在外人数',
    en: 'Away',
    group: 'presence',
    kind: 'stock',
    unit: 'persons',
    definition: { en: 'Persons whose presence (所在状态) is 在外 (away from home) at the end of the period.', zh: '期末所在状态为“在外”的人数。' },
    population: REGISTRY,
    period: STOCK_PERIOD,
    dimensions: PERSON_DIMENSIONS.filter((d) => d !== 'presence'),
    source: 'region_month',
    computedFrom: 'agg_region_month.away',
  },
  {
    id: 'increases',
    zh: '新增人数',
    en: 'Increases',
    group: 'changes',
    kind: 'flow',
    unit: 'events',
    definition: {
      en: 'Accepted 新增 (increase) events in the period: 新成长劳动力, 外地迁入, 退役军人, 其他 (by reason as a dimension).',
      zh: '期内已接收的“新增”事件数：新成长劳动力、外地迁入、退役军人、其他（可按原因分组）。',
    },
    population: { en: 'Change events (变动记录) accepted by the warehouse, by the home village of the person.', zh: '仓库接收的变动记录，按人员户籍村统计。' },
    period: FLOW_PERIOD,
    dimensions: ['reason'],
    source: 'region_month',
    computedFrom: 'agg_region_month.increases (by reason: agg_flows where event_type = 新增)',
  },
  {
    id: 'decreases',
    zh: '减少人数',
    en: 'Decreases',
    group: 'changes',
    kind: 'flow',
    unit: 'events',
    definition: {
      en: 'Accepted 减少 (decrease) events in the period: 户籍迁出, 享受养老保险待遇, 死亡, 其他 (by reason as a dimension).',
      zh: '期内已接收的“减少”事件数：户籍迁出、享受养老保险待遇、死亡、其他（可按原因分组）。',
    },
    population: { en: 'Change events (变动记录) accepted by the warehouse, by the home village of the person.', zh: '仓库接收的变动记录，按人员户籍村统计。' },
    period: FLOW_PERIOD,
    dimensions: ['reason'],
    source: 'region_month',
    computedFrom: 'agg_region_month.decreases (by reason: agg_flows where event_type = 减少)',
  },
  {
    id: 'net_change',
    zh: '净增人数',
    en: 'Net change',
    group: 'changes',
    kind: 'flow',
    unit: 'events',
    definition: { en: 'increases − decreases in the period.', zh: '期内新增人数 − 减少人数。' },
    population: { en: 'Change events (变动记录) accepted by the warehouse, by the home village of the person.', zh: '仓库接收的变动记录，按人员户籍村统计。' },
    period: FLOW_PERIOD,
    dimensions: [],
    source: 'region_month',
    computedFrom: 'agg_region_month.increases − decreases',
    notes: {
      en: 'Equals the change of labour_force over the period only when every event is dated inside the history (always true for clean data).',
      zh: '仅当所有事件都在历史期内时等于期内登记人数的变化（干净数据总是如此）。',
    },
  },
  {
    id: 'poverty_employed',
    zh: '脱贫劳动力务工规模',
    en: 'Poverty-alleviated labour in work',
    group: 'poverty',
    kind: 'stock',
    unit: 'persons',
    definition: {
      en: 'Persons flagged 脱贫劳动力 (poverty-alleviated) in transfer employment (status 21, 22, 23, 24, 30) at the end of the period.',
      zh: '期末标记为脱贫劳动力且处于转移就业（状态21、22、23、24、30）的人数。',
    },
    population: { en: 'Registry persons flagged poverty_alleviated in the registry (not the roster).', zh: '登记库中“脱贫劳动力”标记为是的人员（非部门名单）。' },
    period: STOCK_PERIOD,
    dimensions: PERSON_DIMENSIONS.filter((d) => d !== 'poverty_alleviated'),
    source: 'region_month',
    computedFrom: 'agg_region_month.poverty_transfer',
    higherIsBetter: true,
  },
  {
    id: 'poverty_employed_yoy',
    zh: '脱贫劳动力务工规模同比',
    en: 'Poverty-alleviated labour in work vs last year',
    group: 'poverty',
    kind: 'ratio',
    unit: 'ratio',
    definition: {
      en: 'poverty_employed at the end of the period / poverty_employed at the same month end one year earlier (the red line: must not fall below 1).',
      zh: '期末脱贫劳动力务工规模 / 上年同月末脱贫劳动力务工规模（政策红线：不得低于1）。',
    },
    population: { en: 'As poverty_employed.', zh: '同脱贫劳动力务工规模。' },
    numerator: { en: 'poverty_employed at the end of the period', zh: '期末脱贫劳动力务工规模' },
    denominator: { en: 'poverty_employed twelve months before the end month of the period', zh: '期末所在月的12个月前的脱贫劳动力务工规模' },
    period: {
      en: 'The end month of the period (clipped to data_as_of) compared with the same month one year earlier; null when that month is before the warehouse history.',
      zh: '期末月（不晚于数据截止日）与上年同月比较；上年同月早于历史数据起点时为空值。',
    },
    dimensions: [],
    source: 'region_month',
    computedFrom: 'agg_region_month.poverty_transfer (month m) / poverty_transfer (month m − 12)',
    higherIsBetter: true,
  },
  {
    id: 'relocated_employed',
    zh: '易地搬迁劳动力务工规模',
    en: 'Relocated labour in work',
    group: 'poverty',
    kind: 'stock',
    unit: 'persons',
    definition: {
      en: 'Persons flagged 易地搬迁 (relocated) in transfer employment (status 21, 22, 23, 24, 30) at the end of the period.',
      zh: '期末标记为易地搬迁且处于转移就业（状态21、22、23、24、30）的人数。',
    },
    population: { en: 'Registry persons flagged relocated in the registry (not the roster).', zh: '登记库中“易地搬迁”标记为是的人员（非部门名单）。' },
    period: STOCK_PERIOD,
    dimensions: PERSON_DIMENSIONS.filter((d) => d !== 'relocated'),
    source: 'region_month',
    computedFrom: 'agg_region_month.relocated_transfer',
    higherIsBetter: true,
  },
  {
    id: 'festival_returned',
    zh: '春节返乡人数',
    en: 'Returned home for the Spring Festival',
    group: 'festival',
    kind: 'flow',
    unit: 'events',
    definition: {
      en: '状态变更 events with reason 返乡 (presence 在外 → 在乡) dated in the festival window from day −45 up to the period end (at most day +60).',
      zh: '春节窗口内（第−45天至期末，最多第+60天）原因为“返乡”（在外→在乡）的状态变更事件数。',
    },
    population: { en: 'Accepted 返乡 events of registry persons, by home village.', zh: '已接收的在库人员“返乡”事件，按户籍村统计。' },
    period: FESTIVAL_PERIOD,
    dimensions: [...FESTIVAL_DIMENSIONS],
    source: 'festival',
    computedFrom: 'festival_daily.returned, summed over day −45 … min(period end, +60)',
  },
  {
    id: 'festival_departed',
    zh: '春节后返岗（外出）人数',
    en: 'Departed again (back to work)',
    group: 'festival',
    kind: 'flow',
    unit: 'events',
    definition: {
      en: '状态变更 events with reason 外出 (presence 在乡 → 在外) dated in the festival window from day −45 up to the period end (at most day +60).',
      zh: '春节窗口内（第−45天至期末，最多第+60天）原因为“外出”（在乡→在外）的状态变更事件数。',
    },
    population: { en: 'Accepted 外出 events of registry persons, by home village.', zh: '已接收的在库人员“外出”事件，按户籍村统计。' },
    period: FESTIVAL_PERIOD,
    dimensions: [...FESTIVAL_DIMENSIONS],
    source: 'festival',
    computedFrom: 'festival_daily.departed, summed over day −45 … min(period end, +60)',
  },
  {
    id: 'festival_not_departed',
    zh: '返乡未返岗人数',
    en: 'Returned, not yet departed',
    group: 'festival',
    kind: 'stock',
    unit: 'persons',
    definition: {
      en: 'festival_returned − festival_departed, both cumulative over the same window: the returned workers who have not left again yet (未返岗).',
      zh: '同一窗口内累计返乡人数 − 累计外出人数：已返乡尚未返岗的人数（未返岗）。',
    },
    population: { en: 'As festival_returned.', zh: '同春节返乡人数。' },
    period: FESTIVAL_PERIOD,
    dimensions: [...FESTIVAL_DIMENSIONS],
    source: 'festival',
    computedFrom: 'Σ festival_daily.returned − Σ festival_daily.departed over the window',
    notes: {
      en: 'An aggregate balance, not a follow-up of the same persons: a departure of someone who was at home before day −45 also lowers it (can be negative in small regions).',
      zh: '为汇总差额而非逐人跟踪：第−45天前已在乡者的外出也会使其减少（小地区可能为负）。',
    },
  },
  {
    id: 'festival_return_rate',
    zh: '返岗率',
    en: 'Return-to-work rate',
    group: 'festival',
    kind: 'rate',
    unit: 'share',
    definition: {
      en: 'festival_departed / festival_returned over the same window: the share of the workers who came home for the festival that have left for work again.',
      zh: '同一窗口内累计外出人数 / 累计返乡人数：春节返乡劳动力中已再次外出务工的比例。',
    },
    population: { en: 'As festival_returned.', zh: '同春节返乡人数。' },
    numerator: { en: 'festival_departed (外出 events, day −45 … period end)', zh: '累计外出人数（第−45天至期末）' },
    denominator: { en: 'festival_returned (返乡 events, day −45 … period end)', zh: '累计返乡人数（第−45天至期末）' },
    period: FESTIVAL_PERIOD,
    dimensions: [...FESTIVAL_DIMENSIONS],
    source: 'festival',
    computedFrom: 'Σ festival_daily.departed / Σ festival_daily.returned over the window',
    higherIsBetter: true,
    notes: { en: 'null when nobody returned; can exceed 1 in small regions (see festival_not_departed).', zh: '无人返乡时为空值；小地区可能大于1（见返乡未返岗人数）。' },
  },
  {
    id: 'point_coverage',
    zh: '采集点覆盖率',
    en: 'Collection-point coverage',
    group: 'points',
    kind: 'rate',
    unit: 'share',
    definition: {
      en: 'Villages of the region covered by at least one collection point / all villages of the region (region reference, GB/T 2260 + statistical division codes).',
      zh: '本地区被至少一个采集点覆盖的村（社区）数 / 本地区全部村（社区）数（区划参考数据）。',
    },
    population: { en: 'Villages and communities of the region reference; points of the latest points file established by the period end.', zh: '区划参考数据中的村（社区）；最新采集点文件中期末前设立的采集点。' },
    numerator: { en: 'villages covered by a point (point_villages)', zh: '被采集点覆盖的村数' },
    denominator: { en: 'villages of the region', zh: '本地区村数' },
    period: { en: 'Stock at the end of the period.', zh: '期末存量。' },
    dimensions: [],
    source: 'points',
    computedFrom: 'point_villages, points.established_on, regions (level village)',
    higherIsBetter: true,
  },
  {
    id: 'point_update_rate',
    zh: '采集点月度更新率',
    en: 'Monthly update rate of collection points',
    group: 'points',
    kind: 'rate',
    unit: 'share',
    definition: {
      en: 'Point-months with a monthly submission (报送日期 present, status not 未报送) / point-months expected (every point of the region existing at each month end).',
      zh: '已报送（有报送日期、状态非“未报送”）的采集点·月数 / 应报送的采集点·月数（各月末本地区存在的采集点）。',
    },
    population: POINTS_POPULATION,
    numerator: { en: 'point-months submitted', zh: '已报送的采集点·月数' },
    denominator: { en: 'point-months expected', zh: '应报送的采集点·月数' },
    period: POINT_MONTHS_PERIOD,
    dimensions: [],
    source: 'points',
    computedFrom: 'points, submissions (latest version per point and month)',
    higherIsBetter: true,
  },
  {
    id: 'point_on_time_rate',
    zh: '采集点按时报送率',
    en: 'On-time submission rate of collection points',
    group: 'points',
    kind: 'rate',
    unit: 'share',
    definition: {
      en: 'Point-months submitted on or before the deadline (the 5th of the following month) / point-months expected.',
      zh: '在截止日（次月5日）前（含）报送的采集点·月数 / 应报送的采集点·月数。',
    },
    population: POINTS_POPULATION,
    numerator: { en: 'point-months submitted by the deadline', zh: '按时报送的采集点·月数' },
    denominator: { en: 'point-months expected', zh: '应报送的采集点·月数' },
    period: POINT_MONTHS_PERIOD,
    dimensions: [],
    source: 'points',
    computedFrom: 'points, submissions.submitted_on ≤ deadline (SUBMISSION_DEADLINE_DAY of the next month)',
    higherIsBetter: true,
  },
  {
    id: 'quality_score',
    zh: '数据质量得分',
    en: 'Data-quality score',
    group: 'quality',
    kind: 'ratio',
    unit: 'score',
    definition: {
      en: 'Interim score 0-100: 100 × the weighted mean of four shares, each 0-1: (a) 1 − quarantine share, weight 0.4; (b) point_update_rate, weight 0.2; (c) point_on_time_rate, weight 0.2; (d) 1 − reconciliation share, weight 0.2. Components without data are left out and the weights of the others rescaled.',
      zh: '暂行得分（0-100）：四项比例（0-1）的加权平均 × 100：(a) 1 − 隔离率，权重0.4；(b) 采集点月度更新率，权重0.2；(c) 按时报送率，权重0.2；(d) 1 − 表库不符率，权重0.2。无数据的分项不计，其余权重按比例放大。',
    },
    population: {
      en: 'Quarantine share: rows rejected into quarantine in the period attributable to the region / (those + change events accepted in the period). Reconciliation share: differences found by the persons snapshots dated in the period / labour force at the end of the period.',
      zh: '隔离率：期内可归属本地区的被隔离行数 /（其 + 期内接收的变动事件数）。表库不符率：期内各人员快照发现的不符数 / 期末登记人数。',
    },
    numerator: { en: 'the weighted sum of the available components (× 100)', zh: '可用分项的加权和（× 100）' },
    denominator: { en: 'the sum of the weights of the available components', zh: '可用分项的权重之和' },
    period: { en: 'Each component with its own period semantics (flows over the period, stocks at its end).', zh: '各分项按各自的期间口径（流量按期内累计，存量按期末）。' },
    dimensions: [],
    source: 'quality',
    computedFrom: 'quarantine, events, points, submissions, reconciliation_summary, agg_region_month',
    higherIsBetter: true,
    notes: {
      en: 'INTERIM formula, used while the warehouse build has no data-quality tables: when it has them (dq_* of issue 9), the full score of warehouse/quality/quality-scores.ts (coverage, timeliness, review, currency, quarantine, plausibility, consistency, cross-department, sampling accuracy; see docs/quality.md) is served under the same id.',
      zh: '暂行公式，仅在仓库构建中没有数据质量表时使用；有数据质量表（第9号需求的 dq_* 表）时，以 warehouse/quality/quality-scores.ts 的完整评分（覆盖、及时、审核、更新、隔离、合理性、一致性、跨部门比对、抽样准确率，见 docs/quality.md）替代，指标标识不变。',
    },
  },
];

const byId = new Map<string, MetricDefinition>(METRICS.map((m) => [m.id, m]));

export function isMetricId(value: string): value is MetricId {
  return byId.has(value);
}

export function getMetric(id: MetricId): MetricDefinition {
  const m = byId.get(id);
  if (!m) throw new Error(`unknown metric '${id}'`);
  return m;
}

/** Whether the metric's value comes with a numerator and a denominator. */
export function hasFraction(m: MetricDefinition): boolean {
  return m.kind === 'rate' || m.kind === 'ratio';
}
