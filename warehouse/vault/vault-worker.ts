/** Worker thread of vault-encrypter.ts: encrypts the batches it is sent (vault-batch.ts). */
import { parentPort, workerData } from 'node:worker_threads';
import { encryptVaultBatch, type VaultBatchInput } from './vault-batch.ts';

interface Job {
  readonly id: number;
  readonly input: VaultBatchInput;
}

const vaultKey = Buffer.from((workerData as { vaultKey: Uint8Array }).vaultKey);

parentPort!.on('message', (job: Job) => {
  try {
    const out = encryptVaultBatch(job.input, vaultKey);
    parentPort!.postMessage({ id: job.id, out }, [out.lines.buffer as ArrayBuffer]);
  } catch (error) {
    parentPort!.postMessage({ id: job.id, error: error instanceof Error ? error.message : String(error) });
  }
});
