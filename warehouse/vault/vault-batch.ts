/**
 * Encrypts a batch of vault records (pii-vault.ts): the pure work of fillVault, run on
 * worker threads for large loads (vault-encrypter.ts) and inline for small ones.
 *
 * A batch travels as one block of UTF-8 bytes each way (transferred, not copied, to and
 * from a worker), so that no side converts values one by one: at 3 M records that
 * per-value work on the main thread, not the encryption, bounded the load.
 *   in:  one line per record, `<row> US <pid> US <record JSON>` (US = 0x1F), lines joined by
 *        LF, in any order;
 *   out: one line per record, `<row> TAB <nonce, base64> TAB <ciphertext||tag, base64>`, in
 *        the same order.
 * Record JSON escapes every control character, so no separator can occur inside it; a row
 * or pid holding one is refused.
 */
import { randomBytes } from 'node:crypto';
import { encryptPiiBytes, piiAadOfPidBytes } from './pii-vault.ts';

const LF = 0x0a;
const US = 0x1f;
const TAB = 0x09;

export interface VaultBatchInput {
  readonly lines: Uint8Array;
}

export interface VaultBatchOutput {
  readonly count: number;
  readonly lines: Uint8Array;
}

export function encryptVaultBatch(input: VaultBatchInput, vaultKey: Buffer): VaultBatchOutput {
  const buf = Buffer.from(input.lines.buffer, input.lines.byteOffset, input.lines.byteLength);
  let n = buf.length === 0 ? 0 : 1;
  for (let i = buf.indexOf(LF); i !== -1; i = buf.indexOf(LF, i + 1)) n++;
  const nonces = randomBytes(12 * n); // one draw per batch, a distinct 12-byte slice per record
  const out: string[] = new Array(n);
  let pos = 0;
  for (let k = 0; k < n; k++) {
    let end = buf.indexOf(LF, pos);
    if (end === -1) end = buf.length;
    const a = buf.indexOf(US, pos);
    const b = a === -1 || a > end ? -1 : buf.indexOf(US, a + 1);
    const row = a === -1 ? '' : buf.toString('latin1', pos, a);
    if (b === -1 || b > end || b === a + 1 || !/^\d+$/.test(row) || buf.subarray(b + 1, end).includes(US) || buf.subarray(pos, end).includes(TAB)) {
      throw new Error(`vault batch line ${k + 1} is not <row> US <pid> US <record JSON>`);
    }
    const nonce = nonces.subarray(12 * k, 12 * k + 12);
    const enc = encryptPiiBytes(buf.subarray(b + 1, end), piiAadOfPidBytes(buf.subarray(a + 1, b)), vaultKey, nonce);
    out[k] = `${row}\t${nonce.toString('base64')}\t${enc.ciphertext.toString('base64')}`;
    pos = end + 1;
  }
  const text = Buffer.from(out.join('\n'), 'latin1');
  const lines = new Uint8Array(text.length); // its own buffer, so that it can be transferred
  lines.set(text);
  return { count: n, lines };
}
