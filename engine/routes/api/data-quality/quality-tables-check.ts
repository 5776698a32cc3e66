/**
 * The data-quality routes read the dq_ tables a refresh writes (buildQualityTables). A
 * published build without them (made before the step existed) answers 503 with a message
 * saying so, rather than a 500 from a missing table. The check is one cached query per
 * warehouse version.
 */
import { ApiError } from '../../../plugins/errors.ts';
import type { WarehouseQuery } from '../../../../warehouse/quality/warehouse-query.ts';

export async function assertQualityTables(query: WarehouseQuery): Promise<void> {
  const rows = await query("SELECT count(*) AS n FROM information_schema.tables WHERE table_name = 'dq_meta'");
  if (Number(rows[0]?.n ?? 0) === 0) {
    throw new ApiError(503, 'quality_unavailable', 'the published warehouse has no data-quality tables: it was built without the quality step; run a refresh');
  }
}
