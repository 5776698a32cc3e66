/** A column of DataTable: what to show, how to sort and what goes into the CSV export. */
export interface TableColumn<Row> {
  readonly key: string;
  readonly label: string;
  /** The raw value (sorting, CSV). */
  readonly value: (row: Row) => string | number | boolean | null | undefined;
  /** The text shown (defaults to the raw value). */
  readonly format?: (row: Row) => string;
  readonly numeric?: boolean;
}
