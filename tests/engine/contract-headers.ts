/**
 * Chinese header → contract key, for the replay's CSV reader (from the contract's column
 * tables, the one place headers are defined).
 */
import { CHANGE_COLUMNS, PERSON_COLUMNS, POINT_COLUMNS, SUBMISSION_COLUMNS } from '../../warehouse/contract/columns.ts';

export const COLUMNS_BY_HEADER: ReadonlyMap<string, string> = new Map(
  [...PERSON_COLUMNS, ...CHANGE_COLUMNS, ...POINT_COLUMNS, ...SUBMISSION_COLUMNS].map((c) => [c.header, c.key]),
);
