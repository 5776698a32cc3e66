/** What most pages need before drawing: the metric catalogue, the region with its path, the covered months. */
import { fetchCatalogue, type Catalogue } from './metrics.js';
import { fetchRegion, type RegionWithPath } from './regions.js';
import { fetchCoverage, type Coverage } from './coverage.js';

export interface PageBasics {
  readonly catalogue: Catalogue;
  readonly region: RegionWithPath;
  readonly coverage: Coverage;
}

/** `home` is the user's own region (coverage is read there: always in scope). */
export async function fetchPageBasics(region: string, home: string): Promise<PageBasics> {
  const [catalogue, info, coverage] = await Promise.all([fetchCatalogue(), fetchRegion(region), fetchCoverage(home)]);
  return { catalogue, region: info, coverage };
}
