import { describe, expect, test } from 'vitest';
import { CsvRecordScanner, type CsvRecordLayout } from '../../../warehouse/readers/csv-record-scanner.ts';

function scan(bytes: Buffer, delimiter: string, chunkSizes: number[] = [bytes.length]): CsvRecordLayout {
  const scanner = new CsvRecordScanner(delimiter.charCodeAt(0));
  let at = 0;
  let k = 0;
  while (at < bytes.length) {
    const size = Math.max(1, chunkSizes[k++ % chunkSizes.length]);
    scanner.push(bytes.subarray(at, at + size));
    at += size;
  }
  return scanner.end();
}

/** Independent character-by-character reference of the same rules. */
function reference(text: string, delimiter: string): CsvRecordLayout {
  const s = text.replace(/^\uFEFF/, '');
  let record = 1;
  let line = 1;
  let embedded = 0;
  let content = '';
  let fieldStart = true;
  let quoted = false; // inside a quoted field
  let lastShift = 0;
  const blankRecords: number[] = [];
  const lineShifts: { record: number; shift: number }[] = [];
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (quoted) {
      content += ch;
      if (ch === '"') {
        if (s[i + 1] === '"') {
          content += '"';
          i++;
        } else quoted = false;
      } else if (ch === '\n') embedded++;
      continue;
    }
    if (ch === '\n') {
      if (content === '' || content === '\r') blankRecords.push(record);
      line += embedded + 1;
      record++;
      embedded = 0;
      content = '';
      fieldStart = true;
      if (line - record !== lastShift) {
        lastShift = line - record;
        lineShifts.push({ record, shift: lastShift });
      }
      continue;
    }
    content += ch;
    if (ch === '"' && fieldStart) quoted = true;
    fieldStart = ch === delimiter;
  }
  const open = quoted ? { unterminatedQuote: { record, line } } : {};
  let records = record - 1;
  if (content !== '') {
    if (content === '\r') blankRecords.push(record);
    records = record;
  }
  return { records, blankRecords, lineShifts, ...open };
}

describe('CsvRecordScanner', () => {
  const sample = [
    'a,b,c', //                 record 1, line 1
    '1,"x, y",3', //            2, line 2
    '4,"two', //                3, lines 3-4
    'lines",6',
    '', //                      4 blank, line 5
    '7,"say ""hi""",9', //      5, line 6
    '10,1"1,12', //             6, line 7 (quote mid-field: literal)
    '"a\r\nb\r\nc",,', //       7, lines 8-10
    '\r', //                    8 blank (lone CR), line 11
    'z,z,z', //                 9, line 12
  ].join('\n');

  test('numbers records like DuckDB, finds blank lines and where lines shift', () => {
    const layout = scan(Buffer.from(sample), ',');
    expect(layout).toEqual({
      records: 9,
      blankRecords: [4, 8],
      lineShifts: [
        { record: 4, shift: 1 },
        { record: 8, shift: 3 },
      ],
    });
  });

  test('gives the same layout whatever the chunk boundaries', () => {
    const bytes = Buffer.from(`\uFEFF${sample}\n`);
    const whole = scan(bytes, ',');
    expect(whole.records).toBe(9);
    for (const sizes of [[1], [2], [3], [5, 1, 7], [13], [64]]) expect(scan(bytes, ',', sizes)).toEqual(whole);
  });

  test('reports a quoted field still open at the end of the file', () => {
    const text = 'a,b\n1,2\n3,"unfinished\nstill inside';
    expect(scan(Buffer.from(text), ',').unterminatedQuote).toEqual({ record: 3, line: 3 });
    expect(scan(Buffer.from(text), ',', [1]).unterminatedQuote).toEqual({ record: 3, line: 3 });
    expect(scan(Buffer.from('a,b\n1,"closed at the very end"'), ',', [1]).unterminatedQuote).toBeUndefined();
    expect(scan(Buffer.from('a,b\n1,"ends on a doubled quote"""'), ',', [1]).unterminatedQuote).toBeUndefined();
    expect(scan(Buffer.from('a,b\n1,"open then doubled quote ""'), ',', [1]).unterminatedQuote).toEqual({ record: 2, line: 2 });
  });

  test('a tab delimiter: commas are ordinary characters, a quote after a tab opens a field', () => {
    const text = 'a\tb\n"x\ny"\t1,"2\n3\t"p\nq"\n';
    expect(scan(Buffer.from(text), '\t', [1])).toEqual(reference(text, '\t'));
    expect(scan(Buffer.from(text), '\t')).toEqual({ records: 3, blankRecords: [], lineShifts: [{ record: 3, shift: 1 }, { record: 4, shift: 2 }] });
  });

  test('agrees with a character-by-character reference on random CSV text and random chunking', () => {
    let seed = 42;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const pieces = ['a', '张', ',', ',', '"', '""', '\n', '\n', '\r\n', '\r', 'x y', '\t', '𠀀'];
    for (let round = 0; round < 300; round++) {
      const delimiter = random() < 0.5 ? ',' : '\t';
      let text = '';
      const length = Math.floor(random() * 80);
      for (let i = 0; i < length; i++) text += pieces[Math.floor(random() * pieces.length)];
      const bytes = Buffer.from(text);
      const expected = reference(text, delimiter);
      const sizes = [1 + Math.floor(random() * 7), 1 + Math.floor(random() * 20)];
      expect(scan(bytes, delimiter, sizes), JSON.stringify({ text, delimiter, sizes })).toEqual(expected);
    }
  });
});
