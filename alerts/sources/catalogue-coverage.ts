/**
 * The metric catalogue's view of a build's coverage, from the reader's meta table.
 */
import type { WarehouseCoverage } from '../../warehouse/metrics/warehouse-coverage.ts';
import type { WarehouseReader } from '../warehouse-reader.ts';

export function catalogueCoverage(wh: WarehouseReader): WarehouseCoverage {
  const { version, data_as_of: dataAsOf, first_month: firstMonth, last_month: lastMonth } = wh.meta;
  if (!dataAsOf || !firstMonth || !lastMonth) throw new Error(`warehouse ${wh.file} meta lacks data_as_of/first_month/last_month`);
  return { version: version ?? '', dataAsOf, firstMonth, lastMonth };
}
