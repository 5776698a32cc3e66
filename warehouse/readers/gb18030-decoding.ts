/**
 * GB18030 (and its subset GBK) decoding of byte ranges that start and end on character
 * boundaries (see line-aligned-pieces.ts). Uses the WHATWG decoder of Node's ICU in fatal
 * mode; on a Node built without full ICU it falls back to iconv-lite after the same
 * structural check, treating any U+FFFD in its output as undecodable (so a file that
 * really contains U+FFFD, encoded as 84 31 A4 37, is refused there; accepted with ICU).
 */
import { TextDecoder } from 'node:util';
import iconv from 'iconv-lite';

export class Gb18030DecodeError extends Error {
  override name = 'Gb18030DecodeError';
  constructor(
    /** Offset of the first undecodable byte, relative to the start of the decoded range. */
    readonly offset: number,
  ) {
    super(`invalid GB18030 byte sequence at offset ${offset}`);
  }
}

function icuDecoder(): TextDecoder | undefined {
  try {
    return new TextDecoder('gb18030', { fatal: true });
  } catch {
    return undefined;
  }
}

const ICU = icuDecoder();

/** Decodes a complete GB18030 byte range; throws Gb18030DecodeError naming the first bad byte. */
export function decodeGb18030(bytes: Uint8Array, implementation: 'icu' | 'iconv-lite' = ICU ? 'icu' : 'iconv-lite'): string {
  if (implementation === 'icu') {
    if (!ICU) throw new Error('this Node has no ICU GB18030 decoder');
    try {
      return ICU.decode(bytes);
    } catch {
      throw new Gb18030DecodeError(Math.max(0, firstInvalidGb18030(bytes)));
    }
  }
  // iconv-lite maps some four-byte sequences WHATWG refuses: check the structure first.
  const invalid = firstInvalidGb18030(bytes);
  if (invalid !== -1) throw new Gb18030DecodeError(invalid);
  const text = iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), 'gb18030');
  if (text.includes('\uFFFD')) throw new Gb18030DecodeError(0);
  return text;
}

/**
 * Offset of the first byte that does not start a well-formed GB18030 sequence (one byte
 * 00-80, two bytes 81-FE + 40-7E/80-FE, four bytes 81-FE 30-39 81-FE 30-39 with a pointer
 * in the ranges WHATWG maps), or -1.
 */
export function firstInvalidGb18030(b: Uint8Array): number {
  let i = 0;
  const n = b.length;
  while (i < n) {
    const c = b[i];
    if (c <= 0x80) {
      i++;
      continue;
    }
    if (c === 0xff || i + 1 >= n) return i;
    const c2 = b[i + 1];
    if ((c2 >= 0x40 && c2 <= 0x7e) || (c2 >= 0x80 && c2 <= 0xfe)) {
      i += 2;
      continue;
    }
    if (c2 < 0x30 || c2 > 0x39 || i + 3 >= n) return i;
    const c3 = b[i + 2];
    const c4 = b[i + 3];
    if (c3 < 0x81 || c3 > 0xfe || c4 < 0x30 || c4 > 0x39) return i;
    const pointer = ((c - 0x81) * 10 + (c2 - 0x30)) * 1260 + (c3 - 0x81) * 10 + (c4 - 0x30);
    if (!((pointer >= 0 && pointer <= 39419) || (pointer >= 189000 && pointer <= 1237575))) return i;
    i += 4;
  }
  return -1;
}
