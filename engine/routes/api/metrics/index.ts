/**
 * The metric catalogue and its figures: values, time series, comparisons (month-on-month,
 * year-on-year) and rankings of the children of a region.
 */
import type { FastifyInstance } from 'fastify';
import { METRICS } from '../../../../warehouse/metrics/catalogue.ts';
import { DIMENSIONS } from '../../../../warehouse/metrics/dimensions.ts';
import { errorResponseSchema } from '../../../plugins/errors.ts';
import { assertRegionReadable } from '../../../plugins/scope.ts';
import { regionCodeSchema } from '../../../schemas.ts';
import { appMetricService } from '../../../services/app-metric-service.ts';
import {
  metricIdSchema,
  metricListParam,
  metricListSchema,
  metricParam,
  periodParam,
  periodRangeParams,
  periodSchema,
  regionParam,
} from '../../../services/metric-params.ts';
import { compareValueSchema, dimensionSchema, metricDefinitionSchema, rankingItemSchema, valuesMapSchema } from './schemas.ts';

const errors = { 400: errorResponseSchema, 404: errorResponseSchema, 503: errorResponseSchema, 504: errorResponseSchema } as const;

export default async function metrics(app: FastifyInstance) {
  const service = appMetricService(app);
  const catalogue = {
    metrics: METRICS.map((m) => ({ ...m, dimensions: [...m.dimensions] })),
    dimensions: DIMENSIONS.map((d) => ({ id: d.id, zh: d.zh, en: d.en, type: d.type, ...(d.values ? { values: d.values } : {}) })),
  };

  app.get(
    '/api/metrics',
    {
      schema: {
        tags: ['metrics'],
        summary: 'The metric catalogue: every metric with its definition, and the dimensions',
        response: {
          200: {
            type: 'object',
            required: ['metrics', 'dimensions'],
            properties: { metrics: { type: 'array', items: metricDefinitionSchema }, dimensions: { type: 'array', items: dimensionSchema } },
          },
        },
      },
    },
    async () => catalogue,
  );

  app.get<{ Querystring: { region: string; period: string; metrics: string } }>(
    '/api/metrics/values',
    {
      schema: {
        tags: ['metrics'],
        summary: 'Values of metrics for one region and period (rates with numerator and denominator)',
        querystring: {
          type: 'object',
          required: ['region', 'period', 'metrics'],
          additionalProperties: false,
          properties: { region: regionCodeSchema, period: periodSchema, metrics: metricListSchema },
        },
        response: {
          200: { type: 'object', required: ['region', 'period', 'values'], properties: { region: { type: 'string' }, period: { type: 'string' }, values: valuesMapSchema } },
          ...errors,
        },
      },
    },
    async (req) => {
      const region = regionParam(req.query.region);
      const period = periodParam(req.query.period);
      const ids = metricListParam(req.query.metrics);
      assertRegionReadable(req, region.code, 'region');
      return { region: region.code, period: period.id, values: await service.values(region.code, period, ids) };
    },
  );

  app.get<{ Querystring: { region: string; metrics: string; from: string; to: string } }>(
    '/api/metrics/series',
    {
      schema: {
        tags: ['metrics'],
        summary: 'Time series of metrics for one region, period by period from `from` to `to` (months, quarters or years)',
        querystring: {
          type: 'object',
          required: ['region', 'metrics', 'from', 'to'],
          additionalProperties: false,
          properties: { region: regionCodeSchema, metrics: metricListSchema, from: periodSchema, to: periodSchema },
        },
        response: {
          200: {
            type: 'object',
            required: ['region', 'from', 'to', 'points'],
            properties: {
              region: { type: 'string' },
              from: { type: 'string' },
              to: { type: 'string' },
              points: {
                type: 'array',
                items: { type: 'object', required: ['period', 'values'], properties: { period: { type: 'string' }, values: valuesMapSchema } },
              },
            },
          },
          ...errors,
        },
      },
    },
    async (req) => {
      const region = regionParam(req.query.region);
      const periods = periodRangeParams(req.query.from, req.query.to);
      const ids = metricListParam(req.query.metrics);
      assertRegionReadable(req, region.code, 'region');
      return { region: region.code, from: periods[0].id, to: periods[periods.length - 1].id, points: await service.series(region.code, periods, ids) };
    },
  );

  app.get<{ Querystring: { region: string; period: string; metrics: string } }>(
    '/api/metrics/compare',
    {
      schema: {
        tags: ['metrics'],
        summary: 'Metrics of a period compared with the previous period (month-on-month, quarter-on-quarter) and the same period last year',
        querystring: {
          type: 'object',
          required: ['region', 'period', 'metrics'],
          additionalProperties: false,
          properties: { region: regionCodeSchema, period: periodSchema, metrics: metricListSchema },
        },
        response: {
          200: {
            type: 'object',
            required: ['region', 'period', 'previousPeriod', 'lastYearPeriod', 'values'],
            properties: {
              region: { type: 'string' },
              period: { type: 'string' },
              previousPeriod: { type: 'string' },
              lastYearPeriod: { type: 'string' },
              values: { type: 'object', additionalProperties: compareValueSchema },
            },
          },
          ...errors,
        },
      },
    },
    async (req) => {
      const region = regionParam(req.query.region);
      const period = periodParam(req.query.period);
      const ids = metricListParam(req.query.metrics);
      assertRegionReadable(req, region.code, 'region');
      return { region: region.code, period: period.id, ...(await service.compare(region.code, period, ids)) };
    },
  );

  app.get<{ Querystring: { region: string; period: string; metric: string; order: 'asc' | 'desc'; limit: number; level?: 'city' | 'county' | 'township' } }>(
    '/api/metrics/ranking',
    {
      schema: {
        tags: ['metrics'],
        summary: 'The children of a region (cities of the province, counties of a city, …), or its descendants at a level, ranked by one metric',
        querystring: {
          type: 'object',
          required: ['region', 'period', 'metric'],
          additionalProperties: false,
          properties: {
            region: regionCodeSchema,
            period: periodSchema,
            metric: metricIdSchema,
            order: { type: 'string', enum: ['asc', 'desc'], default: 'desc' },
            limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
            level: {
              type: 'string',
              enum: ['city', 'county', 'township'],
              description: 'Rank the descendants at this level instead of the children (e.g. the 183 counties of the province); must be below the region',
            },
          },
        },
        response: {
          200: {
            type: 'object',
            required: ['region', 'period', 'metric', 'order', 'level', 'total', 'items'],
            properties: {
              region: { type: 'string' },
              period: { type: 'string' },
              metric: { type: 'string' },
              order: { type: 'string' },
              level: { type: ['string', 'null'] },
              total: { type: 'integer' },
              items: { type: 'array', items: rankingItemSchema },
            },
          },
          ...errors,
        },
      },
    },
    async (req) => {
      const region = regionParam(req.query.region);
      const period = periodParam(req.query.period);
      const metric = metricParam(req.query.metric);
      assertRegionReadable(req, region.code, 'region');
      const r = await service.ranking(region, period, metric, req.query.order, req.query.limit, req.query.level);
      return { region: region.code, period: period.id, metric, order: req.query.order, level: r.level, total: r.total, items: r.items };
    },
  );
}
