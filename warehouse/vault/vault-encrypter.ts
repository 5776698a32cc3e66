/**
 * Encrypts vault batches on worker threads (vault-worker.ts), so that the encryption of a
 * large load (30 M records: ~10 minutes on one core) runs beside the thread that reads the
 * plaintext from DuckDB and appends the ciphertexts. Each batch goes whole to the next
 * worker in turn; the caller keeps several in flight (`capacity`) and takes the results in
 * the order it sent them. A batch's bytes are moved to the worker (the caller must not
 * use them afterwards). Without workers (`workers: 0`) batches are encrypted inline.
 * `RLM_VAULT_WORKERS` sets the default number of workers (0: always inline); otherwise one
 * per core, at most 4.
 */
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { startTsWorker } from '../workers/ts-worker.ts';
import { encryptVaultBatch, type VaultBatchInput, type VaultBatchOutput } from './vault-batch.ts';

export function defaultVaultWorkers(): number {
  const env = process.env.RLM_VAULT_WORKERS;
  if (env !== undefined && env !== '') {
    const n = Number(env);
    if (!Number.isInteger(n) || n < 0 || n > 64) throw new Error(`RLM_VAULT_WORKERS must be an integer 0-64, got '${env}'`);
    return n;
  }
  return Math.min(4, availableParallelism());
}

interface Pending {
  resolve: (out: VaultBatchOutput) => void;
  reject: (e: Error) => void;
}

export class VaultEncrypter {
  private workers: Worker[] = [];
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private turn = 0;
  private failed: Error | undefined;

  constructor(
    private readonly vaultKey: Buffer,
    readonly workerCount: number = defaultVaultWorkers(),
  ) {}

  /** Batches worth keeping in flight: one per worker and one being prepared. */
  get capacity(): number {
    return this.workerCount + 1;
  }

  encrypt(input: VaultBatchInput): Promise<VaultBatchOutput> {
    if (this.workerCount === 0) {
      try {
        return Promise.resolve(encryptVaultBatch(input, this.vaultKey));
      } catch (e) {
        return Promise.reject(e instanceof Error ? e : new Error(String(e)));
      }
    }
    if (this.failed) return Promise.reject(this.failed);
    this.start();
    const w = this.workers[this.turn++ % this.workers.length];
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      const own = input.lines.byteOffset === 0 && input.lines.byteLength === input.lines.buffer.byteLength;
      w.postMessage({ id, input }, own ? [input.lines.buffer as ArrayBuffer] : []); // moved, not copied, when it can be
    });
  }

  async close(): Promise<void> {
    const ws = this.workers;
    this.workers = [];
    await Promise.all(ws.map((w) => w.terminate()));
  }

  private start(): void {
    if (this.workers.length) return;
    for (let k = 0; k < this.workerCount; k++) {
      const w = startTsWorker(new URL('./vault-worker.ts', import.meta.url), { vaultKey: new Uint8Array(this.vaultKey) });
      w.on('message', (m: { id: number; out?: VaultBatchOutput; error?: string }) => {
        const p = this.pending.get(m.id);
        if (!p) return;
        this.pending.delete(m.id);
        if (m.out) p.resolve(m.out);
        else p.reject(new Error(`vault encryption failed: ${m.error}`));
      });
      w.on('error', (e) => this.fail(e));
      w.on('exit', (code) => {
        if (this.workers.includes(w)) this.fail(new Error(`vault worker exited with code ${code}`));
      });
      this.workers.push(w);
    }
  }

  private fail(e: Error): void {
    this.failed ??= e;
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
  }
}
