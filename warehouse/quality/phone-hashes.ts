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
import { listValue, type DuckDBBlobValue } from '@duckdb/node-api';
import { readInBatches } from '../refresh/read-in-batches.ts';
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

const BATCH = 50_000;

/**
 * Builds dq_phone_hashes; returns the number of persons with a phone. The vault is read
 * in numbered batches of a materialised, ordered copy (latest record first per person)
 * rather than streamed: inserting on the same connection would end a streamed result.
 */
export async function buildPhoneHashes(ctx: QualityBuildContext, keys: { pidKey: Buffer; vaultKey: Buffer }, batchSize = BATCH): Promise<number> {
  const { conn, t } = ctx;
  await runNamed(ctx, `CREATE OR REPLACE TABLE ${t('dq_phone_hashes')} (pid VARCHAR NOT NULL, phone_hash VARCHAR NOT NULL)`);
  await runNamed(
    ctx,
    `CREATE OR REPLACE TEMP TABLE rlm_dq_vault AS
     SELECT row_number() OVER (ORDER BY pid, recorded_on DESC, rowid DESC) AS rn, pid, nonce, ciphertext
     FROM ${t('pii_vault')} WHERE NOT starts_with(pid, 'point:')`,
  );
  let n = 0;
  let current: string | undefined;
  let done = false;
  try {
    for (let lo = 1; ; lo += batchSize) {
      const reader = await conn.runAndReadAll('SELECT pid, nonce, ciphertext FROM rlm_dq_vault WHERE rn >= $lo AND rn < $hi ORDER BY rn', {
        lo: BigInt(lo),
        hi: BigInt(lo + batchSize),
      });
      if (reader.currentRowCount === 0) break;
      const [pids, nonces, cts] = reader.getColumns();
      const outPids: string[] = [];
      const outHashes: string[] = [];
      for (let i = 0; i < reader.currentRowCount; i++) {
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
        outPids.push(pid);
        outHashes.push(phoneHash(digits, keys.pidKey));
      }
      if (outPids.length > 0) {
        await conn.run(`INSERT INTO ${t('dq_phone_hashes')} SELECT unnest($pids::VARCHAR[]), unnest($hashes::VARCHAR[])`, { pids: listValue(outPids), hashes: listValue(outHashes) });
        n += outPids.length;
      }
    }
  } finally {
    await conn.run('DROP TABLE IF EXISTS rlm_dq_vault');
  }
  return n;
}
