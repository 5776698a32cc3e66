/**
 * A signed-in client of the real app for route tests: creates a user, logs in through
 * POST /api/auth/login, and sends the session cookie (and the CSRF token on POST).
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';

export const TEST_PASSWORD = 'Engine-Test-Password-7';

export interface ApiSession {
  readonly cookie: string;
  readonly csrf: string;
  get(url: string, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  post(url: string, body: unknown, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
}

export async function signIn(app: FastifyInstance, username = 'analyst', role = 'province_analyst', region = '510000'): Promise<ApiSession> {
  if (!app.users.get(username)) await app.users.add({ username, password: TEST_PASSWORD, role: role as never, region });
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: TEST_PASSWORD } });
  if (res.statusCode !== 200) throw new Error(`login failed: ${res.statusCode} ${res.body}`);
  const raw = res.headers['set-cookie'];
  const cookie = String(Array.isArray(raw) ? raw[0] : raw).split(';')[0];
  const csrf = res.json().csrfToken as string;
  return {
    cookie,
    csrf,
    get: (url, headers = {}) => app.inject({ method: 'GET', url, headers: { cookie, ...headers } }),
    post: (url, body, headers = {}) =>
      app.inject({ method: 'POST', url, payload: body as Record<string, unknown>, headers: { cookie, 'x-csrf-token': csrf, ...headers } }),
  };
}
