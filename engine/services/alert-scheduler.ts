/**
 * Wires alert evaluation into the server: an evaluation after every refresh (all rules,
 * catching up the months not yet evaluated), and a cron of its own (node-cron,
 * Asia/Shanghai; RLM_ALERT_CRON, default 09:00 daily) for the time-based rules — the
 * collection points' submission deadline and the update/quality rates that depend on
 * it — and for escalation of unacknowledged alerts. Runs never overlap (the alert run
 * lock); a failure is logged, never thrown into the server.
 */
import cron, { type ScheduledTask } from 'node-cron';
import type { FastifyInstance } from 'fastify';
import { TIME_BASED_SOURCES } from '../../alerts/run-evaluation.ts';
import { readCurrentWarehouse } from '../../warehouse/publish/current-warehouse.ts';

export const DEFAULT_ALERT_CRON = '0 9 * * *';

export class AlertScheduler {
  private task: ScheduledTask | undefined;
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly app: FastifyInstance,
    private readonly log: (msg: string) => void = () => {},
  ) {}

  private enqueue(what: string, fn: () => Promise<string>): Promise<void> {
    this.running = this.running.then(async () => {
      try {
        this.log(`alerts (${what}): ${await fn()}`);
      } catch (err) {
        this.log(`alerts (${what}) failed: ${(err as Error).message}`);
      }
    });
    return this.running;
  }

  /** Call after each refresh that published a new warehouse. */
  afterRefresh(): Promise<void> {
    return this.enqueue('after refresh', async () => (await this.app.alerts.evaluate({ trigger: 'refresh' })).message);
  }

  /** The time-based rules and escalation. */
  timeBased(): Promise<void> {
    return this.enqueue('cron', async () => {
      const ruleIds = this.app.alerts.rules().rules.filter((r) => TIME_BASED_SOURCES.has(r.source)).map((r) => r.id);
      return (await this.app.alerts.evaluate({ trigger: 'cron', ruleIds })).message;
    });
  }

  /**
   * At start: when the published warehouse has not been evaluated yet (e.g. the demo's
   * first refresh ran before the server, or the server was down during a refresh),
   * evaluate it in the background.
   */
  catchUp(): Promise<void> {
    const current = readCurrentWarehouse(this.app.alerts.dataDir);
    if (!current) return Promise.resolve();
    const evaluated = this.app.alerts.store.runs(200).some((r) => r.version === current.version && r.result !== 'failed' && r.trigger !== 'cron');
    return evaluated ? Promise.resolve() : this.enqueue('catch-up at start', async () => (await this.app.alerts.evaluate({ trigger: 'refresh' })).message);
  }

  /** The alert cron, plus a catch-up evaluation of a warehouse not evaluated yet. */
  schedule(expression: string = process.env.RLM_ALERT_CRON || DEFAULT_ALERT_CRON): void {
    if (!cron.validate(expression)) throw new Error(`invalid alert schedule '${expression}' (RLM_ALERT_CRON)`);
    this.task = cron.schedule(expression, () => void this.timeBased(), { timezone: 'Asia/Shanghai', name: 'alerts', noOverlap: true });
    void this.catchUp();
  }

  async stop(): Promise<void> {
    await this.task?.stop();
    await this.running;
  }
}
