/**
 * The content of one notification: the alerts of one group (a county, or a city /
 * the province for their own and escalated alerts) that changed in one run — newly
 * firing, severity raised, resolved, escalated — as JSON (webhook) and as text (e-mail).
 */
import { SEVERITY_NAMES, type Severity } from '../severity.ts';

export type Change = 'firing' | 'severity_raised' | 'resolved' | 'escalated';

export const CHANGE_NAMES: Readonly<Record<Change, { zh: string; en: string }>> = {
  firing: { zh: '新预警', en: 'New alert' },
  severity_raised: { zh: '预警升级', en: 'Severity raised' },
  resolved: { zh: '已解除', en: 'Resolved' },
  escalated: { zh: '逾期未签收，已上报', en: 'Escalated (not acknowledged in time)' },
};

export interface NotificationItem {
  readonly id: number;
  readonly change: Change;
  readonly rule: string;
  readonly ruleName: { zh: string; en: string };
  readonly region: string;
  readonly regionName: string;
  readonly level: string;
  readonly period: string;
  readonly lastPeriod: string;
  readonly severity: Severity | null;
  readonly state: string;
  readonly reason: string;
  readonly value: number | null;
  readonly threshold: number | null;
  readonly escalation: string;
  readonly url: string | null;
}

export interface NotificationPayload {
  readonly type: 'rlm.alerts';
  readonly version: 1;
  readonly runId: string;
  readonly generatedAt: string;
  readonly group: { readonly region: string; readonly name: string };
  readonly counts: Readonly<Record<Change, number>>;
  readonly alerts: readonly NotificationItem[];
}

export function makePayload(runId: string, generatedAt: string, group: { region: string; name: string }, items: readonly NotificationItem[]): NotificationPayload {
  const counts = { firing: 0, severity_raised: 0, resolved: 0, escalated: 0 };
  for (const i of items) counts[i.change]++;
  return { type: 'rlm.alerts', version: 1, runId, generatedAt, group, counts, alerts: [...items] };
}

export function emailSubject(p: NotificationPayload): string {
  const parts = (Object.keys(p.counts) as Change[]).filter((c) => p.counts[c] > 0).map((c) => `${CHANGE_NAMES[c].zh} ${p.counts[c]} 条`);
  return `【失业风险预警】${p.group.name}：${parts.join('，')}`;
}

export function emailText(p: NotificationPayload): string {
  const lines = [`${p.group.name}（${p.group.region}）预警通知`, `生成时间：${p.generatedAt}`, ''];
  for (const a of p.alerts) {
    const sev = a.severity ? `${SEVERITY_NAMES[a.severity].zh}` : '';
    lines.push(`【${CHANGE_NAMES[a.change].zh}】${sev ? `${sev} · ` : ''}${a.ruleName.zh} · ${a.regionName}（${a.region}） · ${a.period}${a.lastPeriod !== a.period ? ` 至 ${a.lastPeriod}` : ''}`);
    lines.push(`  依据：${a.reason}`);
    if (a.url) lines.push(`  详情：${a.url}`);
    lines.push('');
  }
  lines.push('此邮件由农村劳动力实名制信息监测预警平台自动发送。');
  return lines.join('\n');
}
