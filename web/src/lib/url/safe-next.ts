/**
 * Where to go after login: the ?next= address when it is a path on this site (never
 * another origin: '//evil' and 'https://…' are refused), else the overview; the language
 * chosen on the login page is kept.
 */
export function safeNext(next: string | null, lang: string | null): string {
  let target = next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : '/';
  if (target.startsWith('/login')) target = '/';
  if (lang && !/[?&]lang=/.test(target)) target += `${target.includes('?') ? '&' : '?'}lang=${encodeURIComponent(lang)}`;
  return target;
}
