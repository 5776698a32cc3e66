/**
 * Phone hashes from the vault: each person's latest phone (records without a phone keep
 * the earlier one), collectors' records left out, keyed (another key, other hashes), the
 * same result whatever the read batch size; from the hash columns fillVault writes, the
 * same table without decrypting.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { blobValue, DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { buildPhoneHashes, phoneHashesFromVaultColumns } from '../../../warehouse/quality/phone-hashes.ts';
import { normalisePhone, phoneHash } from '../../../warehouse/vault/phone-hash.ts';
import { buildQualityTables } from '../../../warehouse/quality/build-quality-tables.ts';
import { createHandMadeBuild } from './hand-made-build.ts';
import { catalogTables } from '../../../warehouse/quality/quality-build-context.ts';
import { DEFAULT_QUALITY_SETTINGS } from '../../../warehouse/quality/quality-settings.ts';
import { encryptPii, type PiiRecord } from '../../../warehouse/vault/pii-vault.ts';
import { fillVault } from '../../../warehouse/vault/fill-vault.ts';
import { warehouseDdl } from '../../../warehouse/schema/warehouse-schema.ts';

const vaultKey = randomBytes(32);
const pidKey = randomBytes(32);
let instance: DuckDBInstance;
let conn: DuckDBConnection;
const put = async (pid: string, rec: PiiRecord, day: string) => {
  const e = encryptPii(rec, pid, vaultKey);
  await conn.run('INSERT INTO pii_vault VALUES ($pid, $n, $c, $k, CAST($d AS DATE))', { pid, n: blobValue(e.nonce), c: blobValue(e.ciphertext), k: 'k', d: day });
};
const ctx = () => ({ conn, t: catalogTables(undefined), settings: DEFAULT_QUALITY_SETTINGS, dataAsOf: '2025-03-31', firstMonth: '2025-01', lastMonth: '2025-03' });

beforeAll(async () => {
  instance = await DuckDBInstance.create(':memory:');
  conn = await instance.connect();
  await conn.run('CREATE TABLE pii_vault (pid VARCHAR NOT NULL, nonce BLOB NOT NULL, ciphertext BLOB NOT NULL, key_id VARCHAR NOT NULL, recorded_on DATE NOT NULL)');
  await put('a', { id_number: 'x', name: '甲', phone: '138 0000 1111' }, '2025-01-01');
  await put('a', { name: '甲乙' }, '2025-02-01'); // no phone: the earlier one stays
  await put('b', { id_number: 'y', name: '乙', phone: '13800001111' }, '2025-01-01');
  await put('b', { phone: '+86 139-0000-2222' }, '2025-03-01'); // changed later
  await put('c', { id_number: 'z', name: '丙' }, '2025-01-01'); // never a phone
  await put('point:CJ1', { name: '采集员', phone: '13800001111' }, '2025-01-01'); // a collector: left out
  for (let i = 0; i < 7; i++) await put(`m${i}`, { id_number: `m${i}`, name: '某', phone: '13700000000' }, '2025-01-01');
});
afterAll(() => {
  conn?.closeSync();
  instance?.closeSync();
});

async function table(): Promise<Record<string, string>> {
  const r = await conn.runAndReadAll('SELECT pid, phone_hash FROM dq_phone_hashes ORDER BY pid');
  return Object.fromEntries(r.getRowObjectsJS().map((x) => [String(x.pid), String(x.phone_hash)]));
}

test('latest phone per person, normalised and keyed; collectors left out; rebuilt the same; no temporary file left', async () => {
  const temp = mkdtempSync(join(tmpdir(), 'rlm-phone-test-'));
  expect(await buildPhoneHashes(ctx(), { pidKey, vaultKey }, temp)).toBe(9);
  expect(readdirSync(temp)).toEqual([]);
  rmSync(temp, { recursive: true });
  const small = await table();
  expect(await buildPhoneHashes(ctx(), { pidKey, vaultKey })).toBe(9);
  expect(await table()).toEqual(small);
  expect(small.a).toBe(phoneHash('13800001111', pidKey));
  expect(small.b).toBe(phoneHash('13900002222', pidKey));
  expect(small.c).toBeUndefined();
  expect(small['point:CJ1']).toBeUndefined();
  expect(small.m0).toBe(small.m6);
  expect(phoneHash('13800001111', randomBytes(32))).not.toBe(small.a);
  expect(normalisePhone('+86 139-0000-2222')).toBe('13900002222');
  expect(normalisePhone('12')).toBeUndefined();
});

test('a later build decrypts only the persons with new vault records, and gives what a full build gives', async () => {
  await buildPhoneHashes(ctx(), { pidKey, vaultKey });
  // new records: a changes phone, n is a new person; the vault records of m3 are made
  // unreadable, so any attempt to decrypt them (a full rebuild) fails
  await put('a', { phone: '13600003333' }, '2025-04-01');
  await put('n', { id_number: 'n', name: '丁', phone: '13700000000' }, '2025-04-01');
  await conn.run("CREATE TABLE m3_saved AS SELECT * FROM pii_vault WHERE pid = 'm3'");
  await conn.run("UPDATE pii_vault SET ciphertext = ciphertext || '\\x00'::BLOB WHERE pid = 'm3'");
  expect(await buildPhoneHashes(ctx(), { pidKey, vaultKey })).toBe(10);
  const incremental = await table();
  expect(incremental.a).toBe(phoneHash('13600003333', pidKey));
  expect(incremental.n).toBe(incremental.m0);
  expect(incremental.b).toBe(phoneHash('13900002222', pidKey));
  // the same as a full build from scratch over the intact vault
  await conn.run("DELETE FROM pii_vault WHERE pid = 'm3'");
  await conn.run('INSERT INTO pii_vault SELECT * FROM m3_saved');
  await conn.run('DROP TABLE dq_phone_hashes');
  expect(await buildPhoneHashes(ctx(), { pidKey, vaultKey })).toBe(10);
  expect(await table()).toEqual(incremental);
  const counts = await conn.runAndReadAll("SELECT records FROM dq_phone_vault_counts WHERE pid = 'a'");
  expect(counts.getRowObjectsJS()[0].records).toBe(3);
});

test('hashes made with another key are rebuilt, not extended', async () => {
  await buildPhoneHashes(ctx(), { pidKey, vaultKey });
  const old = Object.values(await table());
  const otherKey = randomBytes(32);
  await put('o', { id_number: 'o', name: '戊', phone: '13500004444' }, '2025-05-01');
  expect(await buildPhoneHashes(ctx(), { pidKey: otherKey, vaultKey })).toBe(11);
  const rebuilt = await table();
  expect(rebuilt.b).toBe(phoneHash('13900002222', otherKey));
  expect(rebuilt.o).toBe(phoneHash('13500004444', otherKey));
  for (const h of Object.values(rebuilt)) expect(old).not.toContain(h);
});

test('with phone hashes in the vault the check needs no keys and decrypts nothing', async () => {
  const { instance: i2, conn: c2 } = await createHandMadeBuild();
  try {
    await c2.run('ALTER TABLE pii_vault ADD COLUMN has_phone BOOLEAN');
    await c2.run('ALTER TABLE pii_vault ADD COLUMN phone_hash VARCHAR');
    // p01-p05 share one phone, p06 another; the ciphertexts are garbage, never decrypted
    for (const [i, pid] of ['p01', 'p02', 'p03', 'p04', 'p05', 'p06'].entries()) {
      await c2.run("INSERT INTO pii_vault VALUES ($pid, '\\x00'::BLOB, '\\x00'::BLOB, 'k', DATE '2025-01-01', true, $h)", { pid, h: i < 5 ? 'aaaa' : 'bbbb' });
    }
    const s = await buildQualityTables(c2);
    expect(s.phoneHashes).toBe(6);
    expect(s.steps.map((x) => x.step)).toContain('phone_hashes_vault_column');
    expect(s.steps.map((x) => x.step)).not.toContain('phone_hashes_vault');
    const r = await c2.runAndReadAll("SELECT list(pid ORDER BY pid) AS pids FROM dq_person_findings WHERE check_id = 'shared_phone'");
    expect(r.getRowObjectsJS()[0].pids).toEqual(['p01', 'p02', 'p03', 'p04', 'p05']);
  } finally {
    c2.closeSync();
    i2.closeSync();
  }
});

test('a vault written by fillVault carries the phone hash of every record: the same table as decrypting, without decrypting', async () => {
  const i3 = await DuckDBInstance.create(':memory:');
  const c3 = await i3.connect();
  try {
    await c3.run("ATTACH ':memory:' AS wh");
    for (const ddl of warehouseDdl('wh')) await c3.run(ddl);
    await c3.run('CREATE TABLE src (seq INTEGER, pid VARCHAR, id_number VARCHAR, name VARCHAR, phone VARCHAR, recorded_on DATE)');
    const rows: [string, string | null, string | null, string][] = [
      ['a', '甲', '138 0000 1111', '2025-01-01'],
      ['a', '甲乙', null, '2025-02-01'], // no phone: the earlier one stays
      ['b', '乙', '13800001111', '2025-01-01'],
      ['b', null, '+86 139-0000-2222', '2025-03-01'], // changed later
      ['c', '丙', null, '2025-01-01'], // never a phone
      ['u', '丁', '13800001111', '2025-01-01'],
      ['u', null, '12', '2025-02-01'], // the latest phone is no usable number: no hash
      ['s', '戊', '13700000000', '2025-01-01'],
      ['s', null, '13600000000', '2025-01-01'], // same day, written later: this one
      ['point:CJ1', '采集员', '13800001111', '2025-01-01'], // a collector: left out
    ];
    for (const [seq, [pid, name, phone, day]] of rows.entries()) {
      await c3.run('INSERT INTO src VALUES ($seq, $pid, $id, $name, $phone, CAST($day AS DATE))', { seq, pid, id: `id-${pid}`, name, phone, day });
    }
    // one fillVault call per record, in order, as successive loads write them
    for (let seq = 0; seq < rows.length; seq++) {
      await fillVault(c3, 'SELECT pid, id_number, name, phone, recorded_on FROM src WHERE seq = $seq', { seq }, { pidKey, vaultKey, vaultKeyId: 'k' });
    }
    const ctx3 = { ...ctx(), conn: c3, t: catalogTables('wh') };
    const read = async () =>
      Object.fromEntries((await c3.runAndReadAll('SELECT pid, phone_hash FROM wh.dq_phone_hashes ORDER BY pid')).getRowObjectsJS().map((x) => [String(x.pid), String(x.phone_hash)]));
    expect(await phoneHashesFromVaultColumns(ctx3)).toBe(3);
    const fromColumns = await read();
    expect(fromColumns).toEqual({
      a: phoneHash('13800001111', pidKey),
      b: phoneHash('13900002222', pidKey),
      s: phoneHash('13600000000', pidKey),
    });
    // decrypting gives the same table
    await c3.run('DROP TABLE wh.dq_phone_hashes');
    expect(await buildPhoneHashes(ctx3, { pidKey, vaultKey })).toBe(3);
    expect(await read()).toEqual(fromColumns);
    // the columns path never decrypts: unreadable ciphertexts change nothing
    await c3.run("UPDATE wh.pii_vault SET ciphertext = ciphertext || '\\x00'::BLOB");
    expect(await phoneHashesFromVaultColumns(ctx3)).toBe(3);
    expect(await read()).toEqual(fromColumns);
    // a record written before the columns existed (has_phone NULL): the decryption pass is needed
    await c3.run("UPDATE wh.pii_vault SET has_phone = NULL, phone_hash = NULL WHERE pid = 'c'");
    expect(await phoneHashesFromVaultColumns(ctx3)).toBeNull();
  } finally {
    c3.closeSync();
    i3.closeSync();
  }
});
