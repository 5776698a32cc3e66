/**
 * Encoding of a text export: 'utf-8' when every byte sequence is valid UTF-8 (pure
 * ASCII included), else 'gb18030' when the whole file decodes as GB18030/GBK, else
 * undefined. Streams the file once (twice when it is not UTF-8).
 */
import { createReadStream } from 'node:fs';
import { decodeGb18030 } from './gb18030-decoding.ts';
import { LineAlignedPieces, type Piece } from './line-aligned-pieces.ts';
import { isValidUtf8 } from './utf8-validation.ts';

export type TextEncodingName = 'utf-8' | 'gb18030';

export async function detectEncoding(path: string): Promise<TextEncodingName | undefined> {
  if (await everyPiece(path, (p) => isValidUtf8(p.bytes))) return 'utf-8';
  const gb = await everyPiece(path, (p) => {
    try {
      decodeGb18030(p.bytes);
      return true;
    } catch {
      return false;
    }
  });
  return gb ? 'gb18030' : undefined;
}

async function everyPiece(path: string, ok: (p: Piece) => boolean): Promise<boolean> {
  const pieces = new LineAlignedPieces();
  const stream = createReadStream(path, { highWaterMark: 1 << 20 });
  try {
    for await (const chunk of stream) if (!pieces.push(chunk as Buffer).every(ok)) return false;
    return pieces.end().every(ok);
  } finally {
    stream.destroy();
  }
}
