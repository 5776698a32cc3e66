/** Login, the current session and logout (/api/auth/*). */
import { apiFetch, apiSend } from './http.js';
import type { SessionUser } from '../session/session.svelte.js';

export interface SessionAnswer {
  readonly user: SessionUser;
  readonly csrfToken: string;
}

export async function login(username: string, password: string): Promise<SessionAnswer> {
  const response = await apiFetch('/api/auth/login', { method: 'POST', body: { username, password } });
  return (await response.json()) as SessionAnswer;
}

export async function fetchMe(): Promise<SessionAnswer> {
  const response = await apiFetch('/api/auth/me');
  return (await response.json()) as SessionAnswer;
}

export function logout(): Promise<{ ok: boolean }> {
  return apiSend<{ ok: boolean }>('POST', '/api/auth/logout');
}
