/**
 * The explorer: whitelisted dimensions × measures at any region level, with filters, as
 * JSON, as an Arrow IPC stream (`Accept: application/vnd.apache.arrow.stream`), or as a
 * CSV / XLSX download (`?format=csv|xlsx`).
 */
import type { FastifyInstance } from 'fastify';
import { DIMENSION_IDS } from '../../../../warehouse/metrics/dimensions.ts';
import { EXPLORE_LIMITS, EXPLORE_MEASURE_IDS } from '../../../../warehouse/metrics/explore-query.ts';
import { REGION_LEVELS } from '../../../../warehouse/reference/regions.ts';
import { errorResponseSchema } from '../../../plugins/errors.ts';
import { assertRegionReadable } from '../../../plugins/scope.ts';
import { regionCodeSchema } from '../../../schemas.ts';
import { periodSchema } from '../../../services/metric-params.ts';
import { ExploreService, type ExploreBody } from '../../../services/explore-service.ts';
import { ARROW_STREAM_TYPE, tableToArrowStream } from '../../../services/arrow-encoding.ts';
import { tableToCsv } from '../../../services/csv-encoding.ts';
import { XLSX_TYPE, tableToXlsxStream } from '../../../services/xlsx-encoding.ts';

const filterValues = {
  type: 'array',
  minItems: 1,
  maxItems: EXPLORE_LIMITS.maxFilterValues,
  uniqueItems: true,
  items: { type: ['string', 'boolean'], maxLength: 12 },
} as const;

const bodySchema = {
  type: 'object',
  required: ['level', 'periods', 'measures'],
  additionalProperties: false,
  properties: {
    level: { type: 'string', enum: [...REGION_LEVELS], description: 'Region level of the rows' },
    region: { ...regionCodeSchema, description: 'Only regions inside this one (default 510000, the province)' },
    periods: { type: 'array', minItems: 1, maxItems: EXPLORE_LIMITS.maxPeriods, uniqueItems: true, items: periodSchema },
    dimensions: { type: 'array', maxItems: EXPLORE_LIMITS.maxDimensions, uniqueItems: true, items: { type: 'string', enum: [...DIMENSION_IDS] } },
    measures: { type: 'array', minItems: 1, maxItems: EXPLORE_LIMITS.maxMeasures, uniqueItems: true, items: { type: 'string', enum: EXPLORE_MEASURE_IDS } },
    filters: {
      type: 'object',
      additionalProperties: false,
      properties: Object.fromEntries(DIMENSION_IDS.map((d) => [d, filterValues])),
      description: 'Dimension → accepted values (codes of the dimension)',
    },
    limit: { type: 'integer', minimum: 1, maximum: EXPLORE_LIMITS.maxRows, default: EXPLORE_LIMITS.defaultRows },
  },
} as const;

const responseSchema = {
  type: 'object',
  required: ['source', 'columns', 'rows', 'truncated'],
  properties: {
    source: { type: 'string' },
    truncated: { type: 'boolean', description: 'More rows exist than the limit' },
    columns: {
      type: 'array',
      items: { type: 'object', required: ['name', 'type'], properties: { name: { type: 'string' }, type: { type: 'string', enum: ['string', 'number', 'boolean'] } } },
    },
    rows: { type: 'array', items: { type: 'object', additionalProperties: { type: ['string', 'number', 'boolean', 'null'] } } },
  },
} as const;

export default async function explore(app: FastifyInstance) {
  const service = new ExploreService(app.warehouse);

  app.post<{ Body: ExploreBody; Querystring: { format?: 'json' | 'csv' | 'xlsx' } }>(
    '/api/explore',
    {
      schema: {
        tags: ['metrics'],
        summary: 'Explorer slice: dimensions × measures at a region level for periods, with filters (JSON, Arrow IPC stream, CSV, XLSX)',
        description:
          'Send `Accept: application/vnd.apache.arrow.stream` for an Arrow IPC stream of the same columns, or `?format=csv|xlsx` for a download. ' +
          'Stocks are read at the end of each period, flows summed over it. Dimension and measure names come from the whitelist (GET /api/metrics).',
        querystring: { type: 'object', additionalProperties: false, properties: { format: { type: 'string', enum: ['json', 'csv', 'xlsx'], default: 'json' } } },
        body: bodySchema,
        response: {
          200: {
            description: 'JSON (default), or an Arrow stream / CSV / XLSX file as requested',
            content: {
              'application/json': { schema: responseSchema },
              [ARROW_STREAM_TYPE]: { schema: { type: 'string', format: 'binary' } },
              'text/csv': { schema: { type: 'string' } },
              [XLSX_TYPE]: { schema: { type: 'string', format: 'binary' } },
            },
          },
          400: errorResponseSchema,
          404: errorResponseSchema,
          503: errorResponseSchema,
          504: errorResponseSchema,
        },
      },
    },
    async (req, reply) => {
      assertRegionReadable(req, req.body.region ?? '510000');
      const result = await service.explore(req.body);
      const format = req.query.format ?? 'json';
      const name = `explore-${req.body.level}-${req.body.periods[0]}`;
      if (format === 'csv') {
        return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}.csv"`).send(tableToCsv(result));
      }
      if (format === 'xlsx') {
        return reply.type(XLSX_TYPE).header('content-disposition', `attachment; filename="${name}.xlsx"`).send(tableToXlsxStream(result));
      }
      if ((req.headers.accept ?? '').includes(ARROW_STREAM_TYPE)) {
        return reply.type(ARROW_STREAM_TYPE).header('x-truncated', String(result.truncated)).send(Buffer.from(tableToArrowStream(result)));
      }
      // Serialised here: the schema serialiser takes ~25× longer on rows with open-ended,
      // multi-type properties (≈ 0.5 s for a 17,000-row slice); the schema still documents them.
      return reply.type('application/json; charset=utf-8').send(JSON.stringify(result));
    },
  );
}
