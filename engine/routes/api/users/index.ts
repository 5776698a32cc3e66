/**
 * Administration of users (admin role only): list, add, disable/enable, reset password.
 * Every change is audited.
 */
import type { FastifyInstance } from 'fastify';
import { ApiError, errorResponseSchema } from '../../../plugins/errors.ts';
import { requirePermission } from '../../../plugins/auth.ts';
import { ROLES, isRole } from '../../../services/roles.ts';
import { UserError, type User } from '../../../services/users.ts';
import { regionCodeSchema } from '../../../schemas.ts';

const userSchema = {
  type: 'object',
  required: ['username', 'role', 'region', 'disabled', 'createdAt'],
  properties: {
    username: { type: 'string' },
    role: { type: 'string' },
    region: { type: 'string' },
    displayName: { type: ['string', 'null'] },
    disabled: { type: 'boolean' },
    createdAt: { type: 'string' },
  },
} as const;

const usernameParam = { type: 'object', required: ['username'], properties: { username: { type: 'string', pattern: '^[A-Za-z0-9_.-]{3,40}$' } } } as const;

function asApiError(err: unknown): never {
  if (err instanceof UserError) throw new ApiError(/^no user/.test(err.message) ? 404 : 400, /^no user/.test(err.message) ? 'not_found' : 'bad_request', err.message);
  throw err;
}

export default async function users(app: FastifyInstance) {
  app.get('/api/users', { schema: { tags: ['admin'], summary: 'All users (admin)', response: { 200: { type: 'object', properties: { users: { type: 'array', items: userSchema } } }, 403: errorResponseSchema } } }, async (req) => {
    requirePermission(req, 'manage_users');
    return { users: app.users.list() };
  });

  app.post<{ Body: { username: string; password: string; role: string; region: string; displayName?: string } }>(
    '/api/users',
    {
      schema: {
        tags: ['admin'],
        summary: 'Add a user (admin)',
        body: {
          type: 'object',
          required: ['username', 'password', 'role', 'region'],
          additionalProperties: false,
          properties: {
            username: { type: 'string', pattern: '^[A-Za-z0-9_.-]{3,40}$' },
            password: { type: 'string', minLength: 10, maxLength: 200 },
            role: { type: 'string', enum: [...ROLES] },
            region: regionCodeSchema,
            displayName: { type: 'string', maxLength: 60 },
          },
        },
        response: { 201: userSchema, 400: errorResponseSchema, 403: errorResponseSchema },
      },
    },
    async (req, reply) => {
      const admin = requirePermission(req, 'manage_users');
      const user: User = await app.users.add(req.body).catch(asApiError);
      app.audit.append({ actor: admin.username, action: 'user_added', target: user.username, region: user.region, detail: { role: user.role }, ip: req.ip });
      return reply.status(201).send(user);
    },
  );

  app.post<{ Params: { username: string }; Body: { disabled: boolean } }>(
    '/api/users/:username/status',
    {
      schema: {
        tags: ['admin'],
        summary: 'Disable or enable a user (admin); disabling ends their sessions',
        params: usernameParam,
        body: { type: 'object', required: ['disabled'], additionalProperties: false, properties: { disabled: { type: 'boolean' } } },
        response: { 200: userSchema, 403: errorResponseSchema, 404: errorResponseSchema },
      },
    },
    async (req) => {
      const admin = requirePermission(req, 'manage_users');
      if (req.params.username === admin.username && req.body.disabled) throw new ApiError(400, 'bad_request', 'an administrator cannot disable their own account');
      let user: User;
      try {
        user = app.users.setDisabled(req.params.username, req.body.disabled);
      } catch (err) {
        asApiError(err);
      }
      if (req.body.disabled) app.sessions.destroyAllOf(user.username);
      app.audit.append({ actor: admin.username, action: req.body.disabled ? 'user_disabled' : 'user_enabled', target: user.username, ip: req.ip });
      return user;
    },
  );

  app.post<{ Params: { username: string }; Body: { password: string } }>(
    '/api/users/:username/password',
    {
      schema: {
        tags: ['admin'],
        summary: "Reset a user's password (admin); ends their sessions",
        params: usernameParam,
        body: { type: 'object', required: ['password'], additionalProperties: false, properties: { password: { type: 'string', minLength: 10, maxLength: 200 } } },
        response: { 200: { type: 'object', properties: { ok: { type: 'boolean' } } }, 400: errorResponseSchema, 403: errorResponseSchema, 404: errorResponseSchema },
      },
    },
    async (req) => {
      const admin = requirePermission(req, 'manage_users');
      await app.users.resetPassword(req.params.username, req.body.password).catch(asApiError);
      app.sessions.destroyAllOf(req.params.username);
      app.audit.append({ actor: admin.username, action: 'password_reset', target: req.params.username, ip: req.ip });
      return { ok: true };
    },
  );
  app.post<{ Params: { username: string }; Body: { role: string; region: string } }>(
    '/api/users/:username/role',
    {
      schema: {
        tags: ['admin'],
        summary: "Change a user's role and region (admin); ends their sessions, so the new scope applies at once",
        params: usernameParam,
        body: { type: 'object', required: ['role', 'region'], additionalProperties: false, properties: { role: { type: 'string', enum: [...ROLES] }, region: regionCodeSchema } },
        response: { 200: userSchema, 400: errorResponseSchema, 403: errorResponseSchema, 404: errorResponseSchema },
      },
    },
    async (req) => {
      const admin = requirePermission(req, 'manage_users');
      if (req.params.username === admin.username) throw new ApiError(400, 'bad_request', 'an administrator cannot change their own role or region');
      const before = app.users.get(req.params.username);
      if (!before) throw new ApiError(404, 'not_found', `no user '${req.params.username}'`);
      if (!isRole(req.body.role)) throw new ApiError(400, 'bad_request', `unknown role '${req.body.role}'`);
      let user: User;
      try {
        user = app.users.setRole(req.params.username, req.body.role, req.body.region);
      } catch (err) {
        asApiError(err);
      }
      app.sessions.destroyAllOf(user.username);
      app.audit.append({ actor: admin.username, action: 'user_role_changed', target: user.username, region: user.region, detail: { from: { role: before.role, region: before.region }, to: { role: user.role, region: user.region } }, ip: req.ip });
      return user;
    },
  );
}
