/**
 * GET /api/data-quality/plausibility — record checks of a region for a month (records not
 * verified for 3+ months, status vs work region, pension age, income range, shared
 * phones, presence conflicts, status flips), with its children;
 * GET /api/data-quality/plausibility/persons — the masked worklist of one check
 * (read_persons_masked; audited).
 */
import type { FastifyInstance } from 'fastify';
import { findingsPage, recordChecksReport } from '../../../../warehouse/quality/record-checks-report.ts';
import { RECORD_CHECKS, RECORD_CHECK_IDS, type RecordCheckId } from '../../../../warehouse/quality/record-checks.ts';
import type { WarehouseQuery } from '../../../../warehouse/quality/warehouse-query.ts';
import { requirePermission } from '../../../plugins/auth.ts';
import { regionCodeSchema } from '../../../schemas.ts';
import { defaultRegion, readableRegion, regionName } from './region-access.ts';
import { monthSchema, reportMonth } from './report-month.ts';
import { errors, findingsPageResponse, plausibilityResponse } from './schemas.ts';
import type { WorklistIdentities } from './worklist-identities.ts';

export default async function plausibilityRoutes(app: FastifyInstance, opts: { query: WarehouseQuery; identities: WorklistIdentities }) {
  app.get<{ Querystring: { region?: string; month?: string } }>(
    '/api/data-quality/plausibility',
    {
      schema: {
        tags: ['data-quality'],
        summary: 'Record checks per region and month: active records and findings per check (persons for state checks, events for event checks)',
        querystring: { type: 'object', additionalProperties: false, properties: { region: regionCodeSchema, month: monthSchema } },
        response: { 200: plausibilityResponse, ...errors },
      },
    },
    async (req) => {
      requirePermission(req, 'read_figures');
      const region = readableRegion(req, req.query.region ?? defaultRegion(req));
      const month = await reportMonth(opts.query, req.query.month);
      const r = await recordChecksReport(opts.query, region.code, month);
      return {
        region: { code: region.code, name: region.name, level: region.level },
        month,
        checks: RECORD_CHECKS.map((c) => ({ id: c.id, zh: c.zh, en: c.en, kind: c.kind })),
        summary: r.summary,
        children: r.children.map((c) => ({ ...c, name: regionName(c.code) })),
      };
    },
  );

  app.get<{ Querystring: { region?: string; check: RecordCheckId; month?: string; limit: number; offset: number } }>(
    '/api/data-quality/plausibility/persons',
    {
      schema: {
        tags: ['data-quality'],
        summary: 'Worklist of one record check inside a region (masked names and ID numbers; needs read_persons_masked; audited)',
        querystring: {
          type: 'object',
          required: ['check'],
          additionalProperties: false,
          properties: {
            region: regionCodeSchema,
            check: { type: 'string', enum: [...RECORD_CHECK_IDS] },
            month: monthSchema,
            limit: { type: 'integer', minimum: 1, maximum: 200, default: 50 },
            offset: { type: 'integer', minimum: 0, maximum: 10_000_000, default: 0 },
          },
        },
        response: { 200: findingsPageResponse, ...errors },
      },
    },
    async (req) => {
      requirePermission(req, 'read_persons_masked');
      const region = readableRegion(req, req.query.region ?? defaultRegion(req));
      const month = await reportMonth(opts.query, req.query.month);
      const { limit, offset, check } = req.query;
      const page = await findingsPage(opts.query, { region: region.code, check, month, limit, offset });
      const ids = await opts.identities.lookup(page.rows.map((r) => r.pid));
      opts.identities.audit(req, 'dq_worklist_read', region.code, check, { month, limit, offset, rows: page.rows.length });
      return {
        region: { code: region.code, name: region.name, level: region.level },
        check,
        month,
        total: page.total,
        limit,
        offset,
        rows: page.rows.map((r) => ({
          pid: r.pid,
          name: ids.get(r.pid)?.name ?? null,
          idNumber: ids.get(r.pid)?.idNumber ?? null,
          villageCode: r.villageCode,
          villageName: regionName(r.villageCode),
          townshipCode: r.townshipCode,
          countyCode: r.countyCode,
          refDate: r.refDate,
          detail: r.detail,
        })),
      };
    },
  );
}
