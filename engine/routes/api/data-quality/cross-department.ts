/**
 * GET /api/data-quality/cross-department — the registry against the poverty-alleviated
 * and relocated rosters for a region, with its children;
 * GET /api/data-quality/cross-department/persons — the masked worklist of findings
 * (read_persons_masked; audited).
 */
import type { FastifyInstance } from 'fastify';
import { crossDepartmentReport, rosterFindingsPage, type RosterFindingKind } from '../../../../warehouse/quality/cross-department-report.ts';
import { ROSTER_FINDING_KINDS } from '../../../../warehouse/quality/cross-department-tables.ts';
import { ROSTER_TYPE } from '../../../../warehouse/contract/codes.ts';
import type { WarehouseQuery } from '../../../../warehouse/quality/warehouse-query.ts';
import { requirePermission } from '../../../plugins/auth.ts';
import { regionCodeSchema } from '../../../schemas.ts';
import { defaultRegion, readableRegion, regionName } from './region-access.ts';
import { crossDepartmentResponse, errors, rosterFindingsResponse } from './schemas.ts';
import type { WorklistIdentities } from './worklist-identities.ts';

export default async function crossDepartmentRoutes(app: FastifyInstance, opts: { query: WarehouseQuery; identities: WorklistIdentities }) {
  app.get<{ Querystring: { region?: string } }>(
    '/api/data-quality/cross-department',
    {
      schema: {
        tags: ['data-quality'],
        summary: 'Registry vs department rosters (脱贫劳动力, 易地搬迁) by keyed ID: matched, not in the registry, not on the roster, flag missing, village differs',
        querystring: { type: 'object', additionalProperties: false, properties: { region: regionCodeSchema } },
        response: { 200: crossDepartmentResponse, ...errors },
      },
    },
    async (req) => {
      requirePermission(req, 'read_figures');
      const region = readableRegion(req, req.query.region ?? defaultRegion(req));
      const r = await crossDepartmentReport(opts.query, region.code);
      return {
        region: { code: region.code, name: region.name, level: region.level },
        asOf: r.asOf,
        kinds: ROSTER_FINDING_KINDS.map((k) => ({ ...k })),
        summary: r.summary,
        children: r.children.map((c) => ({ ...c, name: regionName(c.code) })),
      };
    },
  );

  app.get<{ Querystring: { region?: string; rosterType?: string; kind?: RosterFindingKind; limit: number; offset: number } }>(
    '/api/data-quality/cross-department/persons',
    {
      schema: {
        tags: ['data-quality'],
        summary: 'Worklist of cross-department findings inside a region (masked; needs read_persons_masked; audited)',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            region: regionCodeSchema,
            rosterType: { type: 'string', enum: ROSTER_TYPE.map((r) => r.code) },
            kind: { type: 'string', enum: ROSTER_FINDING_KINDS.map((k) => k.id) },
            limit: { type: 'integer', minimum: 1, maximum: 200, default: 50 },
            offset: { type: 'integer', minimum: 0, maximum: 10_000_000, default: 0 },
          },
        },
        response: { 200: rosterFindingsResponse, ...errors },
      },
    },
    async (req) => {
      requirePermission(req, 'read_persons_masked');
      const region = readableRegion(req, req.query.region ?? defaultRegion(req));
      const { limit, offset, rosterType, kind } = req.query;
      const page = await rosterFindingsPage(opts.query, { region: region.code, rosterType, kind, limit, offset });
      const ids = await opts.identities.lookup(page.rows.map((r) => r.pid));
      opts.identities.audit(req, 'dq_worklist_read', region.code, `roster:${rosterType ?? '*'}:${kind ?? '*'}`, { limit, offset, rows: page.rows.length });
      return {
        region: { code: region.code, name: region.name, level: region.level },
        total: page.total,
        limit,
        offset,
        rows: page.rows.map((r) => ({ ...r, name: ids.get(r.pid)?.name ?? null, idNumber: ids.get(r.pid)?.idNumber ?? null })),
      };
    },
  );
}
