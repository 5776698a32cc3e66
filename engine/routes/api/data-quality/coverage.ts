/**
 * GET /api/data-quality/coverage — collection-point coverage of a region: counts, its
 * children's counts (down to villages for a township), and the problems inside it.
 */
import type { FastifyInstance } from 'fastify';
import { coverageReport } from '../../../../warehouse/quality/coverage-report.ts';
import type { WarehouseQuery } from '../../../../warehouse/quality/warehouse-query.ts';
import { requirePermission } from '../../../plugins/auth.ts';
import { regionCodeSchema } from '../../../schemas.ts';
import { defaultRegion, readableRegion, regionName } from './region-access.ts';
import { coverageResponse, errors } from './schemas.ts';

export default async function coverageRoutes(app: FastifyInstance, opts: { query: WarehouseQuery }) {
  app.get<{ Querystring: { region?: string; limit: number } }>(
    '/api/data-quality/coverage',
    {
      schema: {
        tags: ['data-quality'],
        summary: 'Collection-point coverage (全覆盖): villages in exactly one point, large villages with their own point, uncovered and multi-point villages, merged points',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { region: regionCodeSchema, limit: { type: 'integer', minimum: 1, maximum: 5000, default: 500, description: 'Most problem villages and merged points listed' } },
        },
        response: { 200: coverageResponse, ...errors },
      },
    },
    async (req) => {
      requirePermission(req, 'read_figures');
      const region = readableRegion(req, req.query.region ?? defaultRegion(req));
      const r = await coverageReport(opts.query, region.code, req.query.limit);
      return {
        region: { code: region.code, name: region.name, level: region.level },
        asOf: r.asOf,
        summary: r.summary,
        children: r.children.map((c) => ({ ...c, name: regionName(c.code) })),
        villageIssues: r.villageIssues.map((v) => ({ ...v, villageName: regionName(v.villageCode), townshipName: regionName(v.townshipCode) })),
        mergedPoints: r.mergedPoints.map((p) => ({ ...p, townshipName: regionName(p.townshipCode) })),
        truncated: r.truncated,
      };
    },
  );
}
