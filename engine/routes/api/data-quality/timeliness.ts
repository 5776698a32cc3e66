/**
 * GET /api/data-quality/timeliness and /backlog — monthly submission, on-time rate and
 * review of the collection points of a region (per point for a county or township), and
 * the review backlog per township and county.
 */
import type { FastifyInstance } from 'fastify';
import { timelinessReport } from '../../../../warehouse/quality/timeliness-report.ts';
import type { WarehouseQuery } from '../../../../warehouse/quality/warehouse-query.ts';
import { requirePermission } from '../../../plugins/auth.ts';
import { regionCodeSchema } from '../../../schemas.ts';
import { defaultRegion, readableRegion, regionName } from './region-access.ts';
import { monthSchema, reportMonth } from './report-month.ts';
import { backlogResponse, errors, timelinessResponse } from './schemas.ts';

const querystring = { type: 'object', additionalProperties: false, properties: { region: regionCodeSchema, month: monthSchema } } as const;

export default async function timelinessRoutes(app: FastifyInstance, opts: { query: WarehouseQuery }) {
  app.get<{ Querystring: { region?: string; month?: string } }>(
    '/api/data-quality/timeliness',
    {
      schema: {
        tags: ['data-quality'],
        summary: 'Monthly submissions of collection points: submitted, on time (deadline the 5th of the next month by default), late, reviewed, returned',
        querystring,
        response: { 200: timelinessResponse, ...errors },
      },
    },
    async (req) => {
      requirePermission(req, 'read_figures');
      const region = readableRegion(req, req.query.region ?? defaultRegion(req));
      const month = await reportMonth(opts.query, req.query.month);
      const r = await timelinessReport(opts.query, region.code, month);
      return { region: { code: region.code, name: region.name, level: region.level }, ...r, children: r.children.map((c) => ({ ...c, name: regionName(c.code) })) };
    },
  );

  app.get<{ Querystring: { region?: string; month?: string } }>(
    '/api/data-quality/backlog',
    {
      schema: {
        tags: ['data-quality'],
        summary: 'Review backlog: submissions awaiting township review or county re-verification, per township and county',
        querystring,
        response: { 200: backlogResponse, ...errors },
      },
    },
    async (req) => {
      requirePermission(req, 'read_figures');
      const region = readableRegion(req, req.query.region ?? defaultRegion(req));
      const month = await reportMonth(opts.query, req.query.month);
      const r = await timelinessReport(opts.query, region.code, month);
      const pick = (c: { submitted: number; townshipReviewed: number; countyVerified: number; returned: number; backlogTownship: number; backlogCounty: number }) => ({
        submitted: c.submitted,
        townshipReviewed: c.townshipReviewed,
        countyVerified: c.countyVerified,
        returned: c.returned,
        backlogTownship: c.backlogTownship,
        backlogCounty: c.backlogCounty,
      });
      return {
        region: { code: region.code, name: region.name, level: region.level },
        month,
        summary: r.summary ? pick(r.summary) : null,
        children: r.children.map((c) => ({ code: c.code, name: regionName(c.code), ...pick(c) })),
        points: r.points ? r.points.filter((p) => p.backlogTownship || p.backlogCounty) : null,
      };
    },
  );
}
