/**
 * Keyed hashes of the persons' phone numbers, for the shared-phone check: the
 * warehouse keeps phones only in the encrypted vault, so at refresh time (never at
 * query time) this step decrypts the vault records of persons, takes each person's
 * latest phone, normalises it to its digits (a leading +86/86 dropped) and stores
 * HMAC-SHA256(pid.key, 'phone:' || digits) (first 32 hex) in dq_phone_hashes(pid,
 * phone_hash). The plaintext exists only in memory, record by record; the hash is keyed,
 * so the 11-digit phone space cannot be enumerated without the key.
 *
 * Proposed to the warehouse: compute the same hash in SQL when loading persons and
 * changes (like the pid), which makes this decryption pass unnecessary.
 */
import { createHmac } from 'node:crypto';
import type { DuckDBBlobValue } from '@duckdb/node-api';
import { decryptPii } from '../vault/pii-vault.ts';
import { runNamed, type QualityBuildContext } from './quality-build-context.ts';

/** The digits of a phone number as it is compared (undefined when it has none). */
export function normalisePhone(raw: string): string | undefined {
  let d = raw.replace(/\D/g, '');
  if (d.length === 13 && d.startsWith('86')) d = d.slice(2);
  return d.length >= 7 ? d : undefined;
}

export function phoneHash(digits: string, key: Buffer): string {
  return createHmac('sha256', key).update(`phone:${digits}`, 'utf8').digest('hex').slice(0, 32);
}

/** Builds dq_phone_hashes; returns the number of persons with a phone. */
export async function buildPhoneHashes(ctx: QualityBuildContext & { readonly catalog?: string }, keys: { pidKey: Buffer; vaultKey: Buffer }): Promise<number> {
  const { conn, t } = ctx;
  await runNamed(ctx, `CREATE OR REPLACE TABLE ${t('dq_phone_hashes')} (pid VARCHAR NOT NULL, phone_hash VARCHAR NOT NULL)`);
  // Latest record first per person; records without a phone are skipped by decryption.
  const result = await conn.stream(
    `SELECT pid, nonce, ciphertext FROM ${t('pii_vault')} WHERE NOT starts_with(pid, 'point:') ORDER BY pid, recorded_on DESC, rowid DESC`,
  );
  const appender = await conn.createAppender('dq_phone_hashes', 'main', ctx.catalog);
  let n = 0;
  let current: string | undefined;
  let done = false;
  try {
    for (;;) {
      const chunk = await result.fetchChunk();
      if (!chunk || chunk.rowCount === 0) break;
      const [pids, nonces, cts] = chunk.getColumns();
      for (let i = 0; i < chunk.rowCount; i++) {
        const pid = String(pids[i]);
        if (pid !== current) {
          current = pid;
          done = false;
        }
        if (done) continue;
        const rec = decryptPii({ nonce: (nonces[i] as DuckDBBlobValue).bytes, ciphertext: (cts[i] as DuckDBBlobValue).bytes }, pid, keys.vaultKey);
        if (rec.phone === undefined) continue;
        done = true;
        const digits = normalisePhone(rec.phone);
        if (!digits) continue;
        appender.appendVarchar(pid);
        appender.appendVarchar(phoneHash(digits, keys.pidKey));
        appender.endRow();
        n++;
      }
    }
  } finally {
    appender.closeSync();
  }
  return n;
}
