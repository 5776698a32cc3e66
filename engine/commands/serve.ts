/**
 * `npm run serve -- [--data DIR] [--port P] [--host H]`: serve an existing data folder,
 * as in production.
 */
import { existsSync } from 'node:fs';
import { helpText, parseArgs, type Options } from './args.ts';
import { portCheck, resolveServerConfig } from '../config.ts';
import { startServer } from '../server.ts';
import { openStateDb } from '../../warehouse/state/open-state-db.ts';
import { UserStore } from '../services/users.ts';

export const SERVE_OPTIONS = {
  data: { type: 'string', description: 'data folder (env RLM_DATA_DIR)', default: '' },
  port: { type: 'int', description: 'port (env PORT, default 8080)', check: portCheck },
  host: { type: 'string', description: 'address to listen on (env HOST, default 127.0.0.1)' },
} satisfies Options;

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, SERVE_OPTIONS);
  if (args.help) {
    console.log(helpText('npm run serve -- [options]', 'Serve the dashboard and API for an existing data folder.', SERVE_OPTIONS));
    return 0;
  }
  const config = resolveServerConfig(args);
  if (!existsSync(config.dataDir)) throw new Error(`data folder ${config.dataDir} does not exist (set --data or RLM_DATA_DIR)`);
  const db = openStateDb(config.dataDir);
  try {
    if (!new UserStore(db).hasActiveAdmin()) {
      throw new Error(`no administrator in ${config.dataDir}: create one first with npm run users -- add --data ${config.dataDir} --username NAME --password PASSWORD --role admin --region 510000`);
    }
  } finally {
    db.close();
  }
  await startServer(config, { mode: 'production' });
  return 0;
}
