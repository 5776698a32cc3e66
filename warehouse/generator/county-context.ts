/**
 * Everything the generation of one county needs: its profile, the shared geography,
 * the period, the shock plan and its ID allocator.
 */
import type { CountyProfile } from './county-profiles.ts';
import type { IdAllocator } from './id-allocator.ts';
import type { Period } from './period.ts';
import type { ShockPlan } from './shocks.ts';
import type { Geography } from './villages-and-points.ts';

export interface CountyContext {
  readonly seed: number;
  readonly geo: Geography;
  readonly profile: CountyProfile;
  readonly period: Period;
  readonly plan: ShockPlan;
  readonly ids: IdAllocator;
  /** Short names of Sichuan counties (employer names of in-province work). */
  readonly countyShortNames: ReadonlyMap<string, string>;
  readonly isLayoffCounty: boolean;
  readonly isPovertyShockCounty: boolean;
  readonly isLagCity: boolean;
}
