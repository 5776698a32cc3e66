/**
 * JSON schemas of the data-quality responses.
 */
import { errorResponseSchema } from '../../../plugins/errors.ts';

export const errors = { 400: errorResponseSchema, 401: errorResponseSchema, 403: errorResponseSchema, 404: errorResponseSchema, 503: errorResponseSchema } as const;

const int = { type: 'integer' } as const;
const intOrNull = { type: ['integer', 'null'] } as const;
const num = { type: ['number', 'null'] } as const;
const str = { type: 'string' } as const;
const strOrNull = { type: ['string', 'null'] } as const;
const strList = { type: 'array', items: str } as const;

export const regionRefSchema = {
  type: 'object',
  required: ['code', 'name', 'level'],
  properties: { code: str, name: str, level: str },
} as const;

const objectOf = <P extends Record<string, unknown>>(properties: P) => ({ type: 'object', required: Object.keys(properties), properties }) as const;

export const coverageCountsProps = {
  villages: int,
  compliant: int,
  coveredOnce: int,
  uncovered: int,
  multiPoint: int,
  largeVillages: int,
  largeWithOwnPoint: int,
  largeShared: int,
  points: int,
  mergedPoints: int,
  coverageRate: num,
} as const;

export const coverageResponse = objectOf({
  region: regionRefSchema,
  asOf: strOrNull,
  summary: { anyOf: [objectOf(coverageCountsProps), { type: 'null' }] },
  children: { type: 'array', items: objectOf({ code: str, name: strOrNull, ...coverageCountsProps }) },
  villageIssues: {
    type: 'array',
    items: objectOf({ villageCode: str, villageName: strOrNull, townshipCode: str, townshipName: strOrNull, countyCode: str, issue: str, pointCodes: strList, registered: int }),
  },
  mergedPoints: { type: 'array', items: objectOf({ pointCode: str, pointName: strOrNull, townshipCode: str, townshipName: strOrNull, villageCodes: strList, registered: int }) },
  truncated: { type: 'boolean' },
});

export const timelinessCountsProps = {
  pointsDue: int,
  submitted: int,
  onTime: int,
  late: int,
  notSubmitted: int,
  townshipReviewed: int,
  countyVerified: int,
  returned: int,
  backlogTownship: int,
  backlogCounty: int,
  updateRate: num,
  onTimeRate: num,
  reviewRate: num,
} as const;

const pointMonthSchema = objectOf({
  pointCode: str,
  pointName: strOrNull,
  townshipCode: str,
  status: str,
  submittedOn: strOrNull,
  townshipReviewedOn: strOrNull,
  countyVerifiedOn: strOrNull,
  onTime: { type: 'boolean' },
  late: { type: 'boolean' },
  returned: { type: 'boolean' },
  backlogTownship: { type: 'boolean' },
  backlogCounty: { type: 'boolean' },
  daysLate: int,
});

export const timelinessResponse = objectOf({
  region: regionRefSchema,
  month: str,
  deadline: strOrNull,
  deadlinePassed: { type: ['boolean', 'null'] },
  summary: { anyOf: [objectOf(timelinessCountsProps), { type: 'null' }] },
  children: { type: 'array', items: objectOf({ code: str, name: strOrNull, ...timelinessCountsProps }) },
  points: { anyOf: [{ type: 'array', items: pointMonthSchema }, { type: 'null' }] },
});

const backlogCountsProps = { submitted: int, townshipReviewed: int, countyVerified: int, returned: int, backlogTownship: int, backlogCounty: int } as const;

export const backlogResponse = objectOf({
  region: regionRefSchema,
  month: str,
  summary: { anyOf: [objectOf(backlogCountsProps), { type: 'null' }] },
  children: { type: 'array', items: objectOf({ code: str, name: strOrNull, ...backlogCountsProps }) },
  points: { anyOf: [{ type: 'array', items: pointMonthSchema }, { type: 'null' }] },
});

export const checkListSchema = {
  type: 'array',
  items: objectOf({ id: str, zh: str, en: str, kind: str }),
} as const;

const findingsCounts = {
  type: 'object',
  properties: {
    stale: intOrNull,
    status_work_region: intOrNull,
    age_over_limit: intOrNull,
    income_out_of_range: intOrNull,
    shared_phone: intOrNull,
    presence_reason_conflict: intOrNull,
    status_flip: intOrNull,
  },
} as const;

export const plausibilityResponse = objectOf({
  region: regionRefSchema,
  month: str,
  checks: checkListSchema,
  summary: { anyOf: [objectOf({ active: int, findings: findingsCounts }), { type: 'null' }] },
  children: { type: 'array', items: objectOf({ code: str, name: strOrNull, active: int, findings: findingsCounts }) },
});

const maskedPerson = {
  pid: str,
  name: strOrNull,
  idNumber: strOrNull,
  villageCode: str,
  villageName: strOrNull,
  countyCode: str,
} as const;

export const findingsPageResponse = objectOf({
  region: regionRefSchema,
  check: str,
  month: str,
  total: int,
  limit: int,
  offset: int,
  rows: { type: 'array', items: objectOf({ ...maskedPerson, townshipCode: str, refDate: str, detail: str }) },
});

const rosterCountsProps = {
  rosterType: str,
  rosterPersons: int,
  registryFlagged: int,
  matched: int,
  notInRegistry: int,
  notOnRoster: int,
  notFlagged: int,
  villageMismatch: int,
} as const;

export const crossDepartmentResponse = objectOf({
  region: regionRefSchema,
  asOf: { type: 'object', additionalProperties: str },
  kinds: { type: 'array', items: objectOf({ id: str, zh: str, en: str }) },
  summary: { type: 'array', items: objectOf(rosterCountsProps) },
  children: { type: 'array', items: objectOf({ code: str, name: strOrNull, rosters: { type: 'array', items: objectOf(rosterCountsProps) } }) },
});

export const rosterFindingsResponse = objectOf({
  region: regionRefSchema,
  total: int,
  limit: int,
  offset: int,
  rows: {
    type: 'array',
    items: objectOf({
      pid: str,
      name: strOrNull,
      idNumber: strOrNull,
      rosterType: str,
      kind: str,
      registryVillage: strOrNull,
      rosterVillage: strOrNull,
      countyCode: str,
    }),
  },
});

const componentSchema = objectOf({ value: num, weight: { type: 'number' }, numerator: num, denominator: num });
const componentsSchema = {
  type: 'object',
  required: ['coverage', 'timeliness', 'review', 'currency', 'quarantine', 'plausibility', 'consistency', 'cross_department', 'sampling'],
  properties: Object.fromEntries(
    ['coverage', 'timeliness', 'review', 'currency', 'quarantine', 'plausibility', 'consistency', 'cross_department', 'sampling'].map((k) => [k, componentSchema]),
  ),
} as const;
export const scoreSchema = objectOf({ score: num, numerator: num, denominator: num, components: componentsSchema });

export const scoreResponse = objectOf({
  region: regionRefSchema,
  period: str,
  months: strList,
  formula: { type: 'array', items: objectOf({ id: str, weight: { type: 'number' }, zh: str, en: str }) },
  score: scoreSchema,
  children: { type: 'array', items: objectOf({ code: str, name: strOrNull, ...scoreSchema.properties }) },
});
