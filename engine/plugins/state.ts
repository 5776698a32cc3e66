/**
 * Decorates the app with the application-state database and the services kept in it:
 * users, sessions, login throttle, audit log.
 */
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { openStateDb, type StateDb } from '../../warehouse/state/open-state-db.ts';
import { UserStore } from '../services/users.ts';
import { SessionStore, DEFAULT_SESSION_POLICY, type SessionPolicy } from '../services/sessions.ts';
import { LoginThrottle, DEFAULT_THROTTLE, type ThrottlePolicy } from '../services/login-throttle.ts';
import { AuditLog } from '../services/audit-log.ts';

declare module 'fastify' {
  interface FastifyInstance {
    stateDb: StateDb;
    users: UserStore;
    sessions: SessionStore;
    loginThrottle: LoginThrottle;
    audit: AuditLog;
  }
}

export interface StatePluginOptions {
  readonly dataDir: string;
  readonly sessionPolicy?: SessionPolicy;
  readonly throttlePolicy?: ThrottlePolicy;
  readonly now?: () => number;
}

export default fp<StatePluginOptions>(
  async function state(app: FastifyInstance, opts) {
    const db = openStateDb(opts.dataDir);
    const now = opts.now ?? Date.now;
    app.decorate('stateDb', db);
    app.decorate('users', new UserStore(db));
    app.decorate('sessions', new SessionStore(db, opts.sessionPolicy ?? DEFAULT_SESSION_POLICY, now));
    app.decorate('loginThrottle', new LoginThrottle(db, opts.throttlePolicy ?? DEFAULT_THROTTLE, now));
    app.decorate('audit', new AuditLog(db, () => new Date(now())));
    app.addHook('onClose', async () => db.close());
  },
  { name: 'state' },
);
