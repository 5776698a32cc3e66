import { describe, expect, test } from 'vitest';
import { DuckDBInstance } from '@duckdb/node-api';
import { createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pidOf, pidSqlExpression, pidSqlParams } from '../../../warehouse/vault/pid-hash.ts';
import { decryptPii, encryptPii, mergePiiRecords } from '../../../warehouse/vault/pii-vault.ts';
import { loadDataKeys } from '../../../warehouse/vault/data-keys.ts';
import { makeIdNumber } from '../../../warehouse/reference/id-number.ts';

describe('pid', () => {
  test('is HMAC-SHA256 of the normalised ID number, 128 bits, and the SQL expression computes the same', async () => {
    const key = randomBytes(32);
    const ids = Array.from({ length: 200 }, (_, i) => makeIdNumber('511702', `19${50 + (i % 50)}-0${1 + (i % 9)}-1${i % 9}`, i));
    expect(pidOf('51170219900512011x', key)).toBe(createHmac('sha256', key).update('51170219900512011X').digest('hex').slice(0, 32));
    const db = await DuckDBInstance.create(':memory:');
    const conn = await db.connect();
    await conn.run("SET TimeZone = 'Asia/Shanghai'");
    await conn.run('CREATE TABLE t (id VARCHAR)');
    for (const id of ids) await conn.run('INSERT INTO t VALUES ($id)', { id });
    const { ipad, opad } = pidSqlParams(key);
    const rows = (await conn.runAndReadAll(`SELECT id, ${pidSqlExpression('id')} AS pid FROM t`, { pid_ipad: ipad, pid_opad: opad })).getRowObjectsJS();
    expect(rows).toHaveLength(ids.length);
    for (const r of rows) expect(r.pid).toBe(pidOf(String(r.id), key));
    expect(new Set(rows.map((r) => r.pid)).size).toBe(ids.length);
    conn.closeSync();
    db.closeSync();
  });
});

describe('PII vault', () => {
  test('round-trips, uses a fresh nonce per record, and fails for another pid or key', () => {
    const key = randomBytes(32);
    const rec = { id_number: '51170219900512011X', name: '张三丰', phone: '13812345671' };
    const a = encryptPii(rec, 'p1', key);
    const b = encryptPii(rec, 'p1', key);
    expect(a.nonce.length).toBe(12);
    expect(a.nonce.equals(b.nonce)).toBe(false);
    expect(a.ciphertext.equals(b.ciphertext)).toBe(false);
    expect(a.ciphertext.includes(Buffer.from('张三丰'))).toBe(false);
    expect(decryptPii(a, 'p1', key)).toEqual(rec);
    expect(() => decryptPii(a, 'p2', key)).toThrow();
    expect(() => decryptPii(a, 'p1', randomBytes(32))).toThrow();
    const tampered = Buffer.from(a.ciphertext);
    tampered[0] ^= 1;
    expect(() => decryptPii({ nonce: a.nonce, ciphertext: tampered }, 'p1', key)).toThrow();
  });

  test('partial records merge in order', () => {
    expect(mergePiiRecords([{ id_number: '1', name: 'a', phone: 'x' }, { phone: 'y' }, { name: 'b' }])).toEqual({ id_number: '1', name: 'b', phone: 'y' });
  });
});

describe('data keys', () => {
  test('created once with 0600, stable across loads, overridable by environment', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rlm-keys-'));
    try {
      delete process.env.RLM_PID_KEY;
      delete process.env.RLM_VAULT_KEY;
      const k1 = loadDataKeys(dir);
      const k2 = loadDataKeys(dir);
      expect(k1.pidKey.equals(k2.pidKey)).toBe(true);
      expect(k1.pidKey.equals(k1.vaultKey)).toBe(false);
      expect(statSync(join(dir, 'keys', 'pid.key')).mode & 0o777).toBe(0o600);
      process.env.RLM_PID_KEY = 'ab'.repeat(32);
      expect(loadDataKeys(dir).pidKey.toString('hex')).toBe('ab'.repeat(32));
      process.env.RLM_PID_KEY = 'xyz';
      expect(() => loadDataKeys(dir)).toThrow(/RLM_PID_KEY/);
      delete process.env.RLM_PID_KEY;
      writeFileSync(join(dir, 'keys', 'vault.key'), 'short');
      expect(() => loadDataKeys(dir)).toThrow(/32 bytes/);
    } finally {
      delete process.env.RLM_PID_KEY;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
