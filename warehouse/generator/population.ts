/**
 * Creating persons: the base population at the start of the simulation (age pyramid
 * 16-64) and the entrants during it (16-year-olds, people moving in, discharged
 * veterans), with a valid ID, name, phone, education, skills, flags and a first
 * employment situation drawn from the county's status table.
 */
import { ABROAD_REGION_CODE } from '../contract/codes.ts';
import {
  EDUCATION_BY_AGE, INCOME_BY_STATUS, INDUSTRY_BY_STATUS, MALE_SHARE, OTHER_BIRTH_COUNTY_SHARE, OUT_OF_PROVINCE_DESTINATIONS,
  PERSON_REVIEW_STATUS, RELOCATED_ALSO_POVERTY, SKILL_WEIGHTS, VETERAN_SHARE_MALE, ageWeight,
} from './calibration.ts';
import { ageBand, tableIndex, STATUSES } from './county-profiles.ts';
import type { CountyContext } from './county-context.ts';
import { addYears, dayOf, isoOf } from './day-numbers.ts';
import { abroadEmployer, employerName, mobilePhone, personName, selfEmployedName, type NameStyle } from './names.ts';
import { F, NO, PERSON_FIELD_COUNT, YES, type PersonRecord } from './person-record.ts';
import { WeightedTable, cumulativeOf, type Rng } from './random.ts';

export type EntryKind = 'base' | 'youth' | 'movein' | 'veteran' | 'fake';

export interface Person {
  rec: PersonRecord;
  readonly birthDay: number;
  readonly male: boolean;
  readonly poverty: boolean;
  /** First day in the registry: the simulation start for base persons, else the 新增 day. */
  readonly startDay: number;
  /** Reason of the 新增 event, or null for base persons (already registered). */
  readonly entryReason: string | null;
  readonly nameStyle: NameStyle;
}

const AGES = Array.from({ length: 49 }, (_, i) => 16 + i);
const AGE_CUM = cumulativeOf(AGES.map(ageWeight));
const REVIEW = new WeightedTable(PERSON_REVIEW_STATUS);
const INDUSTRY = Object.fromEntries(Object.entries(INDUSTRY_BY_STATUS).map(([s, w]) => [s, new WeightedTable(w)]));
const SKILL_LOW = cumulativeOf(SKILL_WEIGHTS);
const SKILL_HIGH = cumulativeOf([55, 18, 15, 9, 2, 1]);
const NEEDS = ['职业介绍', '职业培训', '创业服务', '劳务对接', '维权服务', '政策咨询'];
const REGISTRY_START = dayOf('2017-01-01');

export const isOutMigrant = (status: string): boolean => status === '22' || status === '23' || status === '24';
export const isTransfer = (status: string): boolean => status === '21' || status === '22' || status === '23' || status === '24' || status === '30';

export function ageYears(birthDay: number, day: number): number {
  return (day - birthDay) / 365.2425;
}

function drawStyle(rng: Rng, ctx: CountyContext): NameStyle {
  const styles = ctx.profile.county.nameStyles;
  if (styles.length === 1) return styles[0][0];
  return rng.chance(styles[0][1]) ? styles[0][0] : styles[1][0];
}

function education(rng: Rng, age: number, ethnic: boolean): string {
  let row = EDUCATION_BY_AGE[0][1];
  for (const [min, w] of EDUCATION_BY_AGE) if (age >= min) row = w;
  const w = ethnic ? row.map((x, i) => x * (i === 0 ? 2 : i === 1 ? 1.2 : 1)) : row;
  return String((rng.cumulative(cumulativeOf(w)) + 1) * 10);
}

function income(rng: Rng, status: string, allowEmpty: boolean): string {
  const spec = INCOME_BY_STATUS[status];
  if (!spec) return '0';
  if (allowEmpty && rng.chance(spec[2])) return '';
  const v = Math.round(rng.lognormal(spec[0], spec[1]) / 100) * 100;
  return String(Math.min(60000, Math.max(500, v)));
}

/**
 * Sets the employment fields of `rec` for a new status. Values are never cleared
 * (a change row cannot express that): work region, industry and employer keep the last
 * job for statuses 10/40/50; income is 0 for 40 and 50.
 */
export function assignWork(ctx: CountyContext, rng: Rng, rec: PersonRecord, status: string, age: number, initial: boolean): void {
  const p = ctx.profile;
  rec[F.status] = status;
  const industry = INDUSTRY[status]?.draw(rng);
  switch (status) {
    case '21':
      rec[F.workRegion] = p.county.code;
      rec[F.industry] = industry!;
      rec[F.employer] = employerName(rng, p.shortName, industry!);
      rec[F.presence] = '在乡';
      break;
    case '22': {
      const code = p.inProvince.draw(rng);
      rec[F.workRegion] = code;
      rec[F.industry] = industry!;
      rec[F.employer] = employerName(rng, ctx.countyShortNames.get(code) ?? '四川', industry!);
      rec[F.presence] = '在外';
      break;
    }
    case '23': {
      const d = OUT_OF_PROVINCE_DESTINATIONS[p.outOfProvince.draw(rng)];
      rec[F.workRegion] = d[0];
      rec[F.industry] = industry!;
      rec[F.employer] = employerName(rng, d[1], industry!);
      rec[F.presence] = '在外';
      break;
    }
    case '24':
      rec[F.workRegion] = ABROAD_REGION_CODE;
      rec[F.industry] = industry!;
      rec[F.employer] = abroadEmployer(rng);
      rec[F.presence] = '在外';
      break;
    case '30':
      rec[F.industry] = industry!;
      rec[F.employer] = selfEmployedName(rng, rec[F.name]);
      rec[F.presence] = '在乡';
      break;
    case '10':
      rec[F.industry] = 'A';
      rec[F.presence] = '在乡';
      break;
    case '40':
      rec[F.presence] = rec[F.presence] === '在外' && rng.chance(0.3) ? '在外' : '在乡';
      rec[F.training] = rng.chance(0.6) ? YES : NO;
      rec[F.needs] = rng.chance(0.6) ? '职业介绍;职业培训' : rng.chance(0.5) ? '职业介绍' : '职业介绍;劳务对接';
      break;
    case '50':
      rec[F.presence] = age < 23 && rng.chance(0.3) ? '在外' : '在乡';
      break;
  }
  if (status === '40' || status === '50') rec[F.income] = '0';
  else rec[F.income] = income(rng, status, initial) || (initial ? '' : '0');
}

