/** Decodes Arrow IPC streams for the explorer (see arrow-rows.ts and arrow-decoder.ts). */
import { arrowRows } from './arrow-rows.js';

interface Job {
  readonly id: number;
  readonly stream: ArrayBuffer;
}

const scope = self as unknown as { onmessage: ((e: MessageEvent<Job>) => void) | null; postMessage(message: unknown): void };

scope.onmessage = (e) => {
  const { id, stream } = e.data;
  try {
    scope.postMessage({ id, ok: true, result: arrowRows(new Uint8Array(stream)) });
  } catch (error) {
    scope.postMessage({ id, ok: false, message: error instanceof Error ? error.message : String(error) });
  }
};
