/**
 * A table result as an Arrow IPC stream (`application/vnd.apache.arrow.stream`):
 * strings as Utf8, numbers as Float64, flags as Bool, nulls kept.
 */
import { Bool, Float64, Table, Utf8, tableToIPC, vectorFromArray, type Vector } from 'apache-arrow';
import type { TableResult } from './table-result.ts';

export const ARROW_STREAM_TYPE = 'application/vnd.apache.arrow.stream';

export function tableToArrowStream(result: TableResult): Uint8Array {
  const vectors: Record<string, Vector> = {};
  for (const c of result.columns) {
    const values = result.rows.map((r) => r[c.name] ?? null);
    vectors[c.name] =
      c.type === 'number'
        ? vectorFromArray(values as (number | null)[], new Float64())
        : c.type === 'boolean'
          ? vectorFromArray(values as (boolean | null)[], new Bool())
          : vectorFromArray(values as (string | null)[], new Utf8());
  }
  return tableToIPC(new Table(vectors), 'stream');
}
