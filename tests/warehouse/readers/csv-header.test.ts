import { describe, expect, test } from 'vitest';
import { detectDelimiter, splitCsvRecord } from '../../../warehouse/readers/csv-header.ts';

describe('CSV header parsing', () => {
  test('the delimiter is the one used more outside quotes', () => {
    expect(detectDelimiter('公民身份号码,姓名,性别')).toBe(',');
    expect(detectDelimiter('公民身份号码\t姓名\t性别')).toBe('\t');
    expect(detectDelimiter('"a\tb\tc",d')).toBe(',');
    expect(detectDelimiter('"a,b,c"\td\te')).toBe('\t');
    expect(detectDelimiter('single')).toBe(',');
  });

  test('fields split by RFC 4180 rules', () => {
    expect(splitCsvRecord('a,"b,c","d ""e""",,f', ',')).toEqual(['a', 'b,c', 'd "e"', '', 'f']);
    expect(splitCsvRecord('a\t"b\tc"\t', '\t')).toEqual(['a', 'b\tc', '']);
    expect(splitCsvRecord('', ',')).toEqual(['']);
    expect(splitCsvRecord('"open', ',')).toEqual(['open']);
  });
});
