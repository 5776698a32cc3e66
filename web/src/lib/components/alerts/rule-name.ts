/** The name of an alert's rule in the current language (the id when the API gives no name). */
import type { Alert } from '../../api/alerts.js';
import type { Lang } from '../../i18n/language.svelte.js';

export function ruleName(alert: Alert, lang: Lang): string {
  const n = alert.ruleName;
  if (!n) return alert.rule;
  return typeof n === 'string' ? n : n[lang];
}
