/**
 * The report month of a data-quality request: YYYY-MM within the build's months
 * (dq_meta first_month..last_month); default the last month.
 */
import { notFound } from '../../../plugins/errors.ts';
import { qualityMonths } from '../../../../warehouse/quality/timeliness-report.ts';
import type { WarehouseQuery } from '../../../../warehouse/quality/warehouse-query.ts';

export const monthSchema = { type: 'string', pattern: '^\\d{4}-(0[1-9]|1[0-2])$', description: 'Report month YYYY-MM (default: the last month of the data)' } as const;

export async function reportMonth(query: WarehouseQuery, month: string | undefined): Promise<string> {
  const m = await qualityMonths(query);
  if (month === undefined) return m.lastMonth;
  if (month < m.firstMonth || month > m.lastMonth) throw notFound(`no data for month ${month} (parameter 'month'): the data cover ${m.firstMonth} to ${m.lastMonth}`);
  return month;
}
