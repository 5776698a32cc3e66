/** Labels of alert states, severities and workflow steps (unknown values shown as they are). */
import { isMessageKey, t } from '../../i18n/messages.js';

function label(prefix: string, value: string | null | undefined): string {
  if (!value) return '–';
  const key = `${prefix}.${value}`;
  return isMessageKey(key) ? t(key) : value;
}

export const stateLabel = (v: string | null | undefined) => label('alerts.state', v);
export const severityLabel = (v: string | null | undefined) => label('alerts.severity', v);
export const workflowLabel = (v: string | null | undefined) => label('alerts.workflow', v);
export const outcomeLabel = (v: string | null | undefined) => label('alerts.outcome', v);
/** A step of the history: an alert state or a workflow step. */
export const stepLabel = (v: string | null | undefined) => (v && isMessageKey(`alerts.state.${v}`) ? stateLabel(v) : workflowLabel(v));
export const actionLabel = (v: string | null | undefined) => label('alerts.action', v);

/** Severity colours (text on them is dark or white for AA contrast). */
export const SEVERITY_COLORS: Readonly<Record<string, string>> = { blue: '#1c5fb4', yellow: '#b38600', orange: '#c25400', red: '#b3261e' };
