/**
 * Number formats (d3-format): counts with thousands separators, rates as percentages,
 * changes with a sign. Rates arrive from the API as fractions (0.052 = 5.2 %).
 */
import { format } from 'd3-format';

const integer = format(',.0f');
const decimal1 = format(',.1f');
const percent1 = format('.1%');
const percent2 = format('.2%');
const signedInteger = format('+,.0f');
const signedPercent1 = format('+.1%');
const signedPp = format('+.2f');

const missing = '–';
const ok = (v: number | null | undefined): v is number => typeof v === 'number' && Number.isFinite(v);

export const formatCount = (v: number | null | undefined): string => (ok(v) ? integer(v) : missing);
export const formatDecimal = (v: number | null | undefined): string => (ok(v) ? decimal1(v) : missing);
export const formatPercent = (v: number | null | undefined, digits: 1 | 2 = 1): string => (ok(v) ? (digits === 1 ? percent1 : percent2)(v) : missing);
export const formatSignedCount = (v: number | null | undefined): string => (ok(v) ? signedInteger(v) : missing);
export const formatSignedPercent = (v: number | null | undefined): string => (ok(v) ? signedPercent1(v) : missing);
/** A difference of two rates in percentage points (0.012 → +1.20). */
export const formatSignedPp = (v: number | null | undefined): string => (ok(v) ? signedPp(v * 100) : missing);
