/**
 * Briefings (简报): 月调度 monthly dispatch, 季通报 quarterly bulletin, 年考核 annual
 * assessment. Generate a draft from the warehouse served now, read it, publish it (frozen,
 * immutable: a second publish answers 409), download it as PDF (printed by Chromium from
 * the web page) or XLSX. Everything is scoped: a briefing of a region outside the user's
 * answers 404 like an unknown one. Publishing and downloads are audited.
 */
import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError, errorResponseSchema, notFound } from '../../../plugins/errors.ts';
import { currentUser, requirePermission } from '../../../plugins/auth.ts';
import { assertRegionReadable } from '../../../plugins/scope.ts';
import { regionCodeSchema } from '../../../schemas.ts';
import { appMetricService } from '../../../services/app-metric-service.ts';
import { ExploreService } from '../../../services/explore-service.ts';
import { periodParam, periodSchema, regionParam } from '../../../services/metric-params.ts';
import { regionContains } from '../../../services/region-scope.ts';
import { BriefingStore, PublishConflict, type BriefingRecord, type BriefingSummary } from '../../../services/briefing-store.ts';
import { briefingXlsx } from '../../../services/briefing-xlsx.ts';
import { BriefingPdfRenderer } from '../../../services/briefing-pdf.ts';
import { XLSX_TYPE } from '../../../services/xlsx-encoding.ts';
import { AlertStore } from '../../../../alerts/alert-store.ts';
import { codePrefix } from '../../../../alerts/region-codes.ts';
import { loadRegions } from '../../../../warehouse/reference/regions.ts';
import { generateBriefing } from '../../../briefings/generate-briefing.ts';
import type { BriefingKind } from '../../../briefings/briefing-content.ts';
import { briefingKindSchema, briefingSchema, briefingSummarySchema } from './schemas.ts';

export interface BriefingRoutesOptions {
  readonly webDir: string;
  readonly now?: () => number;
}

const errors = { 400: errorResponseSchema, 403: errorResponseSchema, 404: errorResponseSchema, 409: errorResponseSchema, 503: errorResponseSchema } as const;
const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'integer', minimum: 1 } } } as const;

const withName = <T extends BriefingSummary>(b: T) => ({ ...b, regionName: loadRegions().byCode.get(b.region)?.name ?? b.region });

