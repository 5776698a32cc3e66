/**
 * The alert API: inbox and workflow, silences, rules and threshold overrides,
 * administration. All routes share one AlertService on the app's state database,
 * decorated as `app.alerts` (the scheduler uses it too).
 */
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { AlertService } from '../../../services/alert-service.ts';
import inbox from './inbox.ts';
import silences from './silences.ts';
import rules from './rules.ts';
import admin from './admin.ts';

declare module 'fastify' {
  interface FastifyInstance {
    alerts: AlertService;
  }
}

export interface AlertRoutesOptions {
  readonly dataDir: string;
  readonly now?: () => number;
}

async function alertRoutes(app: FastifyInstance, opts: AlertRoutesOptions) {
  const now = opts.now ?? Date.now;
  const service = new AlertService(app.stateDb, opts.dataDir, () => new Date(now()));
  app.decorate('alerts', service);
  // Static paths (silences, rules, …) are registered before the parametric /api/alerts/:id.
  await app.register(silences, { service });
  await app.register(rules, { service });
  await app.register(admin, { service });
  await app.register(inbox, { service });
}

export default fp<AlertRoutesOptions>(alertRoutes, { name: 'alert-routes', dependencies: ['state', 'auth'] });
