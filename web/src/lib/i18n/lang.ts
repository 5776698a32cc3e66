/** The UI languages: Simplified Chinese (default) and English. */
export type Lang = 'zh' | 'en';
export const LANGS: readonly Lang[] = ['zh', 'en'];

export function isLang(value: unknown): value is Lang {
  return value === 'zh' || value === 'en';
}
