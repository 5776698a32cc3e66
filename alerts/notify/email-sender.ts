/**
 * Sends one e-mail over SMTP with nodemailer (STARTTLS when the server offers it, or
 * TLS from the start with `secure`).
 */
import nodemailer from 'nodemailer';
import type { SmtpSettings } from '../alert-settings.ts';
import type { SendResult } from './webhook-sender.ts';

export async function sendEmail(smtp: SmtpSettings, to: readonly string[], subject: string, text: string, opts: { timeoutMs: number; messageId: string }): Promise<SendResult> {
  const transport = nodemailer.createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure,
    auth: smtp.user ? { user: smtp.user, pass: smtp.password ?? '' } : undefined,
    connectionTimeout: opts.timeoutMs,
    greetingTimeout: opts.timeoutMs,
    socketTimeout: opts.timeoutMs,
  });
  try {
    const info = await transport.sendMail({ from: smtp.from, to: [...to], subject, text, messageId: opts.messageId });
    if (info.rejected.length > 0) return { ok: false, statusCode: null, error: `rejected: ${info.rejected.join(', ')}`, retryable: false };
    return { ok: true, statusCode: null, error: null, retryable: false };
  } catch (err) {
    const e = err as Error & { responseCode?: number; code?: string };
    const permanent = e.responseCode !== undefined && e.responseCode >= 500 && e.responseCode < 600;
    return { ok: false, statusCode: e.responseCode ?? null, error: `${e.message}${e.code ? ` (${e.code})` : ''}`, retryable: !permanent };
  } finally {
    transport.close();
  }
}
