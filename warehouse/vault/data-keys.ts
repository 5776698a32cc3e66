/**
 * The two secrets of a data folder: pid.key (keyed hash of ID numbers) and vault.key
 * (AES-256-GCM of the PII vault). Each is 32 random bytes in data/keys/, created on
 * first use with mode 0600 in a 0700 folder; the environment variables RLM_PID_KEY and
 * RLM_VAULT_KEY (64 hex characters) override the files.
 */
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, writeSync, fsyncSync } from 'node:fs';
import { join } from 'node:path';

export interface DataKeys {
  /** Secret of the keyed pid hash. */
  readonly pidKey: Buffer;
  /** AES-256-GCM key of the PII vault. */
  readonly vaultKey: Buffer;
  /** Short public identifier of the vault key (first 16 hex of SHA-256 of the key), stored with each record. */
  readonly vaultKeyId: string;
}

export const keysDir = (dataDir: string): string => join(dataDir, 'keys');

function keyFromEnv(name: string): Buffer | undefined {
  const v = process.env[name];
  if (v === undefined || v === '') return undefined;
  if (!/^[0-9a-fA-F]{64}$/.test(v)) throw new Error(`${name} must be 64 hexadecimal characters (32 bytes)`);
  return Buffer.from(v, 'hex');
}

function keyFromFile(dir: string, name: string): Buffer {
  const file = join(dir, name);
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    chmodSync(dir, 0o700);
    let fd: number;
    try {
      fd = openSync(file, 'wx', 0o600); // O_EXCL: two first runs never write two different keys
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      return keyFromFile(dir, name);
    }
    try {
      writeSync(fd, randomBytes(32));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }
  const key = readFileSync(file);
  if (key.length !== 32) throw new Error(`${file} must hold exactly 32 bytes (found ${key.length}); restore it from backup`);
  return key;
}

/** Reads (creating on first use) the keys of a data folder. */
export function loadDataKeys(dataDir: string): DataKeys {
  const dir = keysDir(dataDir);
  const pidKey = keyFromEnv('RLM_PID_KEY') ?? keyFromFile(dir, 'pid.key');
  const vaultKey = keyFromEnv('RLM_VAULT_KEY') ?? keyFromFile(dir, 'vault.key');
  return { pidKey, vaultKey, vaultKeyId: createHash('sha256').update(vaultKey).digest('hex').slice(0, 16) };
}
