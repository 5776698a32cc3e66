/**
 * An Arrow IPC stream as column names and plain row objects (64-bit integers as numbers).
 * Runs inside arrow-rows.worker.ts: apache-arrow (a third of the app's script otherwise)
 * is then loaded only by the explorer, off the main thread, and a large result is decoded
 * without blocking the page.
 */
import { tableFromIPC } from 'apache-arrow';

export type ArrowCell = string | number | boolean | null;

export interface ArrowRows {
  readonly columns: string[];
  readonly rows: Record<string, ArrowCell>[];
}

export function arrowRows(stream: Uint8Array): ArrowRows {
  const table = tableFromIPC(stream);
  const columns = table.schema.fields.map((f) => f.name);
  const vectors = columns.map((c) => table.getChild(c));
  const rows: Record<string, ArrowCell>[] = [];
  for (let i = 0; i < table.numRows; i++) {
    const row: Record<string, ArrowCell> = {};
    columns.forEach((c, j) => {
      const v: unknown = vectors[j]?.get(i);
      row[c] = typeof v === 'bigint' ? Number(v) : ((v as ArrowCell) ?? null);
    });
    rows.push(row);
  }
  return { columns, rows };
}
