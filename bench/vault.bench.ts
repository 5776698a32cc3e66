/**
 * Vault-fill benchmark (issue 3: the personal-data pass of every large load): `fillVault`
 * of this commit against the one of a baseline commit, on the same synthetic records.
 *
 *   npx tsx bench/vault.bench.ts [--records 1000000] [--runs 3] [--baseline 5fe0e11] [--workers N]
 *
 * The records look like a persons export's (18-character ID numbers, 2-3-character Chinese
 * names, 11-digit phones, a tenth without a phone, some written +86 …), the pid computed
 * in the staging query as the loads do. The baseline is warehouse/vault/fill-vault.ts at
 * --baseline (default 5fe0e11: encryption and phone hashes on the main thread, values read,
 * converted and appended one by one), extracted with `git show` into bench/out/ and imported
 * as is. Each run empties the vault and times each implementation (wall, and CPU of this
 * process including DuckDB's and the workers' threads); old and new alternate, swapping which
 * goes first. After the first run the two vaults are compared: the same (pid, recorded_on,
 * has_phone, phone_hash) rows (EXCEPT ALL both ways), and 2,000 sampled records of each
 * decrypt to the same fields. A difference fails the bench.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { parseArgs, type Options } from '../engine/commands/args.ts';
import { fillVault, INLINE_BELOW } from '../warehouse/vault/fill-vault.ts';
import { defaultVaultWorkers } from '../warehouse/vault/vault-encrypter.ts';
import { decryptPii } from '../warehouse/vault/pii-vault.ts';
import { pidSqlExpression, pidSqlParams } from '../warehouse/vault/pid-hash.ts';
import type { DataKeys } from '../warehouse/vault/data-keys.ts';
import type { ParamBag } from '../warehouse/model/named-params.ts';

const OPTIONS = {
  records: { type: 'int', description: 'synthetic records', default: 1_000_000 },
  runs: { type: 'int', description: 'timed runs (each times old and new)', default: 3 },
  baseline: { type: 'string', description: 'commit whose fill-vault.ts is the baseline', default: '5fe0e11' },
  workers: { type: 'int', description: "worker threads of the new fillVault (default: fillVault's, inline below 100,000 records)" },
} satisfies Options;

type Fill = (conn: DuckDBConnection, sql: string, params: ParamBag, keys: DataKeys) => Promise<number>;

const args = parseArgs(process.argv.slice(2), OPTIONS);
const ROOT = resolve(import.meta.dirname, '..');
const OUT = join(ROOT, 'bench', 'out');
mkdirSync(OUT, { recursive: true });

/** The baseline's fill-vault.ts, and its batch reader (removed since), from `git show`. */
async function baselineFill(rev: string): Promise<Fill> {
  const show = (path: string) => execFileSync('git', ['show', `${rev}:${path}`], { cwd: ROOT, encoding: 'utf8' });
  writeFileSync(join(OUT, `read-in-batches-${rev}.ts`), show('warehouse/refresh/read-in-batches.ts'));
  const src = show('warehouse/vault/fill-vault.ts')
    .replaceAll("from '../refresh/read-in-batches.ts'", `from './read-in-batches-${rev}.ts'`)
    .replaceAll("from '../", "from '../../warehouse/")
    .replaceAll("from './pii-vault", "from '../../warehouse/vault/pii-vault")
    .replaceAll("from './phone-hash", "from '../../warehouse/vault/phone-hash")
    .replaceAll("from './data-keys", "from '../../warehouse/vault/data-keys");
  const file = join(OUT, `fill-vault-${rev}.ts`);
  writeFileSync(file, src);
  return ((await import(file)) as { fillVault: Fill }).fillVault;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const keys: DataKeys = { pidKey: randomBytes(32), vaultKey: randomBytes(32), vaultKeyId: 'bench' } as DataKeys;
const pid = pidSqlParams(keys.pidKey);
const params: ParamBag = { pid_ipad: pid.ipad, pid_opad: pid.opad };
const QUERY = `SELECT ${pidSqlExpression('id_number')} AS pid, id_number, name, phone, recorded_on FROM bench_src`;

const old = await baselineFill(args.baseline);
const workers = args.workers ?? (args.records < INLINE_BELOW ? 0 : defaultVaultWorkers()); // fillVault's own default
const implementations: [string, Fill][] = [
  [`old (${args.baseline})`, old],
  [`new (${workers} workers)`, (c, s, p, k) => fillVault(c, s, p, k, { workers })],
];

const instance = await DuckDBInstance.create(':memory:', { memory_limit: '8GB', preserve_insertion_order: 'true' });
const conn = await instance.connect();
const vaultDdl = `(pid VARCHAR NOT NULL, nonce BLOB NOT NULL, ciphertext BLOB NOT NULL, key_id VARCHAR NOT NULL, recorded_on DATE NOT NULL, has_phone BOOLEAN, phone_hash VARCHAR)`;
await conn.run(`ATTACH ':memory:' AS wh`);
await conn.run(`CREATE TABLE wh.pii_vault ${vaultDdl}`);
for (const k of ['o', 'n']) await conn.run(`CREATE TABLE keep_${k} ${vaultDdl}`);
await conn.run(`CREATE TABLE bench_src AS SELECT
    '51' || lpad((i % 10000)::VARCHAR, 4, '0') || (1950 + i % 50)::VARCHAR || lpad((1 + i % 12)::VARCHAR, 2, '0') || lpad((1 + i % 28)::VARCHAR, 2, '0')
      || lpad((i // 1000 % 1000)::VARCHAR, 3, '0') || (i % 10)::VARCHAR AS id_number,
    chr(19968 + (i * 7919 % 20000)::INTEGER) || chr(19968 + (i * 104729 % 20000)::INTEGER) || CASE WHEN i % 3 = 0 THEN chr(19968 + (i % 20000)::INTEGER) ELSE '' END AS name,
    CASE WHEN i % 10 = 0 THEN NULL WHEN i % 17 = 0 THEN '+86 13' || lpad((i % 1000000000)::VARCHAR, 9, '0') ELSE '13' || lpad((i % 1000000000)::VARCHAR, 9, '0') END AS phone,
    DATE '2025-09-30' AS recorded_on
  FROM range(${args.records}) t(i)`);

console.log(`vault bench: ${args.records.toLocaleString('en')} records, ${args.runs} runs, ${cpus().length} cores, ${cpus()[0]?.model}, Node ${process.version}`);
const times = new Map<string, { wall: number[]; cpu: number[] }>(implementations.map(([name]) => [name, { wall: [], cpu: [] }]));
for (let run = 1; run <= args.runs; run++) {
  const order = run % 2 === 1 ? implementations : [...implementations].reverse();
  for (const [name, fill] of order) {
    await conn.run('DELETE FROM wh.pii_vault');
    await conn.run('CHECKPOINT');
    const load = loadavg()[0].toFixed(2);
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const n = await fill(conn, QUERY, params, keys);
    const cpu = process.cpuUsage(c0);
    const wall = (performance.now() - t0) / 1000;
    if (n !== args.records) throw new Error(`${name}: ${n} records, expected ${args.records}`);
    times.get(name)!.wall.push(wall);
    times.get(name)!.cpu.push((cpu.user + cpu.system) / 1e6);
    console.log(`run ${run} ${name}: ${wall.toFixed(1)} s wall, ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s CPU (load before ${load})`);
    if (run === 1) await conn.run(`INSERT INTO keep_${name.startsWith('old') ? 'o' : 'n'} SELECT * FROM wh.pii_vault`);
  }
  if (run === 1) await compare();
}

async function compare(): Promise<void> {
  const diff = await conn.runAndReadAll(`SELECT
      (SELECT count(*) FROM (SELECT pid, recorded_on, has_phone, phone_hash FROM keep_o EXCEPT ALL SELECT pid, recorded_on, has_phone, phone_hash FROM keep_n))::INTEGER AS a,
      (SELECT count(*) FROM (SELECT pid, recorded_on, has_phone, phone_hash FROM keep_n EXCEPT ALL SELECT pid, recorded_on, has_phone, phone_hash FROM keep_o))::INTEGER AS b`);
  const { a, b } = diff.getRowObjectsJS()[0];
  if (a !== 0 || b !== 0) throw new Error(`the vaults differ: ${a} rows only in old, ${b} only in new`);
  const sample = (
    await conn.runAndReadAll(`SELECT o.pid, o.nonce AS on_, o.ciphertext AS oc, n.nonce AS nn, n.ciphertext AS nc
      FROM (SELECT * FROM keep_o USING SAMPLE 2000 ROWS) o JOIN keep_n n USING (pid)`)
  ).getRowObjectsJS();
  for (const r of sample) {
    const a1 = decryptPii({ nonce: r.on_ as Uint8Array, ciphertext: r.oc as Uint8Array }, String(r.pid), keys.vaultKey);
    const b1 = decryptPii({ nonce: r.nn as Uint8Array, ciphertext: r.nc as Uint8Array }, String(r.pid), keys.vaultKey);
    if (JSON.stringify(a1) !== JSON.stringify(b1)) throw new Error(`record of ${r.pid} differs: ${JSON.stringify(Object.keys(a1))} vs ${JSON.stringify(Object.keys(b1))}`);
  }
  console.log(`compared: equal (pid, recorded_on, has_phone, phone_hash) rows; ${sample.length} sampled records decrypt to the same fields`);
  await conn.run('DROP TABLE keep_o');
  await conn.run('DROP TABLE keep_n');
}

const [oldName, newName] = implementations.map(([name]) => name);
const mo = median(times.get(oldName)!.wall);
const mn = median(times.get(newName)!.wall);
console.log(`\nmedian of ${args.runs}: ${oldName} ${mo.toFixed(1)} s (CPU ${median(times.get(oldName)!.cpu).toFixed(1)} s), ` +
  `${newName} ${mn.toFixed(1)} s (CPU ${median(times.get(newName)!.cpu).toFixed(1)} s): ${(mo / mn).toFixed(2)} × faster`);
conn.closeSync();
instance.closeSync();
