import { describe, expect, test } from 'vitest';
import { isUtf8 } from 'node:buffer';
import { TextDecoder } from 'node:util';
import iconv from 'iconv-lite';
import { decodeGb18030, firstInvalidGb18030, Gb18030DecodeError } from '../../../warehouse/readers/gb18030-decoding.ts';
import { LineAlignedPieces } from '../../../warehouse/readers/line-aligned-pieces.ts';
import { firstInvalidUtf8 } from '../../../warehouse/readers/utf8-validation.ts';

let seed = 99;
const random = (): number => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
};

const TEXT = '公民身份号码,姓名\n51010219900307123X,欧阳𠀀娜 €\r\n"a\nb",钱七\n';

describe('LineAlignedPieces', () => {
  test('pieces concatenate to the input and each but the last ends on a line feed, whatever the chunking', () => {
    const bytes = Buffer.from(TEXT.repeat(20) + 'tail without newline');
    for (const size of [1, 2, 3, 7, 64, 100000]) {
      const cutter = new LineAlignedPieces();
      const pieces = [];
      for (let at = 0; at < bytes.length; at += size) pieces.push(...cutter.push(bytes.subarray(at, at + size)));
      pieces.push(...cutter.end());
      expect(Buffer.concat(pieces.map((p) => p.bytes)).equals(bytes)).toBe(true);
      let offset = 0;
      for (const [i, p] of pieces.entries()) {
        expect(p.offset).toBe(offset);
        offset += p.bytes.length;
        if (i < pieces.length - 1) expect(p.bytes.at(-1)).toBe(0x0a);
      }
    }
  });
});

describe('UTF-8 validation', () => {
  test('firstInvalidUtf8 agrees with node:buffer isUtf8 and points at the first bad byte', () => {
    const valid = Buffer.from(TEXT);
    expect(firstInvalidUtf8(valid)).toBe(-1);
    for (let round = 0; round < 2000; round++) {
      const b = Buffer.from(valid);
      const hits = 1 + Math.floor(random() * 2);
      for (let h = 0; h < hits; h++) b[Math.floor(random() * b.length)] = Math.floor(random() * 256);
      const at = firstInvalidUtf8(b);
      expect(at === -1).toBe(isUtf8(b));
      if (at !== -1) {
        expect(isUtf8(b.subarray(0, at))).toBe(true);
        // No valid sequence starts at `at`: no prefix up to 4 more bytes makes it valid.
        expect([1, 2, 3, 4].some((n) => at + n <= b.length && isUtf8(b.subarray(at, at + n)))).toBe(false);
      }
    }
    expect(firstInvalidUtf8(Buffer.from([0x41, 0xed, 0xa0, 0x80]))).toBe(1); // a surrogate
    expect(firstInvalidUtf8(Buffer.from([0xc0, 0xaf]))).toBe(0); // overlong
    expect(firstInvalidUtf8(Buffer.from([0x41, 0xe5, 0xbc]))).toBe(1); // cut short
  });
});

describe('GB18030 decoding', () => {
  const gb = iconv.encode(TEXT, 'gb18030');

  test('ICU and iconv-lite decode the same text, four-byte sequences included', () => {
    expect(gb.includes(Buffer.from([0x95, 0x32, 0x82, 0x36]))).toBe(true); // 𠀀 U+20000
    expect(decodeGb18030(gb, 'icu')).toBe(TEXT);
    expect(decodeGb18030(gb, 'iconv-lite')).toBe(TEXT);
    expect(firstInvalidGb18030(gb)).toBe(-1);
  });

  test('both implementations refuse bad bytes, naming the offset the structural check finds', () => {
    const icu = new TextDecoder('gb18030', { fatal: true });
    let refused = 0;
    for (let round = 0; round < 2000; round++) {
      const b = Buffer.from(gb);
      b[Math.floor(random() * b.length)] = [0xff, 0x7f, 0x30, 0x81, 0xfe, 0x22][Math.floor(random() * 6)];
      let icuOk = true;
      try {
        icu.decode(b);
      } catch {
        icuOk = false;
      }
      const at = firstInvalidGb18030(b);
      expect(at === -1, b.toString('hex')).toBe(icuOk);
      if (!icuOk) {
        refused++;
        expect(() => icu.decode(b.subarray(0, at))).not.toThrow();
        for (const impl of ['icu', 'iconv-lite'] as const) {
          let error: unknown;
          try {
            decodeGb18030(b, impl);
          } catch (e) {
            error = e;
          }
          expect(error, `${impl} ${b.toString('hex')}`).toBeInstanceOf(Gb18030DecodeError);
          expect((error as Gb18030DecodeError).offset).toBe(at);
        }
      }
    }
    expect(refused).toBeGreaterThan(100);
  });
});
