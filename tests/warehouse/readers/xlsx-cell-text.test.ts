import { describe, expect, test } from 'vitest';
import { plainNumber, xlsxCellText } from '../../../warehouse/readers/xlsx-cell-text.ts';

describe('xlsxCellText', () => {
  test('numbers as written, never with an exponent', () => {
    expect(plainNumber(5000)).toBe('5000');
    expect(plainNumber(0)).toBe('0');
    expect(plainNumber(-12.5)).toBe('-12.5');
    expect(plainNumber(5.1010419900307e17)).toBe('510104199003070000');
    expect(plainNumber(1.5e21)).toBe('1500000000000000000000');
    expect(plainNumber(-2.25e22)).toBe('-22500000000000000000000');
    expect(plainNumber(1e-7)).toBe('0.0000001');
    expect(plainNumber(1.25e-8)).toBe('0.0000000125');
    for (const n of [1.5e21, 1e-7, 1.25e-8, 123456789.125]) expect(Number(plainNumber(n))).toBe(n);
  });

  test('dates as YYYY-MM-DD, with the time only when it is not midnight', () => {
    expect(xlsxCellText(new Date(Date.UTC(2021, 4, 1)))).toBe('2021-05-01');
    expect(xlsxCellText(new Date(Date.UTC(2021, 4, 1, 8, 30, 5)))).toBe('2021-05-01 08:30:05');
  });

  test('strings, rich text, formulas, hyperlinks, errors, booleans, empty cells', () => {
    expect(xlsxCellText('51010219900307123X')).toBe('51010219900307123X');
    expect(xlsxCellText({ richText: [{ text: '欧阳' }, { font: { bold: true }, text: '娜娜' }] })).toBe('欧阳娜娜');
    expect(xlsxCellText({ formula: 'A1*2', result: 10000 })).toBe('10000');
    expect(xlsxCellText({ sharedFormula: 'A1', result: '是' })).toBe('是');
    expect(xlsxCellText({ formula: 'NA()' })).toBe('');
    expect(xlsxCellText({ text: '链接', hyperlink: 'https://example.org' })).toBe('链接');
    expect(xlsxCellText({ error: '#N/A' })).toBe('#N/A');
    expect(xlsxCellText(true)).toBe('true');
    expect(xlsxCellText(null)).toBe('');
    expect(xlsxCellText(undefined)).toBe('');
    expect(() => xlsxCellText({ sharedString: 3 })).toThrow(/no shared strings/);
  });
});
