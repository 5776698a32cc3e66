/** What most pages need before drawing: the metric catalogue, the region with its path, the data date. */
import { fetchCatalogue, type Catalogue } from './metrics.js';
import { fetchRegion, type RegionWithPath } from './regions.js';
import { fetchDataDate, type DataDate } from './coverage.js';

export interface PageBasics {
  readonly catalogue: Catalogue;
  readonly region: RegionWithPath;
  readonly dataDate: DataDate;
}

export async function fetchPageBasics(region: string): Promise<PageBasics> {
  const [catalogue, info, dataDate] = await Promise.all([fetchCatalogue(), fetchRegion(region), fetchDataDate()]);
  return { catalogue, region: info, dataDate };
}
