/**
 * A tabular result of the API (explorer slices): typed columns and rows as objects.
 * Encoded as JSON, an Arrow IPC stream, CSV or XLSX by the encoders beside it.
 */
export interface TableColumn {
  readonly name: string;
  readonly type: 'string' | 'number' | 'boolean';
}

export type TableCell = string | number | boolean | null;

export interface TableResult {
  readonly columns: readonly TableColumn[];
  readonly rows: readonly Record<string, TableCell>[];
}
