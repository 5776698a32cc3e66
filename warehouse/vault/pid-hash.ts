/**
 * The pseudonymous person id (pid): HMAC-SHA256(pid.key, normalised ID number), the
 * first 16 bytes as 32 lower-case hex characters (HMAC-SHA256-128; collisions are
 * negligible at 10^8 persons). Analytics tables identify a person only by it.
 *
 * The same HMAC runs in DuckDB SQL for set-based loads: sha256 over BLOBs with the
 * pre-computed inner and outer padded keys bound as parameters (never interpolated).
 */
import { createHmac } from 'node:crypto';
import { normaliseIdNumber } from '../reference/id-number.ts';

export const PID_HEX_LENGTH = 32;

/** pid of an ID number (normalised first). */
export function pidOf(idNumber: string, pidKey: Buffer): string {
  return createHmac('sha256', pidKey).update(normaliseIdNumber(idNumber), 'utf8').digest('hex').slice(0, PID_HEX_LENGTH);
}

/** HMAC inner and outer padded keys (block size 64) as hex, for binding to the SQL expression. */
export function pidSqlParams(pidKey: Buffer): { ipad: string; opad: string } {
  if (pidKey.length > 64) throw new Error('pid key longer than the SHA-256 block');
  const block = Buffer.alloc(64);
  pidKey.copy(block);
  const ipad = Buffer.alloc(64);
  const opad = Buffer.alloc(64);
  for (let i = 0; i < 64; i++) {
    ipad[i] = block[i] ^ 0x36;
    opad[i] = block[i] ^ 0x5c;
  }
  return { ipad: ipad.toString('hex'), opad: opad.toString('hex') };
}

/**
 * SQL expression of the pid of an already-normalised ID expression `idExpr`, using the
 * named parameters $pid_ipad and $pid_opad (hex strings from pidSqlParams).
 * `idExpr` must be a trusted SQL expression (a column name), never a value.
 */
export function pidSqlExpression(idExpr: string): string {
  return `left(sha256(unhex($pid_opad) || unhex(sha256(unhex($pid_ipad) || encode(${idExpr})))), ${PID_HEX_LENGTH})`;
}

/** Keyed digest of a personal column (name, phone) as kept for reconciliation: the same HMAC over `<column>:<value>`. */
export function piiDigest(column: 'name' | 'phone', value: string, pidKey: Buffer): string {
  return createHmac('sha256', pidKey).update(`${column}:${value}`, 'utf8').digest('hex').slice(0, PID_HEX_LENGTH);
}
