/**
 * The UI language: Simplified Chinese by default, English on request. The URL's `lang`
 * parameter decides (so a shared link shows the sender's language); without it the last
 * choice remembered in localStorage applies.
 */
import { page } from '$app/state';
import { isLang, type Lang } from './lang.js';

export type { Lang } from './lang.js';
const STORAGE_KEY = 'rlm.lang';

/** The remembered choice (localStorage), or undefined. */
export function rememberedLang(): Lang | undefined {
  try {
    const v = localStorage.getItem(STORAGE_KEY);
    return isLang(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

export function rememberLang(lang: Lang): void {
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // Private mode or storage disabled: the URL still carries the choice.
  }
}

/** The current language (reactive: reads the page URL). */
export function currentLang(): Lang {
  const fromUrl = page.url.searchParams.get('lang');
  if (isLang(fromUrl)) return fromUrl;
  return rememberedLang() ?? 'zh';
}
