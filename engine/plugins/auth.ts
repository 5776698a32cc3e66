/**
 * Authentication for every API route: a session cookie resolved to a user, required
 * everywhere except routes marked `config: { public: true }` (health, login). CSRF: every
 * state-changing request must carry the session's token in `x-csrf-token`.
 */
import fp from 'fastify-plugin';
import cookie from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { csrfMatches, type Session } from '../services/sessions.ts';
import type { User } from '../services/users.ts';
import { can, type Permission } from '../services/roles.ts';
import { ApiError } from './errors.ts';

export const SESSION_COOKIE = 'rlm_session';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Reachable without a session (health, login). */
    public?: boolean;
  }
  interface FastifyRequest {
    user?: User;
    session?: Session;
  }
}

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The signed-in user of a request that passed the auth hook. */
export function currentUser(request: FastifyRequest): User {
  if (!request.user) throw new ApiError(401, 'unauthenticated', 'login required');
  return request.user;
}

/** Throws 403 unless the signed-in user's role has the permission. */
export function requirePermission(request: FastifyRequest, permission: Permission): User {
  const user = currentUser(request);
  if (!can(user.role, permission)) throw new ApiError(403, 'forbidden', `role ${user.role} may not ${permission.replaceAll('_', ' ')}`);
  return user;
}

export function setSessionCookie(request: FastifyRequest, reply: FastifyReply, token: string): void {
  reply.setCookie(SESSION_COOKIE, token, { path: '/', httpOnly: true, sameSite: 'strict', secure: request.protocol === 'https' });
}

export function clearSessionCookie(request: FastifyRequest, reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'strict', secure: request.protocol === 'https' });
}

export default fp(
  async function auth(app: FastifyInstance) {
    await app.register(cookie);
    app.addHook('onRequest', async (request) => {
      const path = request.url.split('?')[0];
      if (!path.startsWith('/api/') || path.startsWith('/api/docs')) return;
      if (request.routeOptions.config?.public) return;
      const session = app.sessions.resolve(request.cookies[SESSION_COOKIE]);
      const user = session ? app.users.get(session.username) : undefined;
      if (!session || !user || user.disabled) throw new ApiError(401, 'unauthenticated', 'login required');
      if (STATE_CHANGING.has(request.method) && !csrfMatches(session, request.headers['x-csrf-token'] as string | undefined)) {
        throw new ApiError(403, 'csrf', 'missing or wrong x-csrf-token header');
      }
      request.user = user;
      request.session = session;
    });
  },
  { name: 'auth', dependencies: ['state', 'errors'] },
);
