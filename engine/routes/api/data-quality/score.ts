/**
 * GET /api/data-quality/score — the data-quality score (0-100) of a region and its
 * children for a period (month, quarter or year; default the last month), with every
 * component, its weight and its counts. Sampling accuracy comes from the sampling
 * evaluations in the state database (the latest draw with results per county).
 */
import type { FastifyInstance } from 'fastify';
import { parsePeriod } from '../../../../warehouse/metrics/period.ts';
import { qualityScores } from '../../../../warehouse/quality/quality-scores.ts';
import { SCORE_COMPONENTS } from '../../../../warehouse/quality/score-formula.ts';
import { qualityMonths } from '../../../../warehouse/quality/timeliness-report.ts';
import { SamplingStore } from '../../../../warehouse/quality/sampling-store.ts';
import { CHILD_LEVEL } from '../../../../warehouse/quality/region-filter.ts';
import type { WarehouseQuery } from '../../../../warehouse/quality/warehouse-query.ts';
import { loadRegions } from '../../../../warehouse/reference/regions.ts';
import { requirePermission } from '../../../plugins/auth.ts';
import { badRequest, notFound } from '../../../plugins/errors.ts';
import { regionCodeSchema } from '../../../schemas.ts';
import { defaultRegion, readableRegion } from './region-access.ts';
import { errors, scoreResponse } from './schemas.ts';

export default async function scoreRoutes(app: FastifyInstance, opts: { query: WarehouseQuery }) {
  const run = (sql: string, params: readonly (string | number | boolean | null)[]) => opts.query(sql, [...params]);
  app.get<{ Querystring: { region?: string; period?: string } }>(
    '/api/data-quality/score',
    {
      schema: {
        tags: ['data-quality'],
        summary: 'Data-quality score 0-100 of a region and its children, with components (coverage, timeliness, review, currency, quarantine, plausibility, consistency, cross-department, sampling)',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            region: regionCodeSchema,
            period: { type: 'string', pattern: '^\\d{4}(-(0[1-9]|1[0-2]|Q[1-4]))?$', description: 'YYYY-MM, YYYY-Qn or YYYY (default: the last month of the data)' },
          },
        },
        response: { 200: scoreResponse, ...errors },
      },
    },
    async (req) => {
      requirePermission(req, 'read_figures');
      const region = readableRegion(req, req.query.region ?? defaultRegion(req));
      const m = await qualityMonths(opts.query);
      const period = parsePeriod(req.query.period ?? m.lastMonth);
      if (!period) throw badRequest(`parameter 'period' must be YYYY-MM, YYYY-Qn or YYYY (2000-2099), got '${req.query.period}'`);
      const months = period.months.filter((x) => x >= m.firstMonth && x <= m.lastMonth);
      if (months.length === 0) throw notFound(`no data for period ${period.id} (parameter 'period'): the data cover ${m.firstMonth} to ${m.lastMonth}`);
      const child = CHILD_LEVEL[region.level];
      const children = child && child !== 'village' ? loadRegions().children(region.code) : [];
      const sampling = new SamplingStore(app.stateDb).latestCountyResults();
      const rows = await qualityScores(run, { regions: [region.code, ...children.map((c) => c.code)], periods: [{ id: period.id, months }], sampling });
      const byRegion = new Map(rows.map((r) => [r.region, r]));
      const strip = (r: (typeof rows)[number]) => ({ score: r.score, numerator: r.numerator, denominator: r.denominator, components: r.components });
      return {
        region: { code: region.code, name: region.name, level: region.level },
        period: period.id,
        months,
        formula: SCORE_COMPONENTS.map((c) => ({ ...c })),
        score: strip(byRegion.get(region.code)!),
        children: children.map((c) => ({ code: c.code, name: c.name, ...strip(byRegion.get(c.code)!) })),
      };
    },
  );
}
