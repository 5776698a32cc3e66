/** The explorer's Arrow decoding (run on a worker in the page): rows equal the table, 64-bit integers as numbers, nulls kept. */
import { describe, expect, test } from 'vitest';
import { tableFromArrays, tableToIPC, vectorFromArray, Int64, Utf8, Float64, Table } from 'apache-arrow';
import { arrowRows } from '../../web/src/lib/api/arrow-rows.ts';

describe('arrowRows', () => {
  test('decodes a stream into the rows and column order of the table', () => {
    const table = new Table({
      period: vectorFromArray(['2026-01', '2026-02', '2026-03'], new Utf8()),
      labour_force: vectorFromArray([10n, 2n ** 40n, null], new Int64()),
      unemployment_rate: vectorFromArray([0.25, null, 0.5], new Float64()),
    });
    const { columns, rows } = arrowRows(tableToIPC(table, 'stream'));
    expect(columns).toEqual(['period', 'labour_force', 'unemployment_rate']);
    expect(rows).toEqual([
      { period: '2026-01', labour_force: 10, unemployment_rate: 0.25 },
      { period: '2026-02', labour_force: 2 ** 40, unemployment_rate: null },
      { period: '2026-03', labour_force: null, unemployment_rate: 0.5 },
    ]);
  });

  test('an empty result has the columns and no rows; garbage is an error', () => {
    const { columns, rows } = arrowRows(tableToIPC(tableFromArrays({ a: new Float64Array(0) }), 'stream'));
    expect(columns).toEqual(['a']);
    expect(rows).toEqual([]);
    expect(() => arrowRows(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]))).toThrow();
  });
});
