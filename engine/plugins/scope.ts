/**
 * Region scoping for data routes: every route that reads figures of a region calls
 * `assertRegionReadable(request, code)` with the region taken from the request, before
 * any query. A user may read their own region and everything below it; any other
 * region answers 404 exactly like an unknown one, so nothing is learnt about it.
 */
import type { FastifyRequest } from 'fastify';
import { currentUser } from './auth.ts';
import { notFound } from './errors.ts';
import { regionContains } from '../services/region-scope.ts';

export function assertRegionReadable(request: FastifyRequest, code: string, param?: string): void {
  const user = currentUser(request);
  // With `param`, the message is the one an unknown code of that parameter gets (regionParam).
  if (!regionContains(user.region, code)) throw notFound(`unknown region '${code}'${param ? ` (parameter '${param}')` : ''}`);
}
