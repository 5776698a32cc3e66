/**
 * The view state lives in the address bar (region, period, metric, filters, lang), so any
 * view can be shared and survives a reload. Pages read parameters with `param()` (reactive)
 * and change them with `setParams()`; drill-downs push a history entry (Back goes up again),
 * other changes replace the current one.
 */
import { page } from '$app/state';
import { goto } from '$app/navigation';

/** Parameters carried from page to page by the navigation. */
export const SHARED_PARAMS = ['lang', 'region', 'period'] as const;

export function param(name: string): string | null {
  return page.url.searchParams.get(name);
}

/** A comma-separated list parameter ('' and absent → []). */
export function listParam(name: string): string[] {
  const v = page.url.searchParams.get(name);
  return v ? v.split(',').filter(Boolean) : [];
}

export type ParamPatch = Readonly<Record<string, string | number | readonly string[] | null | undefined>>;

/** The current URL with a patch applied: null and [] remove a parameter, undefined leaves it as it is. */
export function patchedUrl(patch: ParamPatch, base: URL = page.url): URL {
  const url = new URL(base);
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    if (value === null || (Array.isArray(value) && value.length === 0)) url.searchParams.delete(key);
    else url.searchParams.set(key, Array.isArray(value) ? value.join(',') : String(value));
  }
  return url;
}

export function setParams(patch: ParamPatch, options: { push?: boolean } = {}): Promise<void> {
  const url = patchedUrl(patch);
  if (url.href === page.url.href) return Promise.resolve();
  return goto(url.pathname + url.search + url.hash, { replaceState: !options.push, keepFocus: true, noScroll: true });
}

/** A link to another page keeping the shared view state (language, region, period). */
export function viewHref(path: string, extra: ParamPatch = {}): string {
  const params = new URLSearchParams();
  for (const name of SHARED_PARAMS) {
    const v = page.url.searchParams.get(name);
    if (v) params.set(name, v);
  }
  const url = patchedUrl(extra, new URL(`${path}?${params}`, page.url.origin));
  return url.pathname + url.search;
}
