/**
 * The inbox workflow on an alert: assign, acknowledge, comment, resolve (close) with an
 * outcome. Every action is written to the alert's history with who and when. Closing an
 * alert whose episode is still open ends the episode for the state machine too
 * (closeByUser): the continuing breach raises no new alert until the condition clears.
 */
import type { AlertRecord, AlertStore } from './alert-store.ts';
import { closeByUser } from './state-machine.ts';

export const OUTCOMES = {
  handled: { zh: '已处置', en: 'Handled' },
  monitoring: { zh: '持续关注', en: 'Being monitored' },
  false_alarm: { zh: '误报', en: 'False alarm' },
  data_error: { zh: '数据问题', en: 'Data problem' },
} as const;
export type Outcome = keyof typeof OUTCOMES;

export class WorkflowError extends Error {
  override name = 'WorkflowError';
}

export class AlertWorkflow {
  constructor(
    private readonly store: AlertStore,
    private readonly now: () => Date,
  ) {}

  private load(id: number): AlertRecord {
    const a = this.store.get(id);
    if (!a) throw new WorkflowError(`no alert ${id}`);
    return a;
  }

  assign(id: number, assignee: string | null, actor: string): AlertRecord {
    return this.store.db.transaction(() => {
      const a = this.load(id);
      if (a.workflow === 'closed') throw new WorkflowError('the alert is closed');
      const at = this.now().toISOString();
      this.store.update(id, { assignee, updated_at: at });
      this.store.addHistory({ alertId: id, at, actor, action: 'assigned', detail: { from: a.assignee, to: assignee } });
      return this.load(id);
    }).immediate();
  }

  acknowledge(id: number, actor: string, note?: string): AlertRecord {
    return this.store.db.transaction(() => {
      const a = this.load(id);
      if (a.workflow !== 'open') throw new WorkflowError(`the alert is already ${a.workflow}`);
      const at = this.now().toISOString();
      this.store.update(id, { workflow: 'acknowledged', acknowledged_by: actor, acknowledged_at: at, updated_at: at });
      this.store.addHistory({ alertId: id, at, actor, action: 'acknowledged', fromState: 'open', toState: 'acknowledged', detail: note ? { note } : {} });
      return this.load(id);
    }).immediate();
  }

  comment(id: number, actor: string, text: string): AlertRecord {
    return this.store.db.transaction(() => {
      this.load(id);
      const at = this.now().toISOString();
      this.store.update(id, { updated_at: at });
      this.store.addHistory({ alertId: id, at, actor, action: 'comment', detail: { text } });
      return this.load(id);
    }).immediate();
  }

  resolve(id: number, actor: string, outcome: Outcome, note: string | null): AlertRecord {
    if (!(outcome in OUTCOMES)) throw new WorkflowError(`unknown outcome '${outcome}'`);
    return this.store.db.transaction(() => {
      const a = this.load(id);
      if (a.workflow === 'closed') throw new WorkflowError('the alert is already closed');
      const now = this.now();
      const at = now.toISOString();
      this.store.update(id, { workflow: 'closed', outcome, outcome_note: note, closed_by: actor, closed_at: at, updated_at: at });
      this.store.addHistory({ alertId: id, at, actor, action: 'closed', fromState: a.workflow, toState: 'closed', detail: { outcome, note } });
      const series = this.store.seriesOf(a.rule).get(a.region);
      if (series && series.alertId === id) {
        const r = closeByUser(series.status, `closed by ${actor}: ${OUTCOMES[outcome].en}${note ? ` (${note})` : ''}`, now);
        if (r.transitions.length > 0) {
          this.store.putSeries({ ...series, status: r.next }, at);
          const t = r.transitions[0];
          this.store.update(id, { state: 'resolved', reason: t.reason, resolved_at: at });
          this.store.addHistory({ alertId: id, at, actor, action: 'transition', fromState: t.from, toState: t.to, detail: { reason: t.reason, period: t.period } });
        }
      }
      return this.load(id);
    }).immediate();
  }
}
