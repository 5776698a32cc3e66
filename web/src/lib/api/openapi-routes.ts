/**
 * Whether the engine has a route, from its OpenAPI description (GET /api/docs/json, public).
 * Pages whose API belongs to a later issue ask this first, so that a missing route shows
 * "not available yet" without a failing request.
 */
import { apiGet } from './http.js';
import { ApiError } from './api-error.js';

let paths: Promise<ReadonlySet<string>> | undefined;

export function apiRoutes(): Promise<ReadonlySet<string>> {
  if (!paths) {
    paths = apiGet<{ paths?: Record<string, unknown> }>('/api/docs/json').then((doc) => new Set(Object.keys(doc.paths ?? {})));
    paths.catch(() => (paths = undefined));
  }
  return paths;
}

/** Throws the same ApiError as a 404 would when the route is not in the API. */
export async function requireRoute(path: string): Promise<void> {
  if (!(await apiRoutes()).has(path)) throw new ApiError(404, 'not_available', `${path} is not available yet`);
}
