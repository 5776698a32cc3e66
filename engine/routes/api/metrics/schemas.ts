/**
 * Response schemas of the metric routes.
 */
const nullableNumber = { type: ['number', 'null'] } as const;

export const metricValueSchema = {
  type: 'object',
  required: ['value'],
  properties: { value: nullableNumber, numerator: nullableNumber, denominator: nullableNumber },
} as const;

export const valuesMapSchema = { type: 'object', additionalProperties: metricValueSchema } as const;

const bilingual = { type: 'object', required: ['en', 'zh'], properties: { en: { type: 'string' }, zh: { type: 'string' } } } as const;

export const metricDefinitionSchema = {
  type: 'object',
  required: ['id', 'zh', 'en', 'group', 'kind', 'unit', 'definition', 'population', 'period', 'dimensions', 'source', 'computedFrom'],
  properties: {
    id: { type: 'string' },
    zh: { type: 'string' },
    en: { type: 'string' },
    group: { type: 'string' },
    kind: { type: 'string', enum: ['stock', 'flow', 'rate', 'ratio'] },
    unit: { type: 'string' },
    definition: bilingual,
    population: bilingual,
    numerator: bilingual,
    denominator: bilingual,
    period: bilingual,
    dimensions: { type: 'array', items: { type: 'string' } },
    source: { type: 'string' },
    higherIsBetter: { type: 'boolean' },
    computedFrom: { type: 'string' },
    notes: bilingual,
  },
} as const;

export const dimensionSchema = {
  type: 'object',
  required: ['id', 'zh', 'en', 'type'],
  properties: {
    id: { type: 'string' },
    zh: { type: 'string' },
    en: { type: 'string' },
    type: { type: 'string', enum: ['text', 'boolean'] },
    values: {
      type: 'array',
      items: { type: 'object', required: ['code', 'zh', 'en'], properties: { code: { type: 'string' }, zh: { type: 'string' }, en: { type: 'string' } } },
    },
  },
} as const;

const changeSchema = { type: 'object', required: ['change', 'relative'], properties: { change: nullableNumber, relative: nullableNumber } } as const;

export const compareValueSchema = {
  type: 'object',
  required: ['current', 'previous', 'lastYear', 'mom', 'yoy'],
  properties: { current: metricValueSchema, previous: metricValueSchema, lastYear: metricValueSchema, mom: changeSchema, yoy: changeSchema },
} as const;

export const rankingItemSchema = {
  type: 'object',
  required: ['rank', 'code', 'name', 'value'],
  properties: {
    rank: { type: ['integer', 'null'] },
    code: { type: 'string' },
    name: { type: 'string' },
    value: nullableNumber,
    numerator: nullableNumber,
    denominator: nullableNumber,
  },
} as const;
