import type { FastifyInstance } from 'fastify';
import { ApiError, errorResponseSchema } from '../../../plugins/errors.ts';
import { clearSessionCookie, currentUser, setSessionCookie } from '../../../plugins/auth.ts';
import { loadRegions } from '../../../../warehouse/reference/regions.ts';
import { ROLE_PERMISSIONS } from '../../../services/roles.ts';
import type { User } from '../../../services/users.ts';

const userSchema = {
  type: 'object',
  required: ['username', 'role', 'region', 'regionName', 'permissions'],
  properties: {
    username: { type: 'string' },
    role: { type: 'string' },
    region: { type: 'string' },
    regionName: { type: 'string' },
    displayName: { type: ['string', 'null'] },
    permissions: { type: 'array', items: { type: 'string' } },
  },
} as const;

const sessionSchema = { type: 'object', required: ['user', 'csrfToken'], properties: { user: userSchema, csrfToken: { type: 'string' } } } as const;

const publicUser = (u: User) => ({
  username: u.username,
  role: u.role,
  region: u.region,
  regionName: loadRegions().byCode.get(u.region)?.name ?? u.region,
  displayName: u.displayName,
  permissions: [...ROLE_PERMISSIONS[u.role]],
});

export default async function auth(app: FastifyInstance) {
  app.post<{ Body: { username: string; password: string } }>(
    '/api/auth/login',
    {
      config: { public: true },
      schema: {
        tags: ['auth'],
        summary: 'Log in; sets an HTTP-only session cookie',
        body: {
          type: 'object',
          required: ['username', 'password'],
          additionalProperties: false,
          properties: { username: { type: 'string', minLength: 1, maxLength: 100 }, password: { type: 'string', minLength: 1, maxLength: 200 } },
        },
        response: { 200: sessionSchema, 401: errorResponseSchema, 429: errorResponseSchema },
      },
    },
    async (req, reply) => {
      const { username, password } = req.body;
      const wait = app.loginThrottle.retryAfterMs(username, req.ip);
      if (wait > 0) {
        app.audit.append({ actor: username, action: 'login_locked', ip: req.ip });
        reply.header('retry-after', Math.ceil(wait / 1000));
        throw new ApiError(429, 'locked', `too many failed logins; try again in ${Math.ceil(wait / 60_000)} minutes`);
      }
      const user = await app.users.authenticate(username, password);
      if (!user) {
        app.loginThrottle.recordFailure(username, req.ip);
        app.audit.append({ actor: username, action: 'login_failed', ip: req.ip });
        throw new ApiError(401, 'bad_credentials', 'wrong username or password');
      }
      app.loginThrottle.recordSuccess(username);
      const { token, session } = app.sessions.create(user.username, req.ip);
      setSessionCookie(req, reply, token);
      app.audit.append({ actor: user.username, action: 'login', region: user.region, ip: req.ip });
      return { user: publicUser(user), csrfToken: session.csrfToken };
    },
  );

  app.get('/api/auth/me', { schema: { tags: ['auth'], summary: 'The signed-in user and the CSRF token', response: { 200: sessionSchema, 401: errorResponseSchema } } }, async (req) => {
    return { user: publicUser(currentUser(req)), csrfToken: req.session!.csrfToken };
  });

  app.post('/api/auth/logout', { schema: { tags: ['auth'], summary: 'End this session', response: { 200: { type: 'object', properties: { ok: { type: 'boolean' } } } } } }, async (req, reply) => {
    app.sessions.destroy(req.session!.tokenHash);
    clearSessionCookie(req, reply);
    app.audit.append({ actor: currentUser(req).username, action: 'logout', ip: req.ip });
    return { ok: true };
  });

  app.post(
    '/api/auth/logout-all',
    { schema: { tags: ['auth'], summary: 'End every session of the signed-in user', response: { 200: { type: 'object', properties: { ended: { type: 'integer' } } } } } },
    async (req, reply) => {
      const user = currentUser(req);
      const ended = app.sessions.destroyAllOf(user.username);
      clearSessionCookie(req, reply);
      app.audit.append({ actor: user.username, action: 'logout_all', detail: { ended }, ip: req.ip });
      return { ended };
    },
  );
}
