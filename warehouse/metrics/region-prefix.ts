/**
 * The code prefix shared by a region and every region below it: 51 for the province,
 * the first 4 digits for a city (511700 → 5117), the whole code for a county, township
 * or village. A village code `v` lies in region R iff `v` starts with prefix(R).
 */
import { levelOfCode } from '../reference/regions.ts';

export function regionPrefix(code: string): string {
  const level = levelOfCode(code);
  if (level === 'province') return code.slice(0, 2);
  if (level === 'city') return code.slice(0, 4);
  if (!level) throw new Error(`malformed region code '${code}'`);
  return code;
}