async function briefingRoutes(app: FastifyInstance, opts: BriefingRoutesOptions) {
  const now = opts.now ?? Date.now;
  const store = new BriefingStore(app.stateDb, () => new Date(now()));
  const metrics = appMetricService(app);
  const explore = new ExploreService(app.warehouse);
  const alerts = new AlertStore(app.stateDb);
  const pdf = new BriefingPdfRenderer(app, opts.webDir);

  /** The briefing if it exists and lies in the user's region; 404 otherwise (either way). */
  const visible = (req: FastifyRequest<{ Params: { id: number } }>): BriefingRecord => {
    const user = requirePermission(req, 'read_figures');
    const b = store.get(req.params.id);
    if (!b || !regionContains(user.region, b.region)) throw notFound(`no briefing ${req.params.id}`);
    return b;
  };
  const filename = (b: BriefingRecord, ext: string) => `briefing-${b.id}-${b.kind}-${b.region}-${b.period}.${ext}`;

  app.get<{ Querystring: { kind?: BriefingKind; region?: string; status?: 'draft' | 'published'; limit: number } }>(
    '/api/briefings',
    {
      schema: {
        tags: ['briefings'],
        summary: 'Briefings of the regions the user may read, newest first',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            kind: briefingKindSchema,
            region: regionCodeSchema,
            status: { type: 'string', enum: ['draft', 'published'] },
            limit: { type: 'integer', minimum: 1, maximum: 1000, default: 200 },
          },
        },
        response: { 200: { type: 'object', required: ['briefings'], properties: { briefings: { type: 'array', items: briefingSummarySchema } } }, ...errors },
      },
    },
    async (req) => {
      const user = requirePermission(req, 'read_figures');
      if (req.query.region) {
        regionParam(req.query.region);
        assertRegionReadable(req, req.query.region, 'region');
      }
      const list = store.list({ scopePrefix: codePrefix(user.region), kind: req.query.kind, region: req.query.region, status: req.query.status, limit: req.query.limit });
      return { briefings: list.filter((b) => regionContains(user.region, b.region)).map(withName) };
    },
  );

  app.post<{ Body: { kind: BriefingKind; region: string; period: string } }>(
    '/api/briefings',
    {
      schema: {
        tags: ['briefings'],
        summary: 'Generate a draft briefing of a kind, region (province, city or county) and period from the warehouse served now',
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['kind', 'region', 'period'],
          properties: { kind: briefingKindSchema, region: regionCodeSchema, period: periodSchema },
        },
        response: { 201: briefingSchema, ...errors },
      },
    },
    async (req, reply) => {
      const user = requirePermission(req, 'read_figures');
      const region = regionParam(req.body.region);
      assertRegionReadable(req, region.code, 'region');
      const period = periodParam(req.body.period);
      const content = await generateBriefing({ metrics, explore, alerts, store, now: () => new Date(now()) }, req.body.kind, region, period);
      const b = store.create(content, user.username);
      app.audit.append({ actor: user.username, action: 'briefing_generated', region: b.region, target: String(b.id), detail: { kind: b.kind, period: b.period, warehouseVersion: b.warehouseVersion }, ip: req.ip });
      return reply.status(201).send(withName(b));
    },
  );

  app.get<{ Params: { id: number } }>(
    '/api/briefings/:id',
    { schema: { tags: ['briefings'], summary: 'One briefing with its frozen content', params: idParams, response: { 200: briefingSchema, ...errors } } },
    async (req) => withName(visible(req)),
  );

  app.post<{ Params: { id: number } }>(
    '/api/briefings/:id/publish',
    {
      schema: {
        tags: ['briefings'],
        summary: 'Publish a draft: its figures are frozen with their warehouse version; a published briefing never changes (409 when published already)',
        params: idParams,
        response: { 200: briefingSchema, ...errors },
      },
    },
    async (req) => {
      const b = visible(req);
      const user = requirePermission(req, 'publish_briefings');
      let published: BriefingRecord;
      try {
        published = store.publish(b.id, user.username);
      } catch (err) {
        if (err instanceof PublishConflict) throw new ApiError(409, 'conflict', err.message);
        throw err;
      }
      app.audit.append({
        actor: user.username,
        action: 'briefing_published',
        region: b.region,
        target: String(b.id),
        detail: { kind: b.kind, period: b.period, warehouseVersion: b.warehouseVersion, contentSha256: b.contentSha256 },
        ip: req.ip,
      });
      return withName(published);
    },
  );

  app.get<{ Params: { id: number } }>(
    '/api/briefings/:id/xlsx',
    { schema: { tags: ['briefings'], summary: "The briefing's tables as an XLSX workbook (every figure with metric id, region and period)", params: idParams, response: errors } },
    async (req, reply) => {
      const b = visible(req);
      const user = currentUser(req);
      const body = await briefingXlsx(b, b.content);
      app.audit.append({ actor: user.username, action: 'briefing_downloaded', region: b.region, target: String(b.id), detail: { format: 'xlsx', status: b.status }, ip: req.ip });
      return reply.header('content-type', XLSX_TYPE).header('content-disposition', `attachment; filename="${filename(b, 'xlsx')}"`).send(body);
    },
  );

  app.get<{ Params: { id: number } }>(
    '/api/briefings/:id/pdf',
    { schema: { tags: ['briefings'], summary: 'The print-ready briefing page printed to PDF by headless Chromium', params: idParams, response: errors } },
    async (req, reply) => {
      const b = visible(req);
      const user = currentUser(req);
      const body = await pdf.render(b.id, String(req.headers.cookie ?? ''));
      app.audit.append({ actor: user.username, action: 'briefing_downloaded', region: b.region, target: String(b.id), detail: { format: 'pdf', status: b.status, bytes: body.length }, ip: req.ip });
      return reply.header('content-type', 'application/pdf').header('content-disposition', `attachment; filename="${filename(b, 'pdf')}"`).send(body);
    },
  );
}

export default fp<BriefingRoutesOptions>(briefingRoutes, { name: 'briefing-routes', dependencies: ['state', 'auth'] });
