/**
 * JSON schemas of the sampling responses and the JSON form of an import.
 */
const int = { type: 'integer' } as const;
const num = { type: 'number' } as const;
const numOrNull = { type: ['number', 'null'] } as const;
const str = { type: 'string' } as const;
const strOrNull = { type: ['string', 'null'] } as const;
const objectOf = <P extends Record<string, unknown>>(properties: P) => ({ type: 'object', required: Object.keys(properties), properties }) as const;

export const drawSchema = objectOf({
  drawId: int,
  createdAt: str,
  createdBy: str,
  region: str,
  seed: str,
  marginOfError: num,
  confidence: num,
  expectedAccuracy: num,
  warehouseVersion: str,
  dataAsOf: str,
  population: int,
  sampleSize: int,
});

export const drawResponse = objectOf({
  ...drawSchema.properties,
  counties: { type: 'array', items: objectOf({ code: str, name: strOrNull, population: int, sampleSize: int, townships: int }) },
});

export const resultsJsonBody = {
  type: 'object',
  required: ['results'],
  additionalProperties: false,
  properties: {
    results: {
      type: 'array',
      maxItems: 200_000,
      items: {
        type: 'object',
        required: ['sample_id'],
        additionalProperties: false,
        properties: {
          sample_id: { type: 'string', maxLength: 40 },
          result: { type: ['string', 'null'], maxLength: 20, description: '一致 / 不一致 / 查无此人 (or match / mismatch / not_found)' },
          corrections: { type: ['string', 'null'], maxLength: 2000, description: '字段=值;字段=值 (persons column headers or keys)' },
          verifier: { type: ['string', 'null'], maxLength: 60 },
          checked_on: { type: ['string', 'null'], maxLength: 10 },
        },
      },
    },
  },
} as const;

export const importResponse = objectOf({ drawId: int, importId: int, rows: int, inserted: int, replaced: int, skipped: int });

export const estimatesResponse = objectOf({
  draw: drawSchema,
  confidence: num,
  counties: {
    type: 'array',
    items: objectOf({
      countyCode: str,
      name: strOrNull,
      population: int,
      sampled: int,
      verified: int,
      pending: int,
      matches: int,
      mismatches: int,
      notFound: int,
      accuracy: numOrNull,
      lower: numOrNull,
      upper: numOrNull,
      corrections: { type: 'object', additionalProperties: int },
    }),
  },
  combined: objectOf({ population: int, countiesWithResults: int, counties: int, verified: int, accuracy: numOrNull, lower: numOrNull, upper: numOrNull }),
});
