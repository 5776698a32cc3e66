/**
 * Spring Festival analysis: day-aligned series (day 0 = 正月初一) of returns home and
 * departures for chosen years, for a region, its children, or by destination / group.
 */
import type { FastifyInstance } from 'fastify';
import { FESTIVAL_WINDOW, springFestivalDate } from '../../../../warehouse/reference/festival.ts';
import { loadRegions } from '../../../../warehouse/reference/regions.ts';
import { FESTIVAL_DIMENSIONS, getDimension, parseDimensionValue, type DimensionId } from '../../../../warehouse/metrics/dimensions.ts';
import { festivalSeries, type FestivalGrouping } from '../../../../warehouse/metrics/festival-series.ts';
import { badRequest, errorResponseSchema } from '../../../plugins/errors.ts';
import { assertRegionReadable } from '../../../plugins/scope.ts';
import { regionCodeSchema } from '../../../schemas.ts';
import { appMetricService } from '../../../services/app-metric-service.ts';
import { regionParam } from '../../../services/metric-params.ts';

const MAX_YEARS = 10;
const numberArray = { type: 'array', items: { type: ['number', 'null'] } } as const;

interface FestivalQuery {
  region: string;
  years: string;
  dimension: FestivalGrouping;
  from: number;
  to: number;
  dest_province?: string;
  sex?: string;
  age_band?: string;
  poverty_alleviated?: string;
}

export default async function festival(app: FastifyInstance) {
  const metrics = appMetricService(app);

  app.get<{ Querystring: FestivalQuery }>(
    '/api/festival',
    {
      schema: {
        tags: ['metrics'],
        summary: 'Day-aligned Spring Festival series (returned, departed, cumulative, not yet departed, return-to-work rate) per year',
        description:
          'Cumulative figures count from day −45 (as the festival_* metrics), whatever `from` is. Days outside the warehouse history or after its data date are null. ' +
          'Filters: dest_province, sex, age_band, poverty_alleviated (comma-separated values).',
        querystring: {
          type: 'object',
          required: ['region', 'years'],
          additionalProperties: false,
          properties: {
            region: regionCodeSchema,
            years: { type: 'string', pattern: '^\\d{4}(,\\d{4}){0,9}$', description: 'Festival years, comma-separated (at most 10)' },
            dimension: { type: 'string', enum: ['none', 'region', ...FESTIVAL_DIMENSIONS], default: 'none', description: "'region' = the region's children" },
            from: { type: 'integer', minimum: -FESTIVAL_WINDOW.before, maximum: FESTIVAL_WINDOW.after, default: -FESTIVAL_WINDOW.before },
            to: { type: 'integer', minimum: -FESTIVAL_WINDOW.before, maximum: FESTIVAL_WINDOW.after, default: FESTIVAL_WINDOW.after },
            dest_province: { type: 'string', pattern: '^\\d{6}(,\\d{6}){0,49}$' },
            sex: { type: 'string', pattern: '^[男女](,[男女])?$' },
            age_band: { type: 'string', pattern: '^[0-9+-]{3,5}(,[0-9+-]{3,5}){0,5}$' },
            poverty_alleviated: { type: 'string', enum: ['true', 'false'] },
          },
        },
        response: {
          200: {
            type: 'object',
            required: ['region', 'dimension', 'from', 'to', 'days', 'years', 'series'],
            properties: {
              region: { type: 'string' },
              dimension: { type: 'string' },
              from: { type: 'integer' },
              to: { type: 'integer' },
              days: { type: 'array', items: { type: 'integer' } },
              years: { type: 'array', items: { type: 'object', required: ['year', 'festivalDate'], properties: { year: { type: 'integer' }, festivalDate: { type: 'string' } } } },
              series: {
                type: 'array',
                items: {
                  type: 'object',
                  required: ['year', 'group', 'label', 'returned', 'departed', 'cumulativeReturned', 'cumulativeDeparted', 'notDeparted', 'returnRate'],
                  properties: {
                    year: { type: 'integer' },
                    group: { type: 'string' },
                    label: { type: 'string' },
                    returned: numberArray,
                    departed: numberArray,
                    cumulativeReturned: numberArray,
                    cumulativeDeparted: numberArray,
                    notDeparted: numberArray,
                    returnRate: numberArray,
                  },
                },
              },
            },
          },
          400: errorResponseSchema,
          404: errorResponseSchema,
          503: errorResponseSchema,
          504: errorResponseSchema,
        },
      },
    },
    async (req) => {
      const q = req.query;
      const region = regionParam(q.region);
      if (q.to < q.from) throw badRequest(`parameter 'to' (${q.to}) is before 'from' (${q.from})`);
      const years = q.years.split(',').map(Number);
      if (new Set(years).size !== years.length) throw badRequest("parameter 'years' lists a year twice");
      for (const y of years) if (y < 2000 || y > 2099) throw badRequest(`parameter 'years' has ${y}; years 2000-2099`);
      if (years.length > MAX_YEARS) throw badRequest(`parameter 'years' lists more than ${MAX_YEARS} years`);
      const filters: Partial<Record<DimensionId, (string | boolean)[]>> = {};
      for (const d of FESTIVAL_DIMENSIONS) {
        const raw = q[d as keyof FestivalQuery] as string | undefined;
        if (raw === undefined) continue;
        filters[d] = raw.split(',').map((v) => {
          const parsed = parseDimensionValue(getDimension(d), v);
          if (parsed === undefined) throw badRequest(`parameter '${d}' has a value '${v}' that is not a ${getDimension(d).en.toLowerCase()} code`);
          return parsed;
        });
      }
      assertRegionReadable(req, region.code, 'region');
      const tree = loadRegions();
      const children = tree.children(region.code);
      if (q.dimension === 'region' && children.length === 0) throw badRequest(`parameter 'dimension': region ${region.code} has no children`);
      const coverage = await metrics.coverage();
      const series = await festivalSeries(metrics.run, coverage, {
        region: region.code,
        children: children.map((c) => c.code),
        years,
        grouping: q.dimension,
        filters,
        fromDay: q.from,
        toDay: q.to,
      });
      const label = (group: string) => {
        if (q.dimension === 'region') return tree.byCode.get(group)?.name ?? group;
        if (q.dimension === 'none') return region.name;
        return getDimension(q.dimension).values?.find((v) => v.code === group)?.zh ?? tree.byCode.get(group)?.name ?? group;
      };
      return {
        region: region.code,
        dimension: q.dimension,
        from: q.from,
        to: q.to,
        days: Array.from({ length: q.to - q.from + 1 }, (_, i) => q.from + i),
        years: years.map((year) => ({ year, festivalDate: springFestivalDate(year) })),
        series: series.map((s) => ({ ...s, label: label(s.group) })),
      };
    },
  );
}
