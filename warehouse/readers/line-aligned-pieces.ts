/**
 * Cuts a stream of byte chunks into pieces that end right after a line feed (0x0A), the
 * last piece excepted. In UTF-8 and in GB18030 a byte below 0x30 is never part of a
 * multi-byte character, so every piece starts and ends on a character boundary and can
 * be validated or decoded on its own. The bulk of each chunk is passed on without copying.
 */
export interface Piece {
  readonly bytes: Buffer;
  /** Offset of bytes[0] in the whole stream. */
  readonly offset: number;
}

export class LineAlignedPieces {
  private carry: Buffer | undefined;
  private carryOffset = 0;
  private offset = 0;

  /** Pieces completed by this chunk (zero, one or two). */
  push(chunk: Buffer): Piece[] {
    const start = this.offset;
    this.offset += chunk.length;
    const last = chunk.lastIndexOf(10);
    if (last === -1) {
      if (this.carry) this.carry = Buffer.concat([this.carry, chunk]);
      else {
        this.carry = Buffer.from(chunk);
        this.carryOffset = start;
      }
      return [];
    }
    const pieces: Piece[] = [];
    let from = 0;
    if (this.carry) {
      const first = chunk.indexOf(10);
      pieces.push({ bytes: Buffer.concat([this.carry, chunk.subarray(0, first + 1)]), offset: this.carryOffset });
      from = first + 1;
      this.carry = undefined;
    }
    if (from <= last) pieces.push({ bytes: chunk.subarray(from, last + 1), offset: start + from });
    if (last + 1 < chunk.length) {
      this.carry = Buffer.from(chunk.subarray(last + 1));
      this.carryOffset = start + last + 1;
    }
    return pieces;
  }

  /** The bytes after the last line feed, if any. */
  end(): Piece[] {
    const rest = this.carry;
    this.carry = undefined;
    return rest ? [{ bytes: rest, offset: this.carryOffset }] : [];
  }
}
