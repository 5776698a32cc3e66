/**
 * Encrypts the personal data of accepted rows into wh.pii_vault, each record with its own
 * nonce (pii-vault.ts). Plaintext never enters the warehouse file.
 *
 *   1. The rows of the staging query go into a temporary table (row = rowid, in query
 *      order) with each record as JSON, whether it holds a phone and the keyed hash of that
 *      phone (phone-hash.ts; NULL when not a usable number), all computed set-based in
 *      SQL, so that the shared-phone check never decrypts the vault.
 *   2. Batches of rows are read as one block of bytes each (vault-batch.ts) and encrypted on
 *      worker threads (vault-encrypter.ts) while this thread reads the next batches; each
 *      result (one block) is stored as one row of a second temporary table.
 *   3. Every ~1 M records the results are split, decoded and joined back to their rows'
 *      pid, date and phone hash into wh.pii_vault, set-based, in row order (the query's
 *      order: the phone-hash step breaks ties of a date by write order).
 *
 * JavaScript thus does only what DuckDB cannot (AES-GCM) and touches no value one by one
 * outside the workers: at 3 M records the per-value reading, converting and appending on
 * this thread had become the bound once encryption ran on workers. Loads under
 * `INLINE_BELOW` rows encrypt inline by default.
 */
import { blobValue, type DuckDBBlobValue, type DuckDBConnection } from '@duckdb/node-api';
import type { DataKeys } from './data-keys.ts';
import { defaultVaultWorkers, VaultEncrypter } from './vault-encrypter.ts';
import type { VaultBatchOutput } from './vault-batch.ts';
import { normalisedPhoneSql, phoneHashSqlExpression } from './phone-hash.ts';
import { pidSqlParams } from './pid-hash.ts';
import { paramsFor, type ParamBag } from '../model/named-params.ts';

/**
 * Below this many rows the records are encrypted inline unless workers are asked for:
 * starting the workers (each loads the TypeScript module) costs about as much as they save
 * at 200,000 records (bench/vault.bench.ts); at 1 M they are 1.6 × faster.
 */
export const INLINE_BELOW = 100_000;
const BATCH_ROWS = 50_000;
const MOVE_ROWS = 1_000_000;

let counter = 0;

export interface FillVaultOptions {
  /** Worker threads (0 = inline; default: none below INLINE_BELOW rows, else defaultVaultWorkers()). */
  readonly workers?: number;
  /** Rows per encrypted batch (default 50 000). */
  readonly batchRows?: number;
  /** Records encrypted before they are moved into wh.pii_vault (default 1 M). */
  readonly moveRows?: number;
}

/** The record as a JSON object of its non-NULL fields (the shape `encryptPii` writes). */
const RECORD_JSON = `'{' || concat_ws(',',
    '"id_number":' || to_json(CAST(q.id_number AS VARCHAR)),
    '"name":' || to_json(CAST(q.name AS VARCHAR)),
    '"phone":' || to_json(CAST(q.phone AS VARCHAR))) || '}'`;

/**
 * `sql` must return columns pid, id_number, name, phone (any may be NULL except pid)
 * and recorded_on (DATE); NULL fields are left out of the record. Returns the records written.
 */
