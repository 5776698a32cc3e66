import type { FastifyInstance } from 'fastify';
import { loadRegions, type Region } from '../../../../warehouse/reference/regions.ts';
import { errorResponseSchema, notFound } from '../../../plugins/errors.ts';
import { regionCodeSchema, regionSchema } from '../../../schemas.ts';
import { assertRegionReadable } from '../../../plugins/scope.ts';
import { currentUser } from '../../../plugins/auth.ts';
import { regionContains } from '../../../services/region-scope.ts';

const plain = (r: Region) => ({ code: r.code, name: r.name, level: r.level, parent: r.parent });

export default async function regions(app: FastifyInstance) {
  const tree = loadRegions();
  const find = (code: string, req: Parameters<typeof assertRegionReadable>[0]) => {
    assertRegionReadable(req, code);
    const r = tree.byCode.get(code);
    if (!r) throw notFound(`unknown region '${code}'`);
    return r;
  };

  app.get<{ Params: { code: string } }>(
    '/api/regions/:code',
    {
      schema: {
        tags: ['regions'],
        summary: 'One region with its path from the province',
        params: { type: 'object', required: ['code'], properties: { code: regionCodeSchema } },
        response: {
          200: { ...regionSchema, properties: { ...regionSchema.properties, path: { type: 'array', items: regionSchema }, childCount: { type: 'integer' } } },
          404: errorResponseSchema,
        },
      },
    },
    async (req) => {
      const r = find(req.params.code, req);
      return { ...plain(r), path: tree.path(r.code).filter((p) => regionContains(currentUser(req).region, p.code)).map(plain), childCount: tree.children(r.code).length };
    },
  );

  app.get<{ Params: { code: string } }>(
    '/api/regions/:code/children',
    {
      schema: {
        tags: ['regions'],
        summary: 'The children of a region (cities of the province, counties of a city, …)',
        params: { type: 'object', required: ['code'], properties: { code: regionCodeSchema } },
        response: {
          200: { type: 'object', required: ['region', 'children'], properties: { region: regionSchema, children: { type: 'array', items: regionSchema } } },
          404: errorResponseSchema,
        },
      },
    },
    async (req) => {
      const r = find(req.params.code, req);
      return { region: plain(r), children: tree.children(r.code).map(plain) };
    },
  );

  app.get<{ Querystring: { q: string; limit: number } }>(
    '/api/regions',
    {
      schema: {
        tags: ['regions'],
        summary: 'Search regions by name or code prefix',
        querystring: {
          type: 'object',
          required: ['q'],
          additionalProperties: false,
          properties: { q: { type: 'string', minLength: 1, maxLength: 40 }, limit: { type: 'integer', minimum: 1, maximum: 100, default: 20 } },
        },
        response: { 200: { type: 'object', required: ['regions'], properties: { regions: { type: 'array', items: regionSchema } } } },
      },
    },
    async (req) => {
      const scope = currentUser(req).region;
      const q = req.query.q.trim();
      const isCode = /^\d+$/.test(q);
      const out: Region[] = [];
      for (const level of [tree.cities, tree.counties, tree.townships, tree.villages]) {
        for (const r of level) {
          if ((isCode ? r.code.startsWith(q) : r.name.includes(q)) && regionContains(scope, r.code)) out.push(r);
          if (out.length >= req.query.limit) break;
        }
        if (out.length >= req.query.limit) break;
      }
      if (out.length < req.query.limit && regionContains(scope, tree.province.code) && (isCode ? tree.province.code.startsWith(q) : tree.province.name.includes(q))) out.unshift(tree.province);
      return { regions: out.slice(0, req.query.limit).map(plain) };
    },
  );
}
