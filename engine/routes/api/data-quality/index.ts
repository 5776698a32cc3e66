/**
 * The data-quality API (/api/data-quality/...): coverage, timeliness, backlog,
 * plausibility, cross-department comparison and the score, per region with drill-down
 * to its children; person worklists masked, scoped and audited. Read from the dq_ tables
 * the refresh computes (warehouse/quality/build-quality-tables.ts). docs/quality.md.
 */
import type { FastifyInstance } from 'fastify';
import type { WarehouseQuery } from '../../../../warehouse/quality/warehouse-query.ts';
import coverageRoutes from './coverage.ts';
import timelinessRoutes from './timeliness.ts';
import plausibilityRoutes from './plausibility.ts';
import crossDepartmentRoutes from './cross-department.ts';
import scoreRoutes from './score.ts';
import { WorklistIdentities } from './worklist-identities.ts';
import { assertQualityTables } from './quality-tables-check.ts';

export default async function dataQuality(app: FastifyInstance, opts: { dataDir: string }) {
  const query: WarehouseQuery = (sql, params = []) => app.warehouse.query(sql, params);
  const identities = new WorklistIdentities(app, opts.dataDir, query);
  // Runs after authentication (an onRequest hook): unauthenticated requests still get 401.
  app.addHook('preHandler', async () => assertQualityTables(query));
  await app.register(coverageRoutes, { query });
  await app.register(timelinessRoutes, { query });
  await app.register(plausibilityRoutes, { query, identities });
  await app.register(crossDepartmentRoutes, { query, identities });
  await app.register(scoreRoutes, { query });
}
