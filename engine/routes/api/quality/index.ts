/**
 * Quarantine summary (rows rejected by the refresh: by reason, by file, by county) and
 * reconciliation summary (表库不符: persons snapshots vs the registry, by snapshot and
 * county) for a region.
 */
import type { FastifyInstance } from 'fastify';
import { loadRegions } from '../../../../warehouse/reference/regions.ts';
import { quarantineSummary, reconciliationSummary } from '../../../../warehouse/metrics/quarantine-summary.ts';
import { ApiError, errorResponseSchema } from '../../../plugins/errors.ts';
import { assertRegionReadable } from '../../../plugins/scope.ts';
import { regionCodeSchema } from '../../../schemas.ts';
import { appMetricService } from '../../../services/app-metric-service.ts';
import { regionParam } from '../../../services/metric-params.ts';

const regionQuery = { type: 'object', required: ['region'], additionalProperties: false, properties: { region: regionCodeSchema } } as const;
const kinds = { missing: { type: 'integer' }, extra: { type: 'integer' }, different: { type: 'integer' } } as const;

export default async function quality(app: FastifyInstance) {
  const metrics = appMetricService(app);
  const name = (code: string) => loadRegions().byCode.get(code)?.name ?? null;

  app.get<{ Querystring: { region: string } }>(
    '/api/quality/quarantine',
    {
      schema: {
        tags: ['metrics'],
        summary: 'Rows rejected into quarantine, by reason, by file and by county, for a region',
        querystring: regionQuery,
        response: {
          200: {
            type: 'object',
            required: ['region', 'total', 'byReason', 'byFile', 'byCounty'],
            properties: {
              region: { type: 'string' },
              total: { type: 'integer' },
              byReason: {
                type: 'array',
                items: { type: 'object', required: ['reason', 'zh', 'en', 'count'], properties: { reason: { type: 'string' }, zh: { type: 'string' }, en: { type: 'string' }, count: { type: 'integer' } } },
              },
              byFile: { type: 'array', items: { type: 'object', required: ['batch', 'file', 'count'], properties: { batch: { type: 'string' }, file: { type: 'string' }, count: { type: 'integer' } } } },
              byCounty: {
                type: 'array',
                items: { type: 'object', required: ['code', 'name', 'count'], properties: { code: { type: 'string' }, name: { type: ['string', 'null'] }, count: { type: 'integer' } } },
              },
            },
          },
          ...{ 400: errorResponseSchema, 404: errorResponseSchema, 503: errorResponseSchema },
        },
      },
    },
    async (req) => {
      const region = regionParam(req.query.region);
      assertRegionReadable(req, region.code, 'region');
      const s = await quarantineSummary(metrics.run, region.code);
      if (!s) throw new ApiError(404, 'no_data', `quarantined rows carry no county in this warehouse build: only the province (510000) has a summary`);
      return { region: region.code, total: s.total, byReason: s.byReason, byFile: s.byFile, byCounty: s.byCounty.map((c) => ({ code: c.county, name: name(c.county), count: c.count })) };
    },
  );

  app.get<{ Querystring: { region: string } }>(
    '/api/quality/reconciliation',
    {
      schema: {
        tags: ['metrics'],
        summary: 'Reconciliation findings (表库不符): persons missing, extra or different in the snapshots, by snapshot and county',
        querystring: regionQuery,
        response: {
          200: {
            type: 'object',
            required: ['region', 'total', 'bySnapshot', 'byCounty'],
            properties: {
              region: { type: 'string' },
              total: { type: 'integer' },
              bySnapshot: { type: 'array', items: { type: 'object', required: ['snapshotDate', 'missing', 'extra', 'different'], properties: { snapshotDate: { type: 'string' }, ...kinds } } },
              byCounty: {
                type: 'array',
                items: { type: 'object', required: ['code', 'name', 'missing', 'extra', 'different'], properties: { code: { type: 'string' }, name: { type: ['string', 'null'] }, ...kinds } },
              },
            },
          },
          ...{ 400: errorResponseSchema, 404: errorResponseSchema, 503: errorResponseSchema },
        },
      },
    },
    async (req) => {
      const region = regionParam(req.query.region);
      assertRegionReadable(req, region.code, 'region');
      const s = await reconciliationSummary(metrics.run, region.code);
      return { region: region.code, total: s.total, bySnapshot: s.bySnapshot, byCounty: s.byCounty.map((c) => ({ code: c.county, name: name(c.county), missing: c.missing, extra: c.extra, different: c.different })) };
    },
  );
}
