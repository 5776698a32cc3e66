/**
 * Every number the generator is calibrated on, in one place (documented with its
 * source or reasoning in docs/generator.md). Shares are relative weights unless the
 * name says otherwise; rates are per month unless the name says otherwise.
 */
import type { EmploymentStatus } from '../contract/codes.ts';

/** Nominal full-scale registry size: collection points are built on it, independent of --persons. */
export const NOMINAL_PROVINCE_PERSONS = 28_000_000;
/** A village with at least this nominal population gets its own collection point. */
export const OWN_POINT_THRESHOLD = 1000;
/** Log-sd of the village weight draw (lognormal, median 1). */
export const VILLAGE_WEIGHT_SIGMA = 0.55;

/**
 * Relative rural labour per village by city (rural population per village, 2020 census
 * populations × rural share / villages in the extract): mountain prefectures are sparse,
 * the Sichuan basin dense.
 */
export const CITY_DENSITY: Readonly<Record<string, number>> = {
  '5101': 1.2, '5103': 1.2, '5104': 1.1, '5105': 1.7, '5106': 1.5, '5107': 1.2, '5108': 0.8,
  '5109': 1.2, '5110': 1.4, '5111': 1.2, '5113': 1.2, '5114': 1.8, '5115': 1.3, '5116': 1.2,
  '5117': 1.5, '5118': 1.0, '5119': 0.95, '5120': 1.2, '5132': 0.45, '5133': 0.3, '5134': 1.3,
};
/** Central Chengdu districts: urban communities, very few rural labourers. */
export const CENTRAL_CHENGDU = ['510104', '510105', '510106', '510107', '510108'];
export const CENTRAL_CHENGDU_DENSITY = 0.06;
/** Other Chengdu districts (510112-510118): largely urbanised. */
export const CHENGDU_DISTRICT_DENSITY = 0.55;

/** Cities exporting labour heavily (east and north-east Sichuan). */
export const EXPORT_CITIES = ['5117', '5113', '5119', '5116', '5109', '5120', '5110'];
/** Ethnic-minority prefectures: 阿坝, 甘孜, 凉山. */
export const ETHNIC_CITIES = ['5132', '5133', '5134'];

/**
 * Former national poverty counties outside the three prefectures (matched by name in the
 * region list; a plausible list, see docs/generator.md). All counties of 阿坝/甘孜/凉山
 * count as former poverty areas too.
 */
export const FORMER_POVERTY_COUNTY_NAMES = [
  '通江县', '南江县', '平昌县', '巴州区', '恩阳区', '朝天区', '旺苍县', '青川县', '剑阁县', '苍溪县',
  '宣汉县', '万源市', '仪陇县', '南部县', '嘉陵区', '营山县', '蓬安县', '叙永县', '古蔺县', '屏山县',
  '马边彝族自治县', '峨边彝族自治县', '金口河区', '沐川县', '北川羌族自治县', '平武县', '汉源县', '昭化区',
  '广安区', '乐至县', '安岳县', '合江县', '兴文县', '珙县', '筠连县', '盐亭县',
];

export type RegionType = 'core' | 'chengdu' | 'export' | 'ethnic' | 'other';

export const STATUS_ORDER: readonly EmploymentStatus[] = ['10', '21', '22', '23', '24', '30', '40', '50'];

/** Target status shares (percent) by region type, before age/sex modifiers. */
export const STATUS_SHARES: Readonly<Record<RegionType, readonly number[]>> = {
  //          10   21   22   23   24   30    40   50
  core:    [ 2,  32,  30,   8,  0.6, 23,  2.4,  6],
  chengdu: [ 6,  28,  23,  12,  0.6, 22,  2.0,  6],
  export:  [ 7.5, 9.5, 22,  42,  1.4, 14,  1.8,  5],
  ethnic:  [15,  14,  22,  20,  0.4, 14,  2.8,  7],
  other:   [ 8.5, 14,  30,  25,  1.0, 16,  1.8,  5],
};

/** Multipliers on the status shares by age band: [minAge, multipliers in STATUS_ORDER]. */
export const AGE_BANDS: readonly (readonly [number, readonly number[]])[] = [
  [16, [0.15, 0.6, 0.9, 0.9, 0.1, 0.3, 1.6, 7.0]],
  [20, [0.5, 1.0, 1.2, 1.2, 0.6, 0.8, 1.3, 1.4]],
  [25, [1, 1, 1, 1, 1, 1, 1, 1]],
  [45, [1.6, 1.0, 0.9, 0.85, 0.5, 1.0, 1.0, 1.2]],
  [55, [2.6, 1.0, 0.75, 0.55, 0.2, 0.9, 1.0, 2.2]],
  [60, [3.5, 0.8, 0.5, 0.3, 0.0, 0.7, 0.8, 3.5]],
];
export const FEMALE_MULTIPLIERS: readonly number[] = [1.2, 1.0, 0.95, 0.9, 0.5, 1.05, 1.0, 1.45];
export const POVERTY_MULTIPLIERS: readonly number[] = [1.15, 1.0, 1.0, 1.05, 0.5, 0.8, 1.3, 1.1];
/** The planted high-unemployment county: its 40 share is multiplied by this. */
export const HIGH_UNEMPLOYMENT_FACTOR = 6;

