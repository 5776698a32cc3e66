/**
 * The one command-line entry: `tsx engine/cli.ts <command> [options]`, used by the npm
 * scripts (start, serve, refresh, generate, users, bench). Each command lives in
 * engine/commands/<name>.ts and exports `run(argv): Promise<number>` (the exit code).
 * Bad arguments print one line and exit 2; failures print one line and exit 1.
 */
import { UsageError } from './commands/args.ts';

const COMMANDS: Record<string, { summary: string; load: () => Promise<{ run(argv: string[]): Promise<number> }> }> = {
  start: { summary: 'demo mode: generate a demo province on first run, load it, serve', load: () => import('./commands/start.ts') },
  serve: { summary: 'serve an existing data folder (production)', load: () => import('./commands/serve.ts') },
  refresh: { summary: 'load new export batches from the inbox into the warehouse', load: () => import('./commands/refresh.ts') },
  users: { summary: 'manage users: add, list, disable, enable, reset-password', load: () => import('./commands/users.ts') },
  generate: { summary: 'write synthetic registry exports and truth.json', load: () => import('./commands/generate.ts') },
  alerts: { summary: 'evaluate alert rules, escalate overdue alerts, check the rule file', load: () => import('./commands/alerts.ts') },
};

function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length)) + 2;
  return ['Usage: rlm <command> [options]   (npm run <command> -- [options])', '', 'Commands:',
    ...Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}${c.summary}`),
    '', 'Run a command with --help for its options.'].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h') {
    console.log(usage());
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    console.error(`rlm: unknown command '${name}' (try --help)`);
    return 2;
  }
  try {
    return await (await command.load()).run(rest);
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`rlm ${name}: ${err.message} (try --help)`);
      return 2;
    }
    const message = err instanceof Error ? err.message : String(err);
    console.error(`rlm ${name}: ${message.split('\n')[0]}`);
    if (process.env.RLM_DEBUG) console.error(err);
    return 1;
  }
}

const code = await main(process.argv.slice(2));
if (code !== 0 || !['start', 'serve'].includes(process.argv[2] ?? '')) process.exitCode = code;
