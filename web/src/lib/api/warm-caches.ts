/**
 * Starts, while the session is being checked, requests the page will need: the data date
 * (public) and, when this browser was signed in when last seen, the metric catalogue and,
 * for a province user's overview of the province, the boundaries of all counties (the
 * largest answer of its first load). Each lands in its module's cache, so the page finds it there
 * or joins it in flight instead of asking after the session check. Failures (a session
 * that expired meanwhile: 401) are dropped here: the caches do not keep them, and the
 * page asks again and shows its own error.
 */
import { fetchHealth } from './health.js';
import { fetchCatalogue } from './metrics.js';
import { fetchCounties } from './geo.js';
import { probableRegion } from '../session/session.svelte.js';

export function warmCaches(url: URL): void {
  const ignore = () => undefined;
  fetchHealth().catch(ignore);
  const region = probableRegion();
  if (!region) return;
  fetchCatalogue().catch(ignore);
  if (url.pathname === '/' && region === '510000' && (url.searchParams.get('region') ?? region) === region) fetchCounties().catch(ignore);
}
