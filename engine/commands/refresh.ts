/**
 * `npm run refresh -- [--data DIR] [--inbox DIR] [--rollback]`: loads every new export
 * batch of the inbox into the warehouse and publishes it (warehouse/refresh/run-refresh.ts).
 * Exits 0 with a summary (batches, files loaded/skipped, rows read/loaded/quarantined by
 * reason, version, seconds), or 1 with one line naming the file and the problem.
 */
import { helpText, parseArgs, type Options } from './args.ts';
import { resolveDataDir } from '../config.ts';
import { runRefresh, type RefreshResult, type RefreshTrigger } from '../../warehouse/refresh/run-refresh.ts';

export const REFRESH_OPTIONS = {
  data: { type: 'string', description: 'data folder (env RLM_DATA_DIR)', default: '' },
  inbox: { type: 'string', description: 'folder of export batches (default: <data>/inbox)', default: '' },
  rollback: { type: 'boolean', description: 'point the warehouse back at the previous build and exit' },
  quiet: { type: 'boolean', description: 'print only the summary' },
} satisfies Options;

const TRIGGERS: readonly RefreshTrigger[] = ['cli', 'cron', 'api', 'demo'];

export function summarise(r: RefreshResult): string {
  const lines: string[] = [];
  const loaded = r.files.filter((f) => f.status === 'loaded');
  const skipped = r.files.filter((f) => f.status === 'skipped');
  const sum = (k: 'rowsRead' | 'rowsLoaded' | 'rowsQuarantined') => loaded.reduce((a, f) => a + (f[k] ?? 0), 0);
  const reasons: Record<string, number> = {};
  for (const f of loaded) for (const [k, v] of Object.entries(f.byReason ?? {})) reasons[k] = (reasons[k] ?? 0) + v;
  lines.push(`refresh ${r.result}: ${r.message}`);
  lines.push(`  run ${r.runId}${r.version ? `, warehouse version ${r.version}` : ''}${r.dataAsOf ? `, data as of ${r.dataAsOf}` : ''}`);
  if (r.batches.length) lines.push(`  batches loaded: ${r.batches.join(', ')}`);
  lines.push(`  files: ${loaded.length} loaded, ${skipped.length} skipped (already loaded)`);
  if (loaded.length) {
    lines.push(`  rows: ${sum('rowsRead')} read, ${sum('rowsLoaded')} loaded, ${sum('rowsQuarantined')} quarantined`);
    const rs = Object.entries(reasons).sort((a, b) => b[1] - a[1]);
    if (rs.length) lines.push(`  quarantined by reason: ${rs.map(([k, v]) => `${k} ${v}`).join(', ')}`);
  }
  lines.push(`  ${((r.durations.total ?? 0) / 1000).toFixed(1)} s`);
  return lines.join('\n');
}

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, REFRESH_OPTIONS);
  if (args.help) {
    console.log(helpText('npm run refresh -- [options]', 'Load new export batches from the inbox into the warehouse and publish it.', REFRESH_OPTIONS));
    return 0;
  }
  const envTrigger = process.env.RLM_REFRESH_TRIGGER as RefreshTrigger | undefined;
  const trigger = envTrigger && TRIGGERS.includes(envTrigger) ? envTrigger : 'cli';
  const result = await runRefresh({
    dataDir: resolveDataDir(args.data),
    inboxDir: args.inbox || undefined,
    trigger,
    rollback: args.rollback,
    log: args.quiet ? undefined : (line) => console.log(`  ${line}`),
  });
  if (result.result === 'failed') {
    console.error(`rlm refresh: ${result.message}`);
    return 1;
  }
  console.log(summarise(result));
  return 0;
}
