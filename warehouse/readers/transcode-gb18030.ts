/**
 * Streams GB18030/GBK bytes into a UTF-8 file, piece by piece (pieces end on line feeds,
 * hence on character boundaries), refusing undecodable bytes with their offset.
 */
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import { decodeGb18030, Gb18030DecodeError } from './gb18030-decoding.ts';
import { LineAlignedPieces, type Piece } from './line-aligned-pieces.ts';

export class Gb18030Transcoder {
  private readonly output: WriteStream;
  private readonly pieces = new LineAlignedPieces();

  constructor(target: string) {
    this.output = createWriteStream(target);
  }

  /** Throws Gb18030DecodeError with the offset of the first bad byte in the whole input. */
  async push(chunk: Buffer): Promise<void> {
    await this.write(this.pieces.push(chunk));
  }

  async end(): Promise<void> {
    await this.write(this.pieces.end());
    this.output.end();
    await finished(this.output);
  }

  /** Closes the output after a failure (the caller removes the file). */
  abort(): void {
    this.output.destroy();
  }

  private async write(list: Piece[]): Promise<void> {
    for (const p of list) {
      let text: string;
      try {
        text = decodeGb18030(p.bytes);
      } catch (e) {
        if (e instanceof Gb18030DecodeError) throw new Gb18030DecodeError(p.offset + e.offset);
        throw e;
      }
      if (!this.output.write(text)) await once(this.output, 'drain');
    }
  }
}

export async function transcodeGb18030File(source: string, target: string): Promise<void> {
  const input = createReadStream(source, { highWaterMark: 1 << 20 });
  const transcoder = new Gb18030Transcoder(target);
  try {
    for await (const chunk of input) await transcoder.push(chunk as Buffer);
    await transcoder.end();
  } catch (e) {
    transcoder.abort();
    throw e;
  } finally {
    input.destroy();
  }
}
