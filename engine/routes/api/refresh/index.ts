/**
 * Freshness of the served warehouse and the refresh run log (runs, their files with
 * counts by rejection reason, and step durations).
 */
import type { FastifyInstance } from 'fastify';
import { errorResponseSchema, notFound } from '../../../plugins/errors.ts';
import { currentUser } from '../../../plugins/auth.ts';
import { PROVINCE_CODE } from '../../../../warehouse/reference/regions.ts';
import { RefreshLog } from '../../../services/refresh-log.ts';

const nullableString = { type: ['string', 'null'] } as const;
const nullableInt = { type: ['integer', 'null'] } as const;

const runSchema = {
  type: 'object',
  required: ['runId', 'trigger', 'startedAt', 'finishedAt', 'result', 'message', 'version', 'dataAsOf'],
  properties: {
    runId: { type: 'string' },
    trigger: nullableString,
    startedAt: nullableString,
    finishedAt: nullableString,
    result: nullableString,
    message: nullableString,
    version: nullableString,
    dataAsOf: nullableString,
  },
} as const;

const fileSchema = {
  type: 'object',
  required: ['batch', 'relPath', 'status', 'rowsRead', 'rowsLoaded', 'rowsQuarantined', 'byReason'],
  properties: {
    batch: { type: 'string' },
    relPath: { type: 'string' },
    sha256: nullableString,
    format: nullableString,
    encoding: nullableString,
    rowsRead: nullableInt,
    rowsLoaded: nullableInt,
    rowsQuarantined: nullableInt,
    byReason: { type: 'object', additionalProperties: { type: 'integer' } },
    status: nullableString,
  },
} as const;

export default async function refresh(app: FastifyInstance) {
  const log = new RefreshLog(app.stateDb);
  const plainRun = (r: NonNullable<ReturnType<RefreshLog['run']>>) => ({
    runId: r.run_id,
    trigger: r.trigger,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    result: r.result,
    message: r.message,
    version: r.version,
    dataAsOf: r.data_as_of,
  });

  app.get(
    '/api/refresh/freshness',
    {
      schema: {
        tags: ['system'],
        summary: 'The warehouse served (version, data date, publication) and the latest refresh runs',
        response: {
          200: {
            type: 'object',
            required: ['warehouse', 'lastRun', 'lastPublished', 'dataAgeDays'],
            properties: {
              warehouse: { type: 'object', required: ['version', 'dataAsOf', 'publishedAt'], properties: { version: nullableString, dataAsOf: nullableString, publishedAt: nullableString } },
              lastRun: { anyOf: [runSchema, { type: 'null' }] },
              lastPublished: { anyOf: [runSchema, { type: 'null' }] },
              dataAgeDays: { type: ['integer', 'null'], description: 'Whole days from the data date to today (Asia/Shanghai)' },
            },
          },
        },
      },
    },
    async () => {
      const w = app.warehouse.info();
      const last = log.runs(1)[0];
      const published = log.runs(1, 'published')[0];
      const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
      const age = w?.dataAsOf ? Math.round((Date.parse(today) - Date.parse(w.dataAsOf)) / 86_400_000) : null;
      return {
        warehouse: { version: w?.version ?? null, dataAsOf: w?.dataAsOf ?? null, publishedAt: w?.publishedAt ?? null },
        lastRun: last ? plainRun(last) : null,
        lastPublished: published ? plainRun(published) : null,
        dataAgeDays: age,
      };
    },
  );

  app.get<{ Querystring: { limit: number; result?: string } }>(
    '/api/refresh/runs',
    {
      schema: {
        tags: ['system'],
        summary: 'Refresh runs, newest first',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 },
            result: { type: 'string', enum: ['published', 'nothing_new', 'failed', 'rolled_back', 'running'] },
          },
        },
        response: { 200: { type: 'object', required: ['runs'], properties: { runs: { type: 'array', items: runSchema } } }, 400: errorResponseSchema },
      },
    },
    async (req) => ({ runs: log.runs(req.query.limit, req.query.result).map(plainRun) }),
  );

  app.get<{ Params: { runId: string } }>(
    '/api/refresh/runs/:runId',
    {
      schema: {
        tags: ['system'],
        summary: 'One refresh run with its files (rows read, loaded, quarantined by reason) and step durations',
        params: { type: 'object', required: ['runId'], properties: { runId: { type: 'string', pattern: '^[A-Za-z0-9_.:-]{1,80}$' } } },
        response: {
          200: {
            type: 'object',
            required: ['run', 'files', 'steps'],
            properties: {
              run: runSchema,
              files: { type: 'array', items: fileSchema },
              steps: { type: 'array', items: { type: 'object', required: ['step', 'ms'], properties: { step: { type: 'string' }, ms: { type: 'number' } } } },
            },
          },
          400: errorResponseSchema,
          404: errorResponseSchema,
        },
      },
    },
    async (req) => {
      const run = log.run(req.params.runId);
      if (!run) throw notFound(`unknown refresh run '${req.params.runId}'`);
      // Row counts of the province's files are province-wide figures: only users of the whole province see them.
      const wholeProvince = currentUser(req).region === PROVINCE_CODE;
      return {
        run: plainRun(run),
        files: log.files(run.run_id).map((f) => ({
          batch: f.batch,
          relPath: f.rel_path,
          sha256: f.sha256,
          format: f.format,
          encoding: f.encoding,
          rowsRead: wholeProvince ? f.rows_read : null,
          rowsLoaded: wholeProvince ? f.rows_loaded : null,
          rowsQuarantined: wholeProvince ? f.rows_quarantined : null,
          byReason: wholeProvince ? f.by_reason : {},
          status: f.status,
        })),
        steps: log.steps(run.run_id),
      };
    },
  );
}
