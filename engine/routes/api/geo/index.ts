/**
 * County boundaries of Sichuan for maps (GeoJSON FeatureCollection; properties code,
 * name, city), all counties or those of one city. The committed asset is read once and
 * each answer serialised once.
 */
import type { FastifyInstance } from 'fastify';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadRegions } from '../../../../warehouse/reference/regions.ts';
import { badRequest, errorResponseSchema, notFound } from '../../../plugins/errors.ts';
import { assertRegionReadable } from '../../../plugins/scope.ts';

export const COUNTIES_GEO_FILE = fileURLToPath(new URL('../../../../warehouse/reference/data/sichuan-counties.geo.json', import.meta.url));

interface Feature {
  type: 'Feature';
  properties: { code: string; name: string; city: string };
  geometry: unknown;
}

export default async function geo(app: FastifyInstance) {
  let features: Feature[] | undefined;
  const cache = new Map<string, string>();
  const body = (city: string | undefined): string => {
    const key = city ?? '';
    let text = cache.get(key);
    if (text === undefined) {
      features ??= (JSON.parse(readFileSync(COUNTIES_GEO_FILE, 'utf8')) as { features: Feature[] }).features;
      const list = city ? features.filter((f) => f.properties.city === city) : features;
      text = JSON.stringify({ type: 'FeatureCollection', features: list });
      cache.set(key, text);
    }
    return text;
  };

  app.get<{ Querystring: { city?: string } }>(
    '/api/geo/counties',
    {
      schema: {
        tags: ['regions'],
        summary: 'County boundaries (GeoJSON), all of Sichuan or of one city',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { city: { type: 'string', pattern: '^\\d{4}00$', description: 'City code, e.g. 511700' } },
        },
        response: {
          200: {
            type: 'object',
            required: ['type', 'features'],
            properties: {
              type: { type: 'string', enum: ['FeatureCollection'] },
              features: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    type: { type: 'string' },
                    properties: { type: 'object', properties: { code: { type: 'string' }, name: { type: 'string' }, city: { type: 'string' } } },
                    geometry: { type: 'object', additionalProperties: true },
                  },
                },
              },
            },
          },
          400: errorResponseSchema,
          404: errorResponseSchema,
        },
      },
    },
    async (req, reply) => {
      const city = req.query.city;
      if (city !== undefined) {
        const r = loadRegions().byCode.get(city);
        if (!r) throw notFound(`unknown region '${city}' (parameter 'city')`);
        if (r.level !== 'city') throw badRequest(`parameter 'city' must be a city code, '${city}' is a ${r.level}`);
        assertRegionReadable(req, city, 'city');
      } else assertRegionReadable(req, '510000');
      return reply.type('application/json; charset=utf-8').header('cache-control', 'private, max-age=3600').send(body(city));
    },
  );
}
