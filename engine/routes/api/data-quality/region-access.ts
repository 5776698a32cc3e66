/**
 * The region a data-quality or sampling request reads: it must exist in the region
 * reference, be at most `deepest` (the quality tables stop at townships), and lie inside
 * the signed-in user's region — otherwise 404, the same answer as for an unknown region,
 * so that a user learns nothing about regions outside theirs.
 */
import type { FastifyRequest } from 'fastify';
import { levelOfCode, loadRegions, REGION_LEVELS, type Region, type RegionLevel } from '../../../../warehouse/reference/regions.ts';
import { currentUser } from '../../../plugins/auth.ts';
import { badRequest, notFound } from '../../../plugins/errors.ts';
import { regionContains } from '../../../services/region-scope.ts';

export function readableRegion(request: FastifyRequest, code: string, deepest: RegionLevel = 'township', name = 'region'): Region {
  const user = currentUser(request);
  const region = loadRegions().byCode.get(code);
  if (!region || !regionContains(user.region, code)) throw notFound(`unknown region '${code}' (parameter '${name}')`);
  if (REGION_LEVELS.indexOf(region.level) > REGION_LEVELS.indexOf(deepest)) {
    throw badRequest(`parameter '${name}' must be a region down to ${deepest} level, not a ${region.level}`);
  }
  return region;
}

/** The region used when a request names none: the user's own. */
export function defaultRegion(request: FastifyRequest): string {
  return currentUser(request).region;
}

/** Name of a region code (null when not in the reference). */
export function regionName(code: string): string | null {
  return loadRegions().byCode.get(code)?.name ?? null;
}

export { levelOfCode };
