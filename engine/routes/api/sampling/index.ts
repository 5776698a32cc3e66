/**
 * Sampling evaluations (抽样评估): draw a stratified sample of persons per county,
 * export it for the third party (CSV/XLSX, masked identities with sample ids), import the
 * verification results (CSV, XLSX or JSON), and read each county's accuracy with its
 * Wilson interval. Reading a draw needs read_figures; drawing, exporting and importing
 * need read_persons_masked. A draw is visible to users whose region overlaps it, each
 * seeing only the part inside their region. Drawing, exporting and importing are audited.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { SamplingStore, type SamplingDraw } from '../../../../warehouse/quality/sampling-store.ts';
import { villagePrefix } from '../../../../warehouse/quality/region-filter.ts';
import type { WarehouseQuery } from '../../../../warehouse/quality/warehouse-query.ts';
import { loadDataKeys } from '../../../../warehouse/vault/data-keys.ts';
import { loadRegions } from '../../../../warehouse/reference/regions.ts';
import { currentUser, requirePermission } from '../../../plugins/auth.ts';
import { ApiError, badRequest, errorResponseSchema, notFound } from '../../../plugins/errors.ts';
import { regionContains } from '../../../services/region-scope.ts';
import { SamplingImportError, SamplingService } from '../../../services/sampling-service.ts';
import { readResultCsv, readResultXlsx, ResultFileError, type ResultFileRow } from '../../../services/sampling-result-file.ts';
import { tableToCsv } from '../../../services/csv-encoding.ts';
import { tableToXlsxStream, XLSX_TYPE } from '../../../services/xlsx-encoding.ts';
import { regionCodeSchema } from '../../../schemas.ts';
import { drawResponse, drawSchema, estimatesResponse, importResponse, resultsJsonBody } from './schemas.ts';

const errors = { 400: errorResponseSchema, 401: errorResponseSchema, 403: errorResponseSchema, 404: errorResponseSchema, 503: errorResponseSchema } as const;
const drawParams = { type: 'object', required: ['drawId'], properties: { drawId: { type: 'integer', minimum: 1, maximum: 2_147_483_647 } } } as const;

export default async function sampling(app: FastifyInstance, opts: { dataDir: string }) {
  const query: WarehouseQuery = (sql, params = []) => app.warehouse.query(sql, params);
  let key: Buffer | undefined;
  const service = new SamplingService(query, new SamplingStore(app.stateDb), () => (key ??= loadDataKeys(opts.dataDir).vaultKey));

  app.addContentTypeParser(['text/csv', XLSX_TYPE], { parseAs: 'buffer', bodyLimit: 20 * 1024 * 1024 }, (_req, body, done) => done(null, body));

  /** The draw and the region prefix the user sees of it; 404 when unknown or outside the user's region. */
  const visibleDraw = (req: FastifyRequest, drawId: number): { draw: SamplingDraw; prefix: string } => {
    const user = currentUser(req);
    const draw = service.store.getDraw(drawId);
    if (draw && regionContains(user.region, draw.region)) return { draw, prefix: villagePrefix(draw.region) };
    if (draw && regionContains(draw.region, user.region)) return { draw, prefix: villagePrefix(user.region) };
    throw notFound(`no sampling draw ${drawId}`);
  };
  const drawJson = (draw: SamplingDraw, prefix: string) => ({ ...draw, counties: service.counties(draw.drawId, prefix) });
  const audit = (req: FastifyRequest, action: string, draw: SamplingDraw, detail: Record<string, unknown>) =>
    app.audit.append({ actor: currentUser(req).username, action, region: draw.region, target: `draw:${draw.drawId}`, detail, ip: req.ip });

  app.post<{ Body: { region: string; seed?: string; marginOfError: number; confidence: number; expectedAccuracy: number } }>(
    '/api/sampling/draws',
    {
      schema: {
        tags: ['sampling'],
        summary: 'Draw a stratified random sample (per county; townships as strata; size from margin of error and confidence with finite-population correction)',
        body: {
          type: 'object',
          required: ['region'],
          additionalProperties: false,
          properties: {
            region: { ...regionCodeSchema, description: 'Province 510000, a city or a county' },
            seed: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$', description: 'Seed of the random selection (default: random, stored with the draw)' },
            marginOfError: { type: 'number', minimum: 0.005, maximum: 0.5, default: 0.05 },
            confidence: { type: 'number', minimum: 0.8, maximum: 0.999, default: 0.95 },
            expectedAccuracy: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1, default: 0.5, description: 'Expected accuracy in the size formula (0.5 gives the largest size)' },
          },
        },
        response: { 201: drawResponse, ...errors },
      },
    },
    async (req, reply) => {
      const user = requirePermission(req, 'read_persons_masked');
      const { region } = req.body;
      const r = loadRegions().byCode.get(region);
      if (!r || !regionContains(user.region, region)) throw notFound(`unknown region '${region}' (parameter 'region')`);
      if (r.level !== 'province' && r.level !== 'city' && r.level !== 'county') throw badRequest(`parameter 'region' must be the province, a city or a county, not a ${r.level}`);
      let draw: SamplingDraw;
      try {
        draw = await service.draw({ ...req.body, seed: req.body.seed ?? randomBytes(8).toString('hex'), createdBy: user.username });
      } catch (err) {
        if (err instanceof RangeError) throw new ApiError(409, 'empty_frame', err.message);
        throw err;
      }
      audit(req, 'sampling_draw', draw, { seed: draw.seed, sampleSize: draw.sampleSize, population: draw.population });
      return reply.status(201).send(drawJson(draw, villagePrefix(draw.region)));
    },
  );

  app.get('/api/sampling/draws', {
    schema: { tags: ['sampling'], summary: 'Sampling draws that overlap the user’s region, newest first', response: { 200: { type: 'object', required: ['draws'], properties: { draws: { type: 'array', items: drawSchema } } }, ...errors } },
  }, async (req) => {
    const user = requirePermission(req, 'read_figures');
    return { draws: service.store.listDraws(1000).filter((d) => regionContains(user.region, d.region) || regionContains(d.region, user.region)) };
  });

  app.get<{ Params: { drawId: number } }>(
    '/api/sampling/draws/:drawId',
    { schema: { tags: ['sampling'], summary: 'A draw with its per-county population and sample size (the part inside the user’s region)', params: drawParams, response: { 200: drawResponse, ...errors } } },
    async (req) => {
      requirePermission(req, 'read_figures');
      const { draw, prefix } = visibleDraw(req, req.params.drawId);
      return drawJson(draw, prefix);
    },
  );

  app.get<{ Params: { drawId: number }; Querystring: { format: 'csv' | 'xlsx' } }>(
    '/api/sampling/draws/:drawId/export',
    {
      schema: {
        tags: ['sampling'],
        summary: 'The sample for the third party: one row per person, masked name and ID number, sample id, current registry values, blank result columns (CSV or XLSX)',
        params: drawParams,
        querystring: { type: 'object', additionalProperties: false, properties: { format: { type: 'string', enum: ['csv', 'xlsx'], default: 'xlsx' } } },
        response: { 200: { description: 'CSV (UTF-8 with BOM) or XLSX file' }, ...errors },
      },
    },
    async (req, reply) => {
      requirePermission(req, 'read_persons_masked');
      const { draw, prefix } = visibleDraw(req, req.params.drawId);
      const table = await service.exportTable(draw, prefix);
      audit(req, 'sampling_export', draw, { format: req.query.format, rows: table.rows.length, prefix });
      const name = `sample-${draw.drawId}-${prefix}.${req.query.format}`;
      reply.header('content-disposition', `attachment; filename="${name}"`);
      if (req.query.format === 'csv') {
        reply.header('content-type', 'text/csv; charset=utf-8');
        return tableToCsv(table);
      }
      reply.header('content-type', XLSX_TYPE);
      return reply.send(tableToXlsxStream(table, '抽样名单'));
    },
  );

  app.post<{ Params: { drawId: number }; Querystring: { fileName?: string }; Body: Buffer | { results: Record<string, string | null>[] } }>(
    '/api/sampling/draws/:drawId/results',
    {
      schema: {
        tags: ['sampling'],
        summary: 'Import verification results: CSV or XLSX (as exported, with 抽查结果 filled) or JSON; every bad row is reported and nothing is imported then',
        params: drawParams,
        querystring: { type: 'object', additionalProperties: false, properties: { fileName: { type: 'string', maxLength: 200 } } },
        body: { content: { 'application/json': { schema: resultsJsonBody }, 'text/csv': { schema: {} }, [XLSX_TYPE]: { schema: {} } } },
        response: { 200: importResponse, ...errors },
      },
    },
    async (req) => {
      const user = requirePermission(req, 'read_persons_masked');
      const { draw, prefix } = visibleDraw(req, req.params.drawId);
      const fileName = req.query.fileName ?? 'upload';
      let rows: ResultFileRow[];
      try {
        if (Buffer.isBuffer(req.body)) {
          rows = String(req.headers['content-type']).startsWith('text/csv') ? readResultCsv(req.body, fileName) : await readResultXlsx(req.body, fileName);
        } else {
          rows = req.body.results.map((values, i) => ({ row: i + 1, values }));
        }
        const summary = service.importResults(draw, rows, prefix, user.username, fileName);
        audit(req, 'sampling_import', draw, { fileName, ...summary });
        return { drawId: draw.drawId, ...summary };
      } catch (err) {
        if (err instanceof ResultFileError || err instanceof SamplingImportError) throw badRequest(err.message);
        throw err;
      }
    },
  );

  app.get<{ Params: { drawId: number } }>(
    '/api/sampling/draws/:drawId/estimates',
    {
      schema: {
        tags: ['sampling'],
        summary: 'Accuracy per county (share of verified records found correct) with its Wilson interval, and the combined estimate',
        params: drawParams,
        response: { 200: estimatesResponse, ...errors },
      },
    },
    async (req) => {
      requirePermission(req, 'read_figures');
      const { draw, prefix } = visibleDraw(req, req.params.drawId);
      const e = service.estimates(draw, prefix);
      return { draw, confidence: draw.confidence, counties: e.counties, combined: e.combined };
    },
  );
}
