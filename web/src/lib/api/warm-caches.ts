/**
 * Starts, while the session is being checked, requests the page will need: the data date
 * (public) and, when this browser was signed in when last seen, the metric catalogue, the
 * page's region (the `region` parameter, else the user's) and, on the overview, its
 * children and, for the province, the boundaries of all counties (the largest answer of
 * its first load). Each lands in its module's cache, so the page finds it there
 * or joins it in flight instead of asking after the session check. Failures (a session
 * that expired meanwhile: 401) are dropped here: the caches do not keep them, and the
 * page asks again and shows its own error. On the overview, once the data date is known
 * (the first answer), its figures too (overview-requests.ts): they no longer wait for the
 * session check, the catalogue and the region.
 */
import { fetchHealth } from './health.js';
import { fetchCatalogue } from './metrics.js';
import { fetchCounties } from './geo.js';
import { fetchChildren, fetchRegion } from './regions.js';
import { probableRegion } from '../session/session.svelte.js';
import { warmOverview } from '../components/overview/overview-requests.js';

export function warmCaches(url: URL): void {
  const ignore = () => undefined;
  fetchHealth().catch(ignore);
  const region = probableRegion();
  if (!region) return;
  fetchCatalogue().catch(ignore);
  const pageRegion = url.searchParams.get('region') ?? region;
  if (!/^\d{6}(\d{3}){0,2}$/.test(pageRegion)) return;
  fetchRegion(pageRegion).catch(ignore);
  if (url.pathname !== '/') return;
  fetchChildren(pageRegion).catch(ignore);
  if (pageRegion === '510000') fetchCounties().catch(ignore);
  fetchHealth().then((h) => {
    const lastMonth = h.warehouse.lastMonth ?? h.warehouse.dataAsOf?.slice(0, 7);
    if (lastMonth) warmOverview(pageRegion, url.searchParams.get('period') ?? lastMonth, url.searchParams.get('metric') ?? 'labour_force', lastMonth);
  }, ignore);
}
