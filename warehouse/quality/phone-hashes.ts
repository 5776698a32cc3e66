/**
 * Keyed hashes of the persons' phone numbers, for the shared-phone check: the
 * warehouse keeps phones only in the encrypted vault, so at refresh time (never at
 * query time) this step decrypts the vault records of persons, takes each person's
 * latest phone, normalises it to its digits (a leading +86/86 dropped) and stores
 * HMAC-SHA256(pid.key, 'phone:' || digits) (first 32 hex) in dq_phone_hashes(pid,
 * phone_hash). The plaintext exists only in memory, record by record; the hash is keyed,
 * so the 11-digit phone space cannot be enumerated without the key.
 *
 * Cost: one decryption per vault record (Node's AES-GCM, a few µs each) — the largest
 * part of this step at scale (22 s of a 46 s quality step for 1 M persons). So the build
 * keeps, next to the hashes, the number of vault records of each person when they were
 * computed (dq_phone_vault_counts). The vault is append-only, so a later refresh, whose
 * build starts as a copy of the previous one, needs to decrypt only the persons whose
 * count changed (the persons of its new rows); it first re-derives one unchanged person's
 * hash from the vault and rebuilds everything when that disagrees (another key).
 *
 * Builds written since the vault got its has_phone and phone_hash columns need no
 * decryption at all: fillVault stores, next to each encrypted record, whether it holds
 * a phone and the keyed hash of that phone (NULL when it has fewer than 7 digits), so
 * the latest phone per person is one SQL aggregation (phoneHashesFromVaultColumns). The
 * decryption pass remains for builds with records written before (has_phone NULL).
 */
import type { DuckDBBlobValue } from '@duckdb/node-api';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decryptPii } from '../vault/pii-vault.ts';
import { normalisePhone, phoneHash } from '../vault/phone-hash.ts';
import { runNamed, type QualityBuildContext } from './quality-build-context.ts';

/**
 * dq_phone_hashes from the vault's has_phone / phone_hash columns: per person, the hash
 * of the latest record (recorded_on, then insertion order) that holds a phone, as the
 * decryption pass reads it; none when that phone is not a usable number. Returns null
 * (nothing done) when the vault lacks the columns or holds a person's record written
 * before them.
 */
export async function phoneHashesFromVaultColumns(ctx: QualityBuildContext): Promise<number | null> {
  const { conn, t } = ctx;
  const [catalog, table] = t('pii_vault').includes('.') ? t('pii_vault').split('.') : [null, 'pii_vault'];
  const has = await conn.runAndReadAll(
    `SELECT count(*)::INTEGER AS n FROM information_schema.columns
     WHERE table_name = $table AND column_name IN ('has_phone', 'phone_hash') AND ($catalog IS NULL OR table_catalog = $catalog)`,
    { table, catalog },
  );
  if (Number(has.getRowObjectsJS()[0].n) < 2) return null;
  const old = await conn.runAndReadAll(
    `SELECT count(*)::INTEGER AS n FROM (SELECT 1 FROM ${t('pii_vault')} WHERE has_phone IS NULL AND NOT starts_with(pid, 'point:') LIMIT 1)`,
  );
  if (Number(old.getRowObjectsJS()[0].n) > 0) return null;
  await runNamed(
    ctx,
    `CREATE OR REPLACE TABLE ${t('dq_phone_hashes')} AS
     SELECT pid, phone_hash FROM (
       SELECT pid, arg_max_null(phone_hash, struct_pack(d := recorded_on, r := rowid)) FILTER (WHERE has_phone) AS phone_hash
       FROM ${t('pii_vault')} WHERE NOT starts_with(pid, 'point:') GROUP BY pid)
     WHERE phone_hash IS NOT NULL ORDER BY pid`,
  );
  await runNamed(ctx, `DROP TABLE IF EXISTS ${t('dq_phone_vault_counts')}`);
  return Number((await conn.runAndReadAll(`SELECT count(*)::INTEGER AS n FROM ${t('dq_phone_hashes')}`)).getRowObjectsJS()[0].n);
}

/**
 * Builds dq_phone_hashes; returns the number of persons with a phone. The vault is read
 * in one ordered stream (latest record first per person); the hashes go to a temporary
 * CSV file (keyed hashes only, no plaintext) that is loaded at the end — inserting on the
 * same connection while the stream is open would end the stream. Only the persons whose
 * vault records changed since the hashes in the build were computed are read, when the
 * build has them and they were made with this key (see the header).
 */
