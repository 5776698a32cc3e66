/**
 * Encrypts the personal data of accepted rows into wh.pii_vault: reads (pid, ID number,
 * name, phone) from a staging query in chunks, encrypts each record with its own nonce
 * (pii-vault.ts) and appends it, with whether it holds a phone and the keyed hash of that
 * phone (phone-hash.ts; NULL when not a usable number), so that the
 * shared-phone check never decrypts the vault. Plaintext never enters the warehouse file.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { DuckDBDateValue } from '@duckdb/node-api';
import { randomBytes } from 'node:crypto';
import { encryptPii, type PiiRecord } from './pii-vault.ts';
import { normalisePhone, phoneHash } from './phone-hash.ts';
import type { DataKeys } from './data-keys.ts';
import { paramsFor, type ParamBag } from '../model/named-params.ts';
import { readInBatches } from '../refresh/read-in-batches.ts';

/**
 * `sql` must return columns pid, id_number, name, phone (any may be NULL except pid)
 * and recorded_on (DATE); NULL fields are left out of the record.
 */
export async function fillVault(conn: DuckDBConnection, sql: string, params: ParamBag, keys: DataKeys): Promise<number> {
  const appender = await conn.createAppender('pii_vault', 'main', 'wh');
  let n = 0;
  try {
    await readInBatches(conn, sql, paramsFor(sql, params), (reader) => {
      const [pids, ids, names, phones, recorded] = reader.getColumns();
      const nonces = randomBytes(12 * reader.currentRowCount); // one draw per batch, a distinct 12-byte slice per record
      for (let i = 0; i < reader.currentRowCount; i++) {
        const pid = String(pids[i]);
        const record: PiiRecord = {};
        if (ids[i] !== null) record.id_number = String(ids[i]);
        if (names[i] !== null) record.name = String(names[i]);
        if (phones[i] !== null) record.phone = String(phones[i]);
        const enc = encryptPii(record, pid, keys.vaultKey, nonces.subarray(12 * i, 12 * i + 12));
        appender.appendVarchar(pid);
        appender.appendBlob(enc.nonce);
        appender.appendBlob(enc.ciphertext);
        appender.appendVarchar(keys.vaultKeyId);
        appender.appendDate(recorded[i] as DuckDBDateValue);
        appender.appendBoolean(record.phone !== undefined);
        const digits = record.phone === undefined ? undefined : normalisePhone(record.phone);
        if (digits) appender.appendVarchar(phoneHash(digits, keys.pidKey));
        else appender.appendNull();
        appender.endRow();
        n++;
      }
    });
  } finally {
    appender.closeSync();
  }
  return n;
}
