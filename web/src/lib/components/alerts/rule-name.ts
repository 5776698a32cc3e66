/** The name of an alert's rule in the current language (the id when the API gives no name). */
import type { Alert } from '../../api/alerts.js';
import type { Lang } from '../../i18n/lang.js';

export function ruleName(alert: Pick<Alert, 'rule' | 'ruleName'>, lang: Lang): string {
  return alert.ruleName?.[lang] ?? alert.rule;
}