/** Monthly rate of leaving each status (STATUS_ORDER); destination ∝ share × rate (stationary). */
export const STATUS_EXIT_RATES: readonly number[] = [0.008, 0.02, 0.02, 0.018, 0.012, 0.015, 0.28, 0.012];

/** Age pyramid weights by single year of age 16..64 (registry stock). */
export function ageWeight(age: number): number {
  if (age < 16 || age > 64) return 0;
  if (age < 20) return 0.9;
  if (age < 25) return 0.9;
  if (age < 30) return 0.95;
  if (age < 35) return 1.05;
  if (age < 45) return 1.0;
  if (age < 50) return 1.25;
  if (age < 55) return 1.3;
  if (age < 60) return 1.15;
  return [0.3, 0.2, 0.15, 0.1, 0.07][age - 60];
}

export const MALE_SHARE = 0.52;
/** Share of IDs issued by another Sichuan county (county of birth ≠ home county). */
export const OTHER_BIRTH_COUNTY_SHARE = 0.12;

/** Poverty-alleviated (脱贫劳动力) and relocated (易地搬迁) shares by area. */
export const POVERTY_SHARE = { liangshan: 0.36, ethnic: 0.3, formerPoverty: 0.16, other: 0.03 } as const;
export const RELOCATED_SHARE = { liangshan: 0.08, ethnic: 0.05, formerPoverty: 0.03, other: 0.003 } as const;
/** Share of relocated persons who are also poverty-alleviated. */
export const RELOCATED_ALSO_POVERTY = 0.85;
export const VETERAN_SHARE_MALE = 0.025;

/** Yearly demographic rates. */
export const DEATH_RATE_BY_AGE = (age: number): number => (age < 40 ? 0.0008 : age < 50 ? 0.002 : age < 60 ? 0.005 : 0.009);
export const MOVE_OUT_RATE = (age: number): number => (age < 40 ? 0.007 : 0.003);
export const MOVE_IN_RATE = 0.0035;
export const VETERAN_RATE = 0.0012;
/** Share of people moved out who come back later (新增 其他), after 120-720 days. */
export const COMEBACK_SHARE = 0.05;
/** Share receiving the pension within 4 months of the 60th birthday; the rest before 65. */
export const PENSION_AT_60_SHARE = 0.85;

/** Monthly rates of other person-level events. */
export const CORRECTION_RATE = 0.003;
export const BACKGROUND_RETURN_RATE = 0.0025;
/** Seasonal multiplier of background returns by calendar month (农忙 in May-June, Sep-Oct). */
export const BACKGROUND_RETURN_SEASON = [1, 1, 1, 1, 1.5, 1.5, 1, 1, 1.3, 1.3, 1, 1];

/** Spring Festival behaviour. */
export const FESTIVAL = {
  /** Probability that an out-migrant away from home returns, by status. */
  returnProbability: { '22': 0.62, '23': 0.85, '24': 0.3 } as Readonly<Record<string, number>>,
  /** Weights of the return day relative to day 0, for days −30..−1. */
  returnDayWeight: (d: number): number => (d <= -21 ? 1 : d <= -11 ? 2.5 : d === -1 ? 3 : 7),
  /** Weights of the departure day, days 1..21. */
  departDayWeight: (d: number): number => (d <= 2 ? 0.3 : d <= 5 ? 2 : d <= 10 ? 5 : d <= 15 ? 2.5 : 1.2),
  departShare: 0.88,
  lateShare: 0.03,
  lateDays: [22, 60] as const,
  /** The rest stay: new status shares (21, 10, 30, 40) and the day of the change after day 0. */
  stayStatus: [['21', 0.35], ['10', 0.25], ['30', 0.2], ['40', 0.2]] as const,
  stayDays: [5, 40] as const,
  /** Share of departures that go to a new destination/employer. */
  newDestinationShare: 0.15,
  /** Days before day 0 at which an out-migrant decides about going home. */
  checkBefore: 31,
} as const;

/** The festival_return_lag shock: departures of the city lag in the last festival. */
export const LAGGED_FESTIVAL = { departShare: 0.4, lateShare: 0.5, lateDays: [31, 75] as const } as const;

/** Recording lag (recorded_on − event_date) in days: weighted buckets [min, max, weight]. */
export const RECORDING_LAG: readonly (readonly [number, number, number])[] = [
  [0, 0, 45], [1, 1, 18], [2, 2, 10], [3, 3, 7], [4, 9, 18], [10, 40, 2],
];

