/** CSV of the table exports: RFC 4180 quoting, BOM, CRLF, no formula injection; read back by the tests' parser. */
import { describe, expect, test } from 'vitest';
import { csvText } from '../../web/src/lib/export/csv-text.ts';
import { parseCsv } from './parse-csv.ts';

describe('csvText', () => {
  test('quotes, line breaks, empty cells and numbers round-trip', () => {
    const text = csvText(['地区', 'value'], [
      ['成都市, "锦江"', 1.5],
      ['two\nlines', null],
      ['-5', -5],
    ]);
    expect(text.startsWith('\uFEFF地区,value\r\n')).toBe(true);
    expect(text.endsWith('\r\n')).toBe(true);
    expect(parseCsv(text)).toEqual([
      ['地区', 'value'],
      ['成都市, "锦江"', '1.5'],
      ['two\nlines', ''],
      ["'-5", '-5'],
    ]);
  });

  test('text that a spreadsheet would run as a formula is prefixed with an apostrophe', () => {
    expect(parseCsv(csvText(['a'], [['=SUM(A1)'], ['+1'], ['@x'], ['ok']])).slice(1)).toEqual([["'=SUM(A1)"], ["'+1"], ["'@x"], ['ok']]);
  });
});
