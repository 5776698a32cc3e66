/**
 * A data folder whose published warehouse is the hand-made build of
 * tests/warehouse/quality/hand-made-build.ts, with real vault records (names, ID numbers,
 * phones encrypted under the folder's key; p01-p05 share one phone) and the quality
 * tables built with the keys, so that masking and the shared-phone check run for real.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { blobValue } from '@duckdb/node-api';
import { createHandMadeBuild, PERSONS } from '../warehouse/quality/hand-made-build.ts';
import { buildQualityTables } from '../../warehouse/quality/build-quality-tables.ts';
import { loadDataKeys } from '../../warehouse/vault/data-keys.ts';
import { encryptPii } from '../../warehouse/vault/pii-vault.ts';
import { makeIdNumber } from '../../warehouse/reference/id-number.ts';

export interface HandMadeIdentity {
  readonly idNumber: string;
  readonly name: string;
  readonly phone: string;
}

/** Plaintext identities of the hand-made persons (for checking masks and byte scans). */
export const IDENTITIES: Readonly<Record<string, HandMadeIdentity>> = Object.fromEntries(
  [...PERSONS.map((p) => [p[0], p[1], p[4]] as const), ['p12', '511703001001', '1980-01-01'] as const, ['X1', '511703001002', '1975-05-05'] as const].map(([pid, village, birth], i) => [
    pid,
    {
      idNumber: makeIdNumber(village.slice(0, 6), birth, 101 + 2 * i),
      name: ['王小明', '李建国', '张三', '刘德华', '陈一', '杨二丫', '赵钱孙', '周吴', '吴郑王', '郑冯', '孙陈诸', '欧阳娜娜', '卫蒋'][i],
      phone: i < 5 ? '13800001111' : `1390000${String(2000 + i)}`,
    },
  ]),
);

export async function handMadeDataDir(): Promise<string> {
  const dataDir = mkdtempSync(join(tmpdir(), 'rlm-dq-'));
  const keys = loadDataKeys(dataDir);
  const builds = join(dataDir, 'warehouse', 'builds');
  mkdirSync(builds, { recursive: true });
  const { instance, conn } = await createHandMadeBuild(join(builds, 'dq-1.duckdb'));
  for (const [pid, who] of Object.entries(IDENTITIES)) {
    const enc = encryptPii({ id_number: who.idNumber, name: who.name, phone: who.phone }, pid, keys.vaultKey);
    await conn.run('INSERT INTO pii_vault VALUES ($pid, $nonce, $ct, $kid, DATE \'2025-01-01\')', {
      pid,
      nonce: blobValue(enc.nonce),
      ct: blobValue(enc.ciphertext),
      kid: keys.vaultKeyId,
    });
  }
  await buildQualityTables(conn, { keys });
  await conn.run('CHECKPOINT');
  conn.closeSync();
  instance.closeSync();
  writeFileSync(join(dataDir, 'warehouse', 'CURRENT'), JSON.stringify({ version: 'dq-1', file: 'dq-1.duckdb', publishedAt: '2025-04-01T02:00:00Z', dataAsOf: '2025-03-31' }));
  return dataDir;
}