/** Destinations of out-of-province work (23): code, short name for employer names, weight. */
export const OUT_OF_PROVINCE_DESTINATIONS: readonly (readonly [string, string, number])[] = [
  ['440300', '深圳', 12], ['441900', '东莞', 10], ['440100', '广州', 8], ['440600', '佛山', 5], ['442000', '中山', 4], ['441300', '惠州', 2],
  ['330100', '杭州', 4], ['330200', '宁波', 4], ['330300', '温州', 2], ['330700', '金华', 4], ['330400', '嘉兴', 2], ['330600', '绍兴', 1.5],
  ['320500', '苏州', 5], ['320100', '南京', 1.5], ['320200', '无锡', 1.5],
  ['350200', '厦门', 3], ['350500', '泉州', 3], ['350100', '福州', 1.5],
  ['310000', '上海', 6], ['110000', '北京', 4], ['500000', '重庆', 5], ['120000', '天津', 1],
  ['650100', '乌鲁木齐', 3], ['652300', '昌吉', 1.5], ['652900', '阿克苏', 1],
  ['370200', '青岛', 1], ['420100', '武汉', 1], ['610100', '西安', 1.5], ['530100', '昆明', 1.5], ['520100', '贵阳', 1], ['540100', '拉萨', 1],
];
/** Each county has favourite out-of-province destinations (chain migration): weight × this. */
export const FAVOURITE_DESTINATION_BOOST = 3;
export const FAVOURITE_DESTINATIONS_PER_COUNTY = 2;

/** In-province destinations (22): weight of a Sichuan county as a workplace. */
export function inProvinceDestinationWeight(countyCode: string, isCityCentre: boolean): number {
  if (CENTRAL_CHENGDU.includes(countyCode)) return 40;
  if (countyCode.startsWith('5101') && countyCode < '510120') return 18;
  if (countyCode.startsWith('5101')) return 3;
  if (isCityCentre) return 9;
  return 0.6;
}

/** Industry (GB/T 4754 section) weights by status. */
export const INDUSTRY_BY_STATUS: Readonly<Record<string, readonly (readonly [string, number])[]>> = {
  '10': [['A', 1]],
  '21': [['E', 25], ['C', 20], ['A', 5], ['F', 12], ['H', 12], ['O', 10], ['G', 8], ['N', 4], ['Q', 2], ['P', 2]],
  '22': [['E', 25], ['C', 20], ['H', 15], ['F', 12], ['G', 8], ['O', 10], ['K', 3], ['L', 3], ['I', 2], ['Q', 2]],
  '23': [['C', 45], ['E', 20], ['H', 8], ['F', 7], ['G', 6], ['O', 6], ['I', 2], ['L', 3], ['K', 3]],
  '24': [['E', 45], ['C', 25], ['H', 10], ['A', 10], ['B', 10]],
  '30': [['F', 35], ['H', 15], ['G', 15], ['O', 15], ['A', 10], ['E', 5], ['R', 5]],
};

/** Monthly income (yuan): median and log-sd by status; share left empty. */
export const INCOME_BY_STATUS: Readonly<Record<string, readonly [number, number, number]>> = {
  '10': [1600, 0.4, 0.5],
  '21': [3600, 0.3, 0.05],
  '22': [4600, 0.3, 0.05],
  '23': [5900, 0.3, 0.05],
  '24': [9500, 0.35, 0.1],
  '30': [4300, 0.45, 0.1],
};

/** Education (10..50) weights by age band [minAge, weights]. */
export const EDUCATION_BY_AGE: readonly (readonly [number, readonly number[]])[] = [
  [16, [2, 35, 40, 15, 8]],
  [25, [5, 45, 30, 14, 6]],
  [35, [12, 58, 22, 6, 2]],
  [45, [25, 58, 15, 2, 0]],
  [55, [45, 45, 9, 1, 0]],
];
export const SKILL_WEIGHTS: readonly number[] = [75, 12, 8, 4, 0.8, 0.2];

/** Collection point monthly submission timing (days relative to the month's end). */
export const SUBMISSION = {
  /** [first day offset, last day offset, weight]: offsets from the 1st of the next month (0 = the 1st). */
  submitWindows: [[-6, -1, 30], [0, 4, 62], [5, 7, 6], [8, 14, 2]] as const,
  townshipReviewDays: [0, 4] as const,
  countyVerifyDays: [1, 6] as const,
  returnedShare: 0.03,
  resubmitDays: [1, 4] as const,
} as const;

/** Review status of a person record (fixed at registration; all its events carry it). */
export const PERSON_REVIEW_STATUS: readonly (readonly [string, number])[] = [['县级已复核', 93], ['乡镇已审核', 5], ['待审核', 2]];

/** The planted shocks. */
export const SHOCKS = {
  layoffCity: '441900',
  layoffShare: 0.5,
  layoffCounties: 3,
  /** Share of a layoff county's out-of-province workers at the layoff city (chain migration). */
  layoffCityShareInCounty: 0.35,
  povertyDropShare: 0.3,
  pointsNotReporting: 3,
} as const;
