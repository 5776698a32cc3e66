/**
 * The keyed hash of a phone number, for the shared-phone check of the data-quality step
 * (quality/phone-hashes.ts): the phone's digits (a leading +86/86 dropped) under
 * HMAC-SHA256(pid.key, 'phone:' || digits), first 32 hex characters. Computed when a
 * vault record is written (fill-vault.ts) and, for records written before, when the
 * vault is decrypted; the 11-digit phone space cannot be enumerated without the key.
 */
import { createHmac } from 'node:crypto';

/** The digits of a phone number as it is compared (undefined when it has none). */
export function normalisePhone(raw: string): string | undefined {
  let d = raw.replace(/\D/g, '');
  if (d.length === 13 && d.startsWith('86')) d = d.slice(2);
  return d.length >= 7 ? d : undefined;
}

export function phoneHash(digits: string, key: Buffer): string {
  return createHmac('sha256', key).update(`phone:${digits}`, 'utf8').digest('hex').slice(0, 32);
}