export function drawStatus(ctx: CountyContext, rng: Rng, age: number, male: boolean, poverty: boolean): string {
  return STATUSES[rng.cumulative(ctx.profile.statusCum[tableIndex(ageBand(age), !male, poverty)])];
}

/** Next status of a transition (stationary chain weights π·r). */
export function drawNextStatus(ctx: CountyContext, rng: Rng, age: number, male: boolean, poverty: boolean): string {
  return STATUSES[rng.cumulative(ctx.profile.transitionCum[tableIndex(ageBand(age), !male, poverty)])];
}

/**
 * Creates a person. `startDay` is the registration day for entrants (their 新增) and
 * the simulation start for base persons; `birthDay` is given for 16-year-olds.
 */
export function createPerson(ctx: CountyContext, rng: Rng, kind: EntryKind, startDay: number, villageIndex: number, birthDayIn?: number): Person {
  const p = ctx.profile;
  const male = kind === 'veteran' ? rng.chance(0.92) : rng.chance(MALE_SHARE);
  let birth: number;
  if (birthDayIn !== undefined) birth = birthDayIn;
  else {
    const age = kind === 'base' ? AGES[rng.cumulative(AGE_CUM)] : kind === 'veteran' ? rng.between(20, 26) : kind === 'movein' ? rng.between(20, 45) : rng.between(22, 50);
    birth = addYears(startDay, -age) - rng.between(0, 364);
    if (addYears(birth, 16) > startDay) birth = addYears(startDay, -16);
    if (addYears(birth, 65) <= startDay) birth = addYears(startDay, -65) + 1;
  }
  const range = kind !== 'fake' && rng.chance(OTHER_BIRTH_COUNTY_SHARE) ? 'partner' : kind === 'fake' ? 'fake' : 'home';
  const allocated = ctx.ids.allocate(range, birth, male);
  birth = allocated.birthDay;
  const age = ageYears(birth, startDay);
  const relocated = rng.chance(p.relocatedShare);
  const poverty = relocated ? rng.chance(RELOCATED_ALSO_POVERTY) : rng.chance(p.povertyShare);
  const style = drawStyle(rng, ctx);
  const village = ctx.geo.villages[villageIndex];
  const rec: PersonRecord = new Array<string>(PERSON_FIELD_COUNT).fill('');
  rec[F.id] = allocated.id;
  rec[F.name] = personName(rng, male, style);
  rec[F.sex] = male ? '男' : '女';
  rec[F.birth] = isoOf(birth);
  rec[F.village] = village.code;
  rec[F.point] = ctx.geo.points[village.point].code;
  rec[F.phone] = rng.chance(0.96) ? mobilePhone(rng) : '';
  const edu = education(rng, age, p.county.regionType === 'ethnic');
  rec[F.education] = edu;
  rec[F.skill] = String(rng.cumulative(edu >= '30' ? SKILL_HIGH : SKILL_LOW));
  rec[F.poverty] = poverty ? YES : NO;
  rec[F.relocated] = relocated ? YES : NO;
  rec[F.veteran] = kind === 'veteran' || (male && age >= 20 && rng.chance(VETERAN_SHARE_MALE)) ? YES : NO;
  rec[F.training] = rng.chance(0.25) ? YES : NO;
  rec[F.needs] = rng.chance(0.7) ? '' : rng.chance(0.7) ? rng.pick(NEEDS) : `${NEEDS[rng.int(3)]};${NEEDS[3 + rng.int(3)]}`;
  let status = drawStatus(ctx, rng, age, male, poverty);
  if (kind === 'veteran' && status === '50') status = '40';
  assignWork(ctx, rng, rec, status, age, true);
  if (isOutMigrant(status)) rec[F.presence] = '在外';
  if (kind === 'base') {
    const lo = Math.max(REGISTRY_START, addYears(birth, 16));
    const registered = lo < startDay ? rng.between(lo, startDay - 1) : startDay - 1;
    rec[F.registered] = isoOf(registered);
    rec[F.verified] = isoOf(Math.max(registered, startDay - 1 - rng.int(60)));
  } else {
    rec[F.registered] = isoOf(startDay);
    rec[F.verified] = isoOf(startDay);
  }
  rec[F.review] = REVIEW.draw(rng);
  return { rec, birthDay: birth, male, poverty, startDay, entryReason: kind === 'base' ? null : kind === 'youth' ? '新成长劳动力' : kind === 'movein' ? '外地迁入' : kind === 'veteran' ? '退役军人' : '其他', nameStyle: style };
}

