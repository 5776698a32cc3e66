/**
 * Streams a GB18030/GBK file into a UTF-8 file, piece by piece (pieces end on line
 * feeds, hence on character boundaries), refusing undecodable bytes.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import { decodeGb18030, Gb18030DecodeError } from './gb18030-decoding.ts';
import { LineAlignedPieces, type Piece } from './line-aligned-pieces.ts';

/** Throws Gb18030DecodeError with the offset of the first bad byte in the source file. */
export async function transcodeGb18030File(source: string, target: string): Promise<void> {
  const input = createReadStream(source, { highWaterMark: 1 << 20 });
  const output = createWriteStream(target);
  const pieces = new LineAlignedPieces();
  const write = async (list: Piece[]): Promise<void> => {
    for (const p of list) {
      let text: string;
      try {
        text = decodeGb18030(p.bytes);
      } catch (e) {
        if (e instanceof Gb18030DecodeError) throw new Gb18030DecodeError(p.offset + e.offset);
        throw e;
      }
      if (!output.write(text)) await once(output, 'drain');
    }
  };
  try {
    for await (const chunk of input) await write(pieces.push(chunk as Buffer));
    await write(pieces.end());
    output.end();
    await finished(output);
  } catch (e) {
    output.destroy();
    throw e;
  } finally {
    input.destroy();
  }
}
