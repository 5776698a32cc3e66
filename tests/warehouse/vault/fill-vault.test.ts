/**
 * fillVault on worker threads and inline: every accepted row becomes one vault record that
 * decrypts (under its own pid) to exactly its fields, with a fresh nonce, has_phone and the
 * keyed phone hash (computed in SQL, equal to the JavaScript one); batches and moves of any
 * size give the same records.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { randomBytes } from 'node:crypto';
import { fillVault } from '../../../warehouse/vault/fill-vault.ts';
import { decryptPii } from '../../../warehouse/vault/pii-vault.ts';
import { normalisedPhoneSql, normalisePhone, phoneHash, phoneHashSqlExpression } from '../../../warehouse/vault/phone-hash.ts';
import { pidSqlParams } from '../../../warehouse/vault/pid-hash.ts';
import { VaultEncrypter } from '../../../warehouse/vault/vault-encrypter.ts';
import type { DataKeys } from '../../../warehouse/vault/data-keys.ts';

const N = 27_001; // not a multiple of the batch sizes
const keys: DataKeys = { pidKey: randomBytes(32), vaultKey: randomBytes(32), vaultKeyId: 'k-test' } as DataKeys;

let db: DuckDBInstance;
let conn: DuckDBConnection;
beforeAll(async () => {
  db = await DuckDBInstance.create(':memory:');
  conn = await db.connect();
  await conn.run("ATTACH ':memory:' AS wh");
  await conn.run('CREATE TABLE wh.pii_vault (pid VARCHAR NOT NULL, nonce BLOB NOT NULL, ciphertext BLOB NOT NULL, key_id VARCHAR NOT NULL, recorded_on DATE NOT NULL, has_phone BOOLEAN, phone_hash VARCHAR)');
  // Rows with every combination of missing fields, Chinese names, names with quotes, backslashes, control characters
  // (the batch separators among them) and non-BMP characters, phones with and without +86, too short.
  await conn.run(`CREATE TABLE src AS SELECT
      'p' || i AS pid,
      CASE WHEN i % 7 = 0 THEN NULL ELSE '5117021990' || lpad((i % 100000)::VARCHAR, 8, '0') END AS id_number,
      CASE WHEN i % 11 = 0 THEN NULL WHEN i % 13 = 0 THEN '王"\\' || chr(10) || chr(9) || chr(31) || '𝟏' || i ELSE '张' || chr(19968 + (i % 500)::INTEGER) END AS name,
      CASE WHEN i % 5 = 0 THEN NULL WHEN i % 5 = 1 THEN '+86 138' || lpad(i::VARCHAR, 8, '0') WHEN i % 5 = 2 THEN '12-34' ELSE '139' || lpad(i::VARCHAR, 8, '0') END AS phone,
      DATE '2025-09-30' + (i % 30)::INTEGER AS recorded_on
    FROM range(${N}) t(i)`);
});
afterAll(() => {
  conn?.closeSync();
  db?.closeSync();
});

async function vaultRows(): Promise<Record<string, unknown>[]> {
  return (await conn.runAndReadAll('SELECT v.*, s.id_number, s.name, s.phone, s.recorded_on AS src_recorded FROM wh.pii_vault v JOIN src s USING (pid)')).getRowObjectsJS();
}

describe('fillVault', () => {
  const variants = [
    { label: '2 worker threads, several moves', options: { workers: 2, batchRows: 3_000, moveRows: 10_000 } },
    { label: '1 worker thread, default batches', options: { workers: 1 } },
    { label: 'inline', options: { workers: 0, batchRows: 5_000 } },
    { label: 'default (inline below 100,000 rows)', options: {} },
  ];
  for (const { label, options } of variants) {
    test(`${label}: one record per row, each decrypts to its fields with its keyed phone hash`, async () => {
      await conn.run('DELETE FROM wh.pii_vault');
      const n = await fillVault(conn, 'SELECT pid, id_number, name, phone, recorded_on FROM src', {}, keys, options);
      expect(n).toBe(N);
      const rows = await vaultRows();
      expect(rows).toHaveLength(N);
      expect(new Set(rows.map((r) => r.pid)).size).toBe(N);
      const nonces = new Set<string>();
      for (const r of rows) {
        const rec = decryptPii({ nonce: r.nonce as Uint8Array, ciphertext: r.ciphertext as Uint8Array }, String(r.pid), keys.vaultKey);
        const want: Record<string, string> = {};
        if (r.id_number !== null) want.id_number = String(r.id_number);
        if (r.name !== null) want.name = String(r.name);
        if (r.phone !== null) want.phone = String(r.phone);
        expect(rec).toEqual(want);
        expect(r.key_id).toBe('k-test');
        expect(r.recorded_on).toEqual(r.src_recorded);
        expect(r.has_phone).toBe(r.phone !== null);
        const digits = r.phone === null ? undefined : normalisePhone(String(r.phone));
        expect(r.phone_hash).toBe(digits ? phoneHash(digits, keys.pidKey) : null);
        nonces.add(Buffer.from(r.nonce as Uint8Array).toString('hex'));
      }
      expect(nonces.size).toBe(N);
      // a record moved to another pid does not decrypt
      expect(() => decryptPii({ nonce: rows[0].nonce as Uint8Array, ciphertext: rows[0].ciphertext as Uint8Array }, String(rows[1].pid), keys.vaultKey)).toThrow();
      const temps = await conn.runAndReadAll(`SELECT count(*)::INTEGER AS n FROM duckdb_tables() WHERE temporary AND table_name LIKE 'rlm_vault_%'`);
      expect(temps.getRowObjectsJS()[0].n).toBe(0);
    }, 120_000);
  }

  test('an empty query writes nothing', async () => {
    await conn.run('DELETE FROM wh.pii_vault');
    expect(await fillVault(conn, 'SELECT pid, id_number, name, phone, recorded_on FROM src WHERE false', {}, keys, { workers: 2 })).toBe(0);
    expect((await conn.runAndReadAll('SELECT count(*)::INTEGER AS n FROM wh.pii_vault')).getRowObjectsJS()[0].n).toBe(0);
  });

  test('a worker failure fails the load with the reason and leaves no temporary tables', async () => {
    await conn.run('DELETE FROM wh.pii_vault');
    const bad = { ...keys, vaultKey: randomBytes(31) } as DataKeys;
    await expect(fillVault(conn, 'SELECT pid, id_number, name, phone, recorded_on FROM src', {}, bad, { workers: 2, batchRows: 4_000 })).rejects.toThrow(
      /vault encryption failed: vault key must be 32 bytes/,
    );
    const temps = await conn.runAndReadAll(`SELECT count(*)::INTEGER AS n FROM duckdb_tables() WHERE temporary AND table_name LIKE 'rlm_vault_%'`);
    expect(temps.getRowObjectsJS()[0].n).toBe(0);
  });

  test('VaultEncrypter returns each batch in the order sent, and refuses a line that is not <row> US <pid> US <record>', async () => {
    const enc = new VaultEncrypter(keys.vaultKey, 2);
    const bytes = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'));
    try {
      const batch = (k: number) => ({ lines: bytes(`${10 * k + 1}\u001fp${k}\u001f{"name":"n${k}张𝟏"}\n${10 * k}\u001fp${k}b\u001f{}`) });
      const outs = await Promise.all([0, 1, 2, 3, 4].map((k) => enc.encrypt(batch(k))));
      outs.forEach((o, k) => {
        expect(o.count).toBe(2);
        const [a, b] = Buffer.from(o.lines).toString('latin1').split('\n').map((l) => l.split('\t'));
        expect([a[0], b[0]]).toEqual([String(10 * k + 1), String(10 * k)]);
        const open = (f: string[], pid: string) => decryptPii({ nonce: Buffer.from(f[1], 'base64'), ciphertext: Buffer.from(f[2], 'base64') }, pid, keys.vaultKey);
        expect(open(a, `p${k}`)).toEqual({ name: `n${k}张𝟏` });
        expect(open(b, `p${k}b`)).toEqual({});
      });
      for (const [bad, line] of [
        ['1\u001fp1\u001f{}\n2\u001fp\t2\u001f{}', 2],
        ['1\u001fp1\u001f{}\nx\u001fp2\u001f{}', 2],
        ['1\u001f\u001f{}', 1],
        ['1\u001fp1{}', 1],
        ['1\u001fp1\u001f{}\u001f', 1],
      ] as const) {
        await expect(enc.encrypt({ lines: bytes(bad) })).rejects.toThrow(new RegExp(`line ${line} is not <row> US <pid> US <record JSON>`));
      }
    } finally {
      await enc.close();
    }
  });
});

describe('phone hash in SQL', () => {
  test('equals normalisePhone + phoneHash for every kind of phone text', async () => {
    const phones = [
      '13812345678', '+86 138 1234 5678', '8613812345678', '86-138-1234-5678', '008613812345678', '(028) 8765-4321', '12-34', '123456', '1234567',
      '８６１３８１２３４５６７８', '１３８１２３４５６７８', '电话13812345678', '861381234567', '86138123456789', '138\u00a01234\u00a05678', '𝟏𝟑𝟖12345678', '',
    ];
    const p = pidSqlParams(keys.pidKey);
    const sql = `SELECT v AS phone, ${phoneHashSqlExpression('d')} AS h FROM (SELECT v, ${normalisedPhoneSql('v')} AS d FROM unnest($phones) t(v))`;
    const { listValue, LIST, VARCHAR } = await import('@duckdb/node-api');
    const rows = (await conn.runAndReadAll(sql, { phones: listValue(phones), pid_ipad: p.ipad, pid_opad: p.opad }, { phones: LIST(VARCHAR) })).getRowObjectsJS();
    expect(rows).toHaveLength(phones.length);
    for (const r of rows) {
      const digits = normalisePhone(String(r.phone));
      expect({ phone: r.phone, h: r.h }).toEqual({ phone: r.phone, h: digits ? phoneHash(digits, keys.pidKey) : null });
    }
    expect(rows.filter((r) => r.h !== null).length).toBeGreaterThan(5);
  });
});
