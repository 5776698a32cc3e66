/**
 * County boundaries of Sichuan for maps (GeoJSON FeatureCollection; properties code,
 * name, city), all counties or those of one city. The committed asset is read once and
 * each answer serialised once. When the app compresses, each answer is also compressed
 * once, in the background (brotli at its best quality: 90 KB instead of 142 KB at the
 * per-request quality for the 577 KB of all counties; 1.2 s of a thread-pool thread),
 * starting with all counties when the server is ready; until then the answer goes
 * through the per-request compression.
 */
import type { FastifyInstance } from 'fastify';
import { readFileSync } from 'node:fs';
import { brotliCompress, constants as zlib, gzip } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { loadRegions } from '../../../../warehouse/reference/regions.ts';
import { badRequest, errorResponseSchema, notFound } from '../../../plugins/errors.ts';
import { assertRegionReadable } from '../../../plugins/scope.ts';
import { accepts } from '../../../services/accepts-encoding.ts';

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

  const compressing = app.hasReplyDecorator('compress');
  const compressed = new Map<string, { br?: Buffer; gzip?: Buffer }>();
  const compressOnce = (city: string | undefined): { br?: Buffer; gzip?: Buffer } => {
    const key = city ?? '';
    let entry = compressed.get(key);
    if (!entry) {
      const e: { br?: Buffer; gzip?: Buffer } = {};
      entry = e;
      compressed.set(key, e);
      const text = Buffer.from(body(city), 'utf8');
      brotliCompress(text, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11, [zlib.BROTLI_PARAM_SIZE_HINT]: text.length } }, (err, buf) => {
        if (!err) e.br = buf;
      });
      gzip(text, { level: 9 }, (err, buf) => {
        if (!err) e.gzip = buf;
      });
    }
    return entry;
  };
  if (compressing) app.addHook('onReady', async () => void compressOnce(undefined));

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
      reply.type('application/json; charset=utf-8').header('cache-control', 'private, max-age=3600');
      if (compressing) {
        const ready = compressOnce(city);
        const accept = String(req.headers['accept-encoding'] ?? '');
        // the client's best encoding if it is ready, else the per-request compression
        const best = accepts(accept, 'br') ? 'br' : accepts(accept, 'gzip') ? 'gzip' : undefined;
        const encoding = best && ready[best] ? best : undefined;
        if (encoding) return reply.header('content-encoding', encoding).header('vary', 'accept-encoding').send(ready[encoding]);
      }
      return reply.send(body(city));
    },
  );
}

