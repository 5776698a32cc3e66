/**
 * One streamed pass over a CSV export's bytes: SHA-256, size, the first NUL byte (a
 * binary file), the first invalid UTF-8 byte, and the record layout (blank lines,
 * quoted line breaks, a quote left open at the end); optionally transcoding GB18030 to
 * a UTF-8 file in the same pass.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { CsvRecordScanner, type CsvRecordLayout } from './csv-record-scanner.ts';
import { LineAlignedPieces, type Piece } from './line-aligned-pieces.ts';
import { Gb18030Transcoder } from './transcode-gb18030.ts';
import { firstInvalidUtf8, isValidUtf8 } from './utf8-validation.ts';

export interface CsvFileScan {
  readonly sha256: string;
  readonly bytes: number;
  /** Offset of the first NUL byte; the scan stops there (layout then covers the bytes before). */
  readonly nulAt?: number;
  /** Offset of the first byte that is not valid UTF-8 (only when checkUtf8). */
  readonly invalidUtf8At?: number;
  readonly layout: CsvRecordLayout;
}

/**
 * @param options.checkUtf8 validate as UTF-8 (invalidUtf8At)
 * @param options.gb18030Target transcode GB18030 → UTF-8 into this file; throws
 *   Gb18030DecodeError on undecodable bytes (not after a NUL byte: the scan stops there)
 */
export async function scanCsvFile(
  path: string,
  delimiter: ',' | '\t',
  options: { checkUtf8: boolean; gb18030Target?: string },
): Promise<CsvFileScan> {
  const transcoder = options.gb18030Target ? new Gb18030Transcoder(options.gb18030Target) : undefined;
  const hash = createHash('sha256');
  const scanner = new CsvRecordScanner(delimiter.charCodeAt(0));
  const pieces = new LineAlignedPieces();
  let bytes = 0;
  let nulAt: number | undefined;
  let invalidUtf8At: number | undefined;
  let utf8 = options.checkUtf8;
  const check = (list: Piece[]): void => {
    for (const p of list) {
      if (utf8 && !isValidUtf8(p.bytes)) {
        invalidUtf8At = p.offset + Math.max(0, firstInvalidUtf8(p.bytes));
        utf8 = false;
      }
    }
  };
  const stream = createReadStream(path, { highWaterMark: 1 << 20 });
  try {
    for await (const data of stream) {
      const chunk = data as Buffer;
      hash.update(chunk);
      const nul = chunk.indexOf(0);
      if (nul !== -1) {
        nulAt = bytes + nul;
        scanner.push(chunk.subarray(0, nul));
        bytes += chunk.length;
        break;
      }
      scanner.push(chunk);
      if (utf8) check(pieces.push(chunk));
      if (transcoder) await transcoder.push(chunk);
      bytes += chunk.length;
    }
    if (utf8 && nulAt === undefined) check(pieces.end());
    if (transcoder) await transcoder.end();
  } catch (e) {
    transcoder?.abort();
    throw e;
  } finally {
    stream.destroy();
  }
  return {
    sha256: hash.digest('hex'),
    bytes,
    layout: scanner.end(),
    ...(nulAt !== undefined ? { nulAt } : {}),
    ...(invalidUtf8At !== undefined ? { invalidUtf8At } : {}),
  };
}
