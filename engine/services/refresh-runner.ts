/**
 * Runs the warehouse refresh in a child process (`engine/cli.ts refresh`), so that a
 * long refresh neither blocks nor bloats the serving process; never two at once (the
 * refresh itself also holds data/refresh.lock, which covers the CLI too). Triggered by
 * node-cron (nightly, Asia/Shanghai) and on demand by the admin API.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import cron, { type ScheduledTask } from 'node-cron';

export interface RefreshOutcome {
  readonly exitCode: number;
  readonly output: string;
  readonly trigger: 'cron' | 'api' | 'demo';
  readonly startedAt: string;
  readonly finishedAt: string;
}

const CLI = fileURLToPath(new URL('../cli.ts', import.meta.url));
const TSX = fileURLToPath(new URL('../../node_modules/tsx/dist/cli.mjs', import.meta.url));

export class RefreshRunner {
  private running: Promise<RefreshOutcome> | undefined;
  private task: ScheduledTask | undefined;

  constructor(
    private readonly dataDir: string,
    private readonly onFinished: (outcome: RefreshOutcome) => Promise<void> | void,
    private readonly log: (msg: string) => void = () => {},
  ) {}

  get isRunning(): boolean {
    return this.running !== undefined;
  }

  /** Starts a refresh unless one is running; returns the running or new run. */
  start(trigger: RefreshOutcome['trigger']): { started: boolean; done: Promise<RefreshOutcome> } {
    if (this.running) return { started: false, done: this.running };
    const startedAt = new Date().toISOString();
    this.running = new Promise<RefreshOutcome>((resolve) => {
      const child = spawn(process.execPath, [TSX, CLI, 'refresh', '--data', this.dataDir], {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, RLM_REFRESH_TRIGGER: trigger, UV_THREADPOOL_SIZE: process.env.UV_THREADPOOL_SIZE ?? '4' },
      });
      let output = '';
      const collect = (b: Buffer) => {
        output += b.toString();
        if (output.length > 200_000) output = output.slice(-100_000);
      };
      child.stdout.on('data', collect);
      child.stderr.on('data', collect);
      child.on('close', (code) => resolve({ exitCode: code ?? 1, output, trigger, startedAt, finishedAt: new Date().toISOString() }));
      child.on('error', (err) => resolve({ exitCode: 1, output: String(err), trigger, startedAt, finishedAt: new Date().toISOString() }));
    }).then(async (outcome) => {
      this.log(`refresh (${trigger}) finished with exit code ${outcome.exitCode}`);
      try {
        await this.onFinished(outcome);
      } finally {
        this.running = undefined;
      }
      return outcome;
    });
    return { started: true, done: this.running };
  }

  /** Schedules the nightly refresh. */
  schedule(expression: string): void {
    if (!cron.validate(expression)) throw new Error(`invalid refresh schedule '${expression}' (RLM_REFRESH_CRON)`);
    this.task = cron.schedule(expression, () => void this.start('cron'), { timezone: 'Asia/Shanghai', name: 'refresh', noOverlap: true });
  }

  async stop(): Promise<void> {
    await this.task?.stop();
    await this.running;
  }
}
