/**
 * The one way the web app talks to the engine: same-origin fetch with the session cookie,
 * the CSRF header on state-changing requests, errors as ApiError, and on 401 a redirect to
 * /login?next=<the current address> (except for the login and session calls themselves).
 */
import { goto } from '$app/navigation';
import { session, clearSession } from '../session/session.svelte.js';
import { ApiError, apiErrorOf } from './api-error.js';

export type QueryValue = string | number | boolean | readonly (string | number)[] | null | undefined;

/** `/api/x?a=1&b=2,3` from a path and parameters (undefined/null/empty lists are left out). */
export function apiUrl(path: string, query?: Readonly<Record<string, QueryValue>>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) {
      if (value.length) params.set(key, value.join(','));
    } else params.set(key, String(value));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

const NO_REDIRECT = new Set(['/api/auth/login', '/api/auth/me']);

let redirecting = false;

async function onUnauthenticated(path: string): Promise<void> {
  clearSession();
  if (NO_REDIRECT.has(path.split('?')[0]) || redirecting) return;
  if (location.pathname === '/login') return;
  redirecting = true;
  try {
    const next = location.pathname + location.search;
    await goto(`/login?next=${encodeURIComponent(next)}`, { replaceState: true });
  } finally {
    redirecting = false;
  }
}

export interface RequestOptions {
  readonly method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly body?: unknown;
  readonly accept?: string;
  readonly signal?: AbortSignal;
}

/** Sends a request and returns the raw Response when it is 2xx; throws ApiError otherwise. */
export async function apiFetch(path: string, options: RequestOptions = {}): Promise<Response> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { accept: options.accept ?? 'application/json' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && session.csrfToken) headers['x-csrf-token'] = session.csrfToken;
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      credentials: 'same-origin',
      signal: options.signal,
    });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ApiError(0, 'network', e instanceof Error ? e.message : String(e));
  }
  if (response.ok) return response;
  const error = await apiErrorOf(response);
  if (response.status === 401) await onUnauthenticated(path);
  throw error;
}

/**
 * Answers asked for before the page that needs them exists (warm-caches.ts), by URL. The
 * first GET of the same URL takes the answer (or joins it in flight); one not taken within
 * WARM_TTL_MS is dropped, and a failed one is not kept, so the page asks again.
 */
const warmed = new Map<string, Promise<unknown>>();
const WARM_TTL_MS = 30_000;
let warming = false;

/**
 * Runs `calls` — the same fetch functions, with the same arguments, that a page will call —
 * so that every GET they start synchronously is kept for that page instead of answered to
 * the caller only. Each fetch function reaches apiGet before its first await.
 */
export function warm(calls: () => void): void {
  warming = true;
  try {
    calls();
  } finally {
    warming = false;
  }
}

async function getJson<T>(url: string, signal?: AbortSignal): Promise<T> {
  const response = await apiFetch(url, { signal });
  return (await response.json()) as T;
}

/** A shared promise that rejects for this caller alone when its signal aborts. */
function abortable<T>(p: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return p;
  if (signal.aborted) return Promise.reject(new DOMException('aborted', 'AbortError'));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new DOMException('aborted', 'AbortError'));
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

export function apiGet<T>(path: string, query?: Readonly<Record<string, QueryValue>>, signal?: AbortSignal): Promise<T> {
  const url = apiUrl(path, query);
  if (warming) {
    let p = warmed.get(url);
    if (!p) {
      const fresh = getJson<unknown>(url);
      p = fresh;
      warmed.set(url, fresh);
      const drop = () => {
        if (warmed.get(url) === fresh) warmed.delete(url);
      };
      fresh.then(() => setTimeout(drop, WARM_TTL_MS), drop);
    }
    return p as Promise<T>;
  }
  const early = warmed.get(url);
  if (early) {
    warmed.delete(url);
    return abortable(early as Promise<T>, signal);
  }
  return getJson<T>(url, signal);
}

export async function apiSend<T>(method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T> {
  const response = await apiFetch(path, { method, body });
  return (await response.json()) as T;
}
