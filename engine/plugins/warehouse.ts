/**
 * Decorates the app with `warehouse`: the pool that serves the published DuckDB build.
 */
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { WarehousePool, type WarehousePoolOptions } from '../services/warehouse-pool.ts';

declare module 'fastify' {
  interface FastifyInstance {
    warehouse: WarehousePool;
  }
}

export interface WarehousePluginOptions extends WarehousePoolOptions {
  readonly dataDir: string;
}

export default fp<WarehousePluginOptions>(
  async function warehouse(app: FastifyInstance, opts) {
    const pool = new WarehousePool(opts.dataDir, {
      ...opts,
      onSlowQuery: (ms, sql) => app.log.warn({ ms, sql: sql.replace(/\s+/g, ' ').slice(0, 300) }, 'slow query'),
      onSwap: (from, to) => app.log.info({ from: from?.version, to: to.version }, 'warehouse swapped'),
    });
    await pool.checkForNewVersion();
    app.decorate('warehouse', pool);
    app.addHook('onClose', async () => pool.close());
  },
  { name: 'warehouse' },
);
