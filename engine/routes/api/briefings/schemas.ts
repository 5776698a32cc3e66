/**
 * JSON schemas of the briefing routes (OpenAPI at /api/docs).
 */
export const briefingKindSchema = { type: 'string', enum: ['monthly', 'quarterly', 'annual'], description: 'monthly 月调度 (period YYYY-MM), quarterly 季通报 (YYYY-Qn), annual 年考核 (YYYY)' } as const;

export const briefingSummarySchema = {
  type: 'object',
  required: ['id', 'kind', 'region', 'regionName', 'period', 'title', 'status', 'warehouseVersion', 'dataAsOf', 'contentSha256', 'createdBy', 'createdAt', 'publishedBy', 'publishedAt'],
  properties: {
    id: { type: 'integer' },
    kind: briefingKindSchema,
    region: { type: 'string' },
    regionName: { type: 'string' },
    period: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'string', enum: ['draft', 'published'] },
    warehouseVersion: { type: 'string', description: 'the warehouse build the figures came from' },
    dataAsOf: { type: 'string' },
    contentSha256: { type: 'string', description: 'SHA-256 of the frozen content JSON' },
    createdBy: { type: 'string' },
    createdAt: { type: 'string' },
    publishedBy: { type: ['string', 'null'] },
    publishedAt: { type: ['string', 'null'] },
  },
} as const;

export const figureSchema = {
  type: 'object',
  required: ['key', 'source', 'metric', 'region', 'regionName', 'period', 'value', 'api'],
  properties: {
    key: { type: 'string' },
    source: { type: 'string', enum: ['metrics', 'explore', 'alerts'] },
    metric: { type: 'string' },
    region: { type: 'string' },
    regionName: { type: 'string' },
    period: { type: 'string' },
    value: { type: ['number', 'null'] },
    numerator: { type: ['number', 'null'] },
    denominator: { type: ['number', 'null'] },
    dimension: { type: 'object', additionalProperties: { type: 'string' } },
    workflow: { type: 'string' },
    api: { type: 'string', description: 'the API request that answers the same figure' },
  },
} as const;

export const briefingSchema = {
  type: 'object',
  required: [...briefingSummarySchema.required, 'content'],
  properties: {
    ...briefingSummarySchema.properties,
    content: {
      type: 'object',
      description: 'The frozen content: headline, narrative (each sentence with its figure keys), keyFigures, trend, rankings, reasons, alerts, children, commended, calledIn, assessment, revisions, and figures (every number with its metric id, region and period).',
      required: ['kind', 'region', 'period', 'title', 'warehouseVersion', 'dataAsOf', 'headline', 'narrative', 'figures'],
      additionalProperties: true,
      properties: { figures: { type: 'array', items: figureSchema } },
    },
  },
} as const;
