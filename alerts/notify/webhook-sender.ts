/**
 * Sends one webhook: a JSON POST signed with HMAC-SHA256.
 *
 * Headers: X-RLM-Timestamp (Unix seconds), X-RLM-Signature `sha256=<hex>` where the HMAC
 * key is the channel's secret and the message is `<timestamp>.<body>` (the receiver
 * recomputes it over the raw body and rejects old timestamps), X-RLM-Delivery (the
 * notification id, the same on every retry: receivers de-duplicate on it).
 */
import { createHmac } from 'node:crypto';

export interface SendResult {
  readonly ok: boolean;
  readonly statusCode: number | null;
  readonly error: string | null;
  /** Whether another attempt may succeed (network errors, timeouts, 408, 429, 5xx). */
  readonly retryable: boolean;
}

export function webhookSignature(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export async function sendWebhook(url: string, secret: string, body: string, opts: { deliveryId: string; timeoutMs: number; now: Date }): Promise<SendResult> {
  const timestamp = String(Math.floor(opts.now.getTime() / 1000));
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'user-agent': 'rlm-alerts/1',
        'x-rlm-event': 'alerts',
        'x-rlm-delivery': opts.deliveryId,
        'x-rlm-timestamp': timestamp,
        'x-rlm-signature': webhookSignature(secret, timestamp, body),
      },
      body,
      redirect: 'error',
      signal: AbortSignal.timeout(opts.timeoutMs),
    });
    await res.arrayBuffer().catch(() => undefined);
    if (res.ok) return { ok: true, statusCode: res.status, error: null, retryable: false };
    const retryable = res.status === 408 || res.status === 429 || res.status >= 500;
    return { ok: false, statusCode: res.status, error: `HTTP ${res.status}`, retryable };
  } catch (err) {
    const e = err as Error & { cause?: { code?: string } };
    const message = e.name === 'TimeoutError' ? `timed out after ${opts.timeoutMs} ms` : `${e.message}${e.cause?.code ? ` (${e.cause.code})` : ''}`;
    return { ok: false, statusCode: null, error: message, retryable: true };
  }
}
