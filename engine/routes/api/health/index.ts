import type { FastifyInstance } from 'fastify';

export default async function health(app: FastifyInstance) {
  app.get(
    '/api/health',
    {
      config: { public: true },
      schema: {
        tags: ['system'],
        summary: 'Liveness and the warehouse version served (no login)',
        response: {
          200: {
            type: 'object',
            required: ['status', 'warehouse'],
            properties: {
              status: { type: 'string', enum: ['ok'] },
              warehouse: {
                type: 'object',
                required: ['version', 'dataAsOf'],
                properties: {
                  version: { type: ['string', 'null'] },
                  dataAsOf: { type: ['string', 'null'] },
                  publishedAt: { type: ['string', 'null'] },
                },
              },
            },
          },
        },
      },
    },
    async () => {
      const w = app.warehouse.info();
      return { status: 'ok' as const, warehouse: { version: w?.version ?? null, dataAsOf: w?.dataAsOf ?? null, publishedAt: w?.publishedAt ?? null } };
    },
  );
}
