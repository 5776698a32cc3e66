/**
 * JSON schemas shared by several routes.
 */
export const regionCodeSchema = {
  type: 'string',
  pattern: '^(\\d{6}|\\d{9}|\\d{12})$',
  description: 'Region code: 6-digit GB/T 2260 (510000 province, 511700 city, 511702 county), 9-digit township, 12-digit village',
} as const;

export const regionSchema = {
  type: 'object',
  required: ['code', 'name', 'level', 'parent'],
  properties: {
    code: { type: 'string' },
    name: { type: 'string' },
    level: { type: 'string', enum: ['province', 'city', 'county', 'township', 'village'] },
    parent: { type: ['string', 'null'] },
  },
} as const;
