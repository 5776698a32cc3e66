import type { FastifyInstance } from 'fastify';
import { readWarehouseCoverage } from '../../../../warehouse/metrics/warehouse-coverage.ts';

export default async function health(app: FastifyInstance) {
  app.get(
    '/api/health',
    {
      config: { public: true },
      schema: {
        tags: ['system'],
        summary: 'Liveness, the warehouse version served and the months it covers (no login)',
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
                  firstMonth: { type: ['string', 'null'], description: 'first month of history (YYYY-MM)' },
                  lastMonth: { type: ['string', 'null'], description: 'last month of history (YYYY-MM), the month of the data date' },
                },
              },
            },
          },
        },
      },
    },
    async () => {
      const w = app.warehouse.info();
      // The months covered come from the build's meta table (cached per version by the pool);
      // liveness does not depend on them.
      const cov = w ? await readWarehouseCoverage((sql, params) => app.warehouse.query(sql, params as never)).catch(() => undefined) : undefined;
      return {
        status: 'ok' as const,
        warehouse: { version: w?.version ?? null, dataAsOf: w?.dataAsOf ?? null, publishedAt: w?.publishedAt ?? null, firstMonth: cov?.firstMonth ?? null, lastMonth: cov?.lastMonth ?? null },
      };
    },
  );
}
