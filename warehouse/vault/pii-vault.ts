/**
 * The PII vault: names, ID numbers and phone numbers, encrypted with AES-256-GCM
 * (node:crypto) under vault.key, one random 12-byte nonce per record, the 16-byte
 * authentication tag appended to the ciphertext. The pid and the record date are bound
 * as additional authenticated data, so a ciphertext moved to another pid fails to decrypt.
 *
 * A record holds the fields known at that time; later records of the same pid (a changed
 * phone, say) hold only what changed; `mergePiiRecords` folds them in date order.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export interface PiiRecord {
  id_number?: string;
  name?: string;
  phone?: string;
}

export interface EncryptedPii {
  readonly nonce: Buffer;
  /** ciphertext || 16-byte GCM tag */
  readonly ciphertext: Buffer;
}

const AAD_PREFIX = Buffer.from('rlm-pii-v1:', 'utf8');
const aad = (pid: string): Buffer => Buffer.from(`rlm-pii-v1:${pid}`, 'utf8');

/**
 * Encrypts one record. `nonce` (12 random bytes) may be supplied by bulk callers that draw
 * the random bytes for a whole chunk at once (randomBytes per record dominates the cost);
 * it must never be reused with the same key.
 */
export function encryptPii(record: PiiRecord, pid: string, key: Buffer, nonce: Buffer = randomBytes(12)): EncryptedPii {
  return encryptPiiBytes(Buffer.from(JSON.stringify(record), 'utf8'), aad(pid), key, nonce);
}

/** The additional authenticated data of a pid given as UTF-8 bytes (equal to `aad(pid)`). */
export function piiAadOfPidBytes(pid: Uint8Array): Buffer {
  return Buffer.concat([AAD_PREFIX, pid]);
}

/**
 * A record already serialised as UTF-8 JSON of its PiiRecord fields (absent fields left out,
 * never null; e.g. built in SQL by fill-vault.ts), under the AAD of its pid (`piiAadOfPidBytes`).
 */
export function encryptPiiBytes(json: Uint8Array, aadBytes: Uint8Array, key: Buffer, nonce: Buffer): EncryptedPii {
  if (key.length !== 32) throw new Error('vault key must be 32 bytes');
  if (nonce.length !== 12) throw new Error('nonce must be 12 bytes');
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(aadBytes);
  const body = Buffer.concat([cipher.update(json), cipher.final(), cipher.getAuthTag()]);
  return { nonce, ciphertext: body };
}

export function decryptPii(encrypted: { nonce: Uint8Array; ciphertext: Uint8Array }, pid: string, key: Buffer): PiiRecord {
  const ct = Buffer.from(encrypted.ciphertext);
  if (ct.length < 16) throw new Error('vault record too short');
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(encrypted.nonce));
  decipher.setAAD(aad(pid));
  decipher.setAuthTag(ct.subarray(ct.length - 16));
  const plain = Buffer.concat([decipher.update(ct.subarray(0, ct.length - 16)), decipher.final()]);
  return JSON.parse(plain.toString('utf8')) as PiiRecord;
}

/** Folds partial records (oldest first) into the current one. */
export function mergePiiRecords(records: readonly PiiRecord[]): PiiRecord {
  const out: PiiRecord = {};
  for (const r of records) {
    if (r.id_number !== undefined) out.id_number = r.id_number;
    if (r.name !== undefined) out.name = r.name;
    if (r.phone !== undefined) out.phone = r.phone;
  }
  return out;
}
