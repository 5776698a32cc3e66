/**
 * The explorer's Arrow decoding on a worker (arrow-rows.worker.ts), started on first use and
 * kept for the page's life. The stream's buffer is transferred, not copied.
 */
import type { ArrowRows } from './arrow-rows.js';

interface Answer {
  readonly id: number;
  readonly ok: boolean;
  readonly result?: ArrowRows;
  readonly message?: string;
}

let worker: Worker | undefined;
let nextId = 1;
const pending = new Map<number, { resolve: (r: ArrowRows) => void; reject: (e: Error) => void }>();

function decoder(): Worker {
  if (worker) return worker;
  const w = new Worker(new URL('./arrow-rows.worker.ts', import.meta.url), { type: 'module' });
  w.onmessage = (e: MessageEvent<Answer>) => {
    const job = pending.get(e.data.id);
    if (!job) return;
    pending.delete(e.data.id);
    if (e.data.ok && e.data.result) job.resolve(e.data.result);
    else job.reject(new Error(`Arrow answer could not be read: ${e.data.message ?? 'unknown error'}`));
  };
  w.onerror = (e) => {
    // The worker itself failed (e.g. its script did not load): every job fails, the next call starts a new one.
    for (const job of pending.values()) job.reject(new Error(`Arrow decoder failed: ${e.message}`));
    pending.clear();
    worker = undefined;
  };
  worker = w;
  return w;
}

export function decodeArrow(stream: ArrayBuffer): Promise<ArrowRows> {
  const id = nextId++;
  return new Promise<ArrowRows>((resolve, reject) => {
    pending.set(id, { resolve, reject });
    decoder().postMessage({ id, stream }, [stream]);
  });
}