export async function buildPhoneHashes(ctx: QualityBuildContext, keys: { pidKey: Buffer; vaultKey: Buffer }, tempDir: string = tmpdir()): Promise<number> {
  const { conn, t } = ctx;
  await conn.run(`CREATE OR REPLACE TEMP TABLE phone_vault_counts AS
    SELECT pid, count(*)::INTEGER AS records FROM ${t('pii_vault')} WHERE NOT starts_with(pid, 'point:') GROUP BY pid`);
  const incremental = (await hasTable(ctx, 'dq_phone_hashes')) && (await hasTable(ctx, 'dq_phone_vault_counts')) && (await sameKey(ctx, keys));
  if (incremental) {
    await conn.run(`CREATE OR REPLACE TEMP TABLE phone_changed AS
      SELECT pid FROM (SELECT pid, records FROM phone_vault_counts EXCEPT SELECT pid, records FROM ${t('dq_phone_vault_counts')})`);
    await conn.run(`DELETE FROM ${t('dq_phone_hashes')} WHERE pid IN (SELECT pid FROM phone_changed) OR pid NOT IN (SELECT pid FROM phone_vault_counts)`);
    await hashFromVault(ctx, keys, tempDir, 'SEMI JOIN phone_changed c ON c.pid = v.pid');
    await conn.run('DROP TABLE phone_changed');
  } else {
    await runNamed(ctx, `CREATE OR REPLACE TABLE ${t('dq_phone_hashes')} (pid VARCHAR NOT NULL, phone_hash VARCHAR NOT NULL)`);
    await hashFromVault(ctx, keys, tempDir, '');
  }
  await conn.run(`CREATE OR REPLACE TABLE ${t('dq_phone_vault_counts')} AS SELECT pid, records FROM phone_vault_counts ORDER BY pid`);
  await conn.run('DROP TABLE phone_vault_counts');
  return Number((await conn.runAndReadAll(`SELECT count(*)::INTEGER AS n FROM ${t('dq_phone_hashes')}`)).getRowObjectsJS()[0].n);
}

async function hasTable(ctx: QualityBuildContext, name: string): Promise<boolean> {
  const [catalog, table] = ctx.t(name).includes('.') ? ctx.t(name).split('.') : [null, name];
  const r = await ctx.conn.runAndReadAll(
    `SELECT count(*)::INTEGER AS n FROM duckdb_tables() WHERE table_name = $table AND ($catalog IS NULL OR database_name = $catalog) AND NOT temporary`,
    { table, catalog },
  );
  return Number(r.getRowObjectsJS()[0].n) > 0;
}

/** One stored hash of a person whose vault records did not change, re-derived from the vault with this key, agrees. */
async function sameKey(ctx: QualityBuildContext, keys: { pidKey: Buffer; vaultKey: Buffer }): Promise<boolean> {
  const { conn, t } = ctx;
  const r = await conn.runAndReadAll(`SELECT h.pid, h.phone_hash FROM ${t('dq_phone_hashes')} h
    JOIN ${t('dq_phone_vault_counts')} o ON o.pid = h.pid JOIN phone_vault_counts n ON n.pid = h.pid AND n.records = o.records
    ORDER BY h.pid LIMIT 1`);
  const row = r.getRowObjectsJS()[0];
  if (!row) return false;
  await conn.run('CREATE OR REPLACE TEMP TABLE phone_probe AS SELECT $pid AS pid', { pid: String(row.pid) });
  const found: [string, string][] = [];
  await latestPhones(ctx, keys, 'SEMI JOIN phone_probe c ON c.pid = v.pid', async (hashes) => void found.push(...hashes));
  await conn.run('DROP TABLE phone_probe');
  return found.length === 1 && found[0][1] === String(row.phone_hash);
}

/** Appends the hashes of the persons the `semiJoin` clause keeps (all when empty) to dq_phone_hashes. */
async function hashFromVault(ctx: QualityBuildContext, keys: { pidKey: Buffer; vaultKey: Buffer }, tempDir: string, semiJoin: string): Promise<void> {
  const dir = mkdtempSync(join(tempDir, 'rlm-phone-'));
  const file = join(dir, 'phone-hashes.csv');
  const out = createWriteStream(file);
  let n = 0;
  try {
    await latestPhones(ctx, keys, semiJoin, async (hashes) => {
      if (hashes.length === 0) return;
      n += hashes.length;
      if (!out.write(hashes.map(([pid, hash]) => `${pid},${hash}\n`).join(''))) await once(out, 'drain');
    });
    out.end();
    await once(out, 'finish');
    if (n > 0) {
      await runNamed(
        ctx,
        `INSERT INTO ${ctx.t('dq_phone_hashes')} SELECT pid, phone_hash FROM read_csv($file, header = false, columns = {'pid': 'VARCHAR', 'phone_hash': 'VARCHAR'})`,
        { file },
      );
    }
  } finally {
    out.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Streams the vault records of persons (the `semiJoin` clause keeps some; collectors'
 * records left out), latest first per person, and hands each chunk's [pid, hash of the
 * latest phone] pairs to `onChunk`; persons with no phone in any record are left out.
 */
async function latestPhones(
  ctx: QualityBuildContext,
  keys: { pidKey: Buffer; vaultKey: Buffer },
  semiJoin: string,
  onChunk: (hashes: [string, string][]) => Promise<void>,
): Promise<void> {
  const result = await ctx.conn.stream(
    `SELECT v.pid, v.nonce, v.ciphertext FROM ${ctx.t('pii_vault')} v ${semiJoin} WHERE NOT starts_with(v.pid, 'point:') ORDER BY v.pid, v.recorded_on DESC, v.rowid DESC`,
  );
  let current: string | undefined;
  let done = false;
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    const [pids, nonces, cts] = chunk.getColumns();
    const hashes: [string, string][] = [];
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
      if (digits) hashes.push([pid, phoneHash(digits, keys.pidKey)]);
    }
    await onChunk(hashes);
  }
}