export async function fillVault(conn: DuckDBConnection, sql: string, params: ParamBag, keys: DataKeys, options: FillVaultOptions = {}): Promise<number> {
  const id = `${process.pid}_${++counter}`;
  const src = `rlm_vault_src_${id}`;
  const enc = `rlm_vault_enc_${id}`;
  const pidParams = pidSqlParams(keys.pidKey);
  const bag: ParamBag = { ...params, pid_ipad: pidParams.ipad, pid_opad: pidParams.opad, vault_key_id: keys.vaultKeyId };
  const create = `CREATE TEMP TABLE ${src} AS
    SELECT pid, record, recorded_on, has_phone, ${phoneHashSqlExpression('digits')} AS phone_hash
    FROM (SELECT q.pid, ${RECORD_JSON} AS record, q.recorded_on, q.phone IS NOT NULL AS has_phone, ${normalisedPhoneSql('q.phone')} AS digits
          FROM (${sql}) q)`;
  await conn.run(create, paramsFor(create, bag));
  let encrypter: VaultEncrypter | undefined;
  try {
    const stats = (await conn.runAndReadAll(`SELECT count(*)::BIGINT AS n, count(pid)::BIGINT AS pids, coalesce(max(rowid), -1)::BIGINT AS hi FROM ${src}`)).getRowObjectsJS()[0];
    const n = Number(stats.n);
    if (Number(stats.pids) !== n) throw new Error(`vault: ${n - Number(stats.pids)} row(s) without a pid`);
    if (Number(stats.hi) !== n - 1) throw new Error(`vault: rows of ${src} are not numbered 0..${n - 1}`);
    if (n === 0) return 0;
    await conn.run(`CREATE TEMP TABLE ${enc} (lines BLOB)`);
    encrypter = new VaultEncrypter(keys.vaultKey, options.workers ?? (n < INLINE_BELOW ? 0 : defaultVaultWorkers()));
    const batchRows = options.batchRows ?? BATCH_ROWS;
    const moveRows = options.moveRows ?? MOVE_ROWS;
    let moved = 0; // rows [0, moved) are in wh.pii_vault
    let encrypted = 0; // rows [0, encrypted) are in `enc` or moved
    const move = async () => {
      if (encrypted === moved) return;
      const insert = `INSERT INTO wh.pii_vault
        SELECT s.pid, from_base64(split_part(e.line, chr(9), 2)), from_base64(split_part(e.line, chr(9), 3)), $vault_key_id,
               s.recorded_on, s.has_phone, s.phone_hash
        FROM (SELECT CAST(split_part(line, chr(9), 1) AS BIGINT) AS rn, line FROM (SELECT unnest(string_split(decode(lines), chr(10))) AS line FROM ${enc})) e
        JOIN ${src} s ON s.rowid = e.rn AND s.rowid >= $lo AND s.rowid < $hi
        ORDER BY e.rn`;
      const done = await conn.run(insert, paramsFor(insert, { ...bag, lo: BigInt(moved), hi: BigInt(encrypted) }));
      if (Number(done.rowsChanged) !== encrypted - moved) throw new Error(`vault: ${done.rowsChanged} records moved, expected ${encrypted - moved}`);
      await conn.run(`DELETE FROM ${enc}`);
      moved = encrypted;
    };
    const store = async (first: number, size: number, out: VaultBatchOutput) => {
      if (first !== encrypted || out.count !== size) throw new Error(`vault: batch at row ${first} came back with ${out.count} of ${size} records`);
      await conn.run(`INSERT INTO ${enc} VALUES ($lines)`, { lines: blobValue(out.lines) });
      encrypted = first + size;
      if (encrypted - moved >= moveRows) await move();
    };
    const inFlight: { first: number; size: number; out: Promise<VaultBatchOutput> }[] = [];
    for (let first = 0; first < n; first += batchRows) {
      const size = Math.min(batchRows, n - first);
      // rows in any order within the batch: each line carries its row
      const read = `SELECT count(*)::BIGINT AS n, encode(string_agg(rowid || chr(31) || pid || chr(31) || record, chr(10))) AS lines
        FROM ${src} WHERE rowid >= $lo AND rowid < $hi`;
      const reader = await conn.runAndReadAll(read, { lo: BigInt(first), hi: BigInt(first + size) });
      const [[count], [lines]] = reader.getColumns();
      if (Number(count) !== size) throw new Error(`vault: read ${count} rows at ${first}, expected ${size}`);
      const out = encrypter.encrypt({ lines: (lines as DuckDBBlobValue).bytes });
      out.catch(() => {}); // awaited in order below; a failure must not go unhandled meanwhile
      inFlight.push({ first, size, out });
      while (inFlight.length >= encrypter.capacity) {
        const next = inFlight.shift()!;
        await store(next.first, next.size, await next.out);
      }
    }
    while (inFlight.length) {
      const next = inFlight.shift()!;
      await store(next.first, next.size, await next.out);
    }
    await move();
    if (moved !== n) throw new Error(`vault: ${moved} of ${n} records written`);
    return n;
  } finally {
    await encrypter?.close();
    await conn.run(`DROP TABLE IF EXISTS temp.main.${enc}`);
    await conn.run(`DROP TABLE IF EXISTS temp.main.${src}`);
  }
}
