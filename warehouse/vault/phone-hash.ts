/**
 * The keyed hash of a phone number, for the shared-phone check of the data-quality step
 * (quality/phone-hashes.ts): the phone's digits (a leading +86/86 dropped) under
 * HMAC-SHA256(pid.key, 'phone:' || digits), first 32 hex characters. Computed in SQL when a
 * vault record is written (fill-vault.ts, `phoneHashSqlExpression`) and, for records written
 * before, in JavaScript when the vault is decrypted; both give the same value (tested). The
 * 11-digit phone space cannot be enumerated without the key.
 */
import { createHmac } from 'node:crypto';
import { pidSqlExpression } from './pid-hash.ts';

/** The digits of a phone number as it is compared (undefined when it has none). */
export function normalisePhone(raw: string): string | undefined {
  let d = raw.replace(/\D/g, '');
  if (d.length === 13 && d.startsWith('86')) d = d.slice(2);
  return d.length >= 7 ? d : undefined;
}

export function phoneHash(digits: string, key: Buffer): string {
  return createHmac('sha256', key).update(`phone:${digits}`, 'utf8').digest('hex').slice(0, 32);
}

/**
 * SQL of `normalisePhone` (NULL where it gives undefined) over the trusted column expression
 * `phoneExpr`. RE2's [^0-9] matches whole code points, as JavaScript's \D does.
 */
export function normalisedPhoneSql(phoneExpr: string): string {
  const digits = `regexp_replace(${phoneExpr}, '[^0-9]', '', 'g')`;
  const dropped = `CASE WHEN length(${digits}) = 13 AND starts_with(${digits}, '86') THEN substr(${digits}, 3) ELSE ${digits} END`;
  return `CASE WHEN length(${dropped}) >= 7 THEN ${dropped} END`;
}

/**
 * SQL of `phoneHash(normalisePhone(phone))` for an already-normalised digits expression
 * (`normalisedPhoneSql`), with the named parameters $pid_ipad and $pid_opad (pidSqlParams of
 * the pid key); NULL where the digits are NULL.
 */
export function phoneHashSqlExpression(digitsExpr: string): string {
  return `CASE WHEN ${digitsExpr} IS NOT NULL THEN ${pidSqlExpression(`'phone:' || ${digitsExpr}`)} END`;
}
