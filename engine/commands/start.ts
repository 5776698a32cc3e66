/**
 * `npm start`: demo mode. On first start with no data it generates the demo province
 * into data/inbox, builds the web app if needed, loads the inbox into the warehouse,
 * and serves; it prints where to open and how to log in.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { helpText, parseArgs } from './args.ts';
import { resolveServerConfig } from '../config.ts';
import { startServer } from '../server.ts';
import { SERVE_OPTIONS } from './serve.ts';
import { WEB_BUILD_DIR } from '../app.ts';
import { generateProvince } from '../../warehouse/generator/generate-province.ts';
import { runRefresh } from '../../warehouse/refresh/run-refresh.ts';
import { readCurrentWarehouse } from '../../warehouse/publish/current-warehouse.ts';
import { isBatchFolderName } from '../../warehouse/contract/file-name.ts';
import { openStateDb } from '../../warehouse/state/open-state-db.ts';
import { UserStore } from '../services/users.ts';
import { ensureDemoUsers } from '../services/demo-users.ts';
import { ROLE_NAMES } from '../services/roles.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Size of the demo province: the generator's default. */
export const DEMO_PERSONS = 300_000;

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, SERVE_OPTIONS);
  if (args.help) {
    console.log(helpText('npm start -- [options]', 'Demo mode: generate a demo province on first run, load it, and serve the dashboard.', SERVE_OPTIONS));
    return 0;
  }
  const config = resolveServerConfig(args);
  const inbox = join(config.dataDir, 'inbox');
  const hasBatches = existsSync(inbox) && readdirSync(inbox).some(isBatchFolderName);

  if (!hasBatches && !readCurrentWarehouse(config.dataDir)) {
    console.log(`First start: generating the demo province (${DEMO_PERSONS.toLocaleString('en')} persons) into ${inbox} …`);
    const t = performance.now();
    await generateProvince({ out: inbox, persons: DEMO_PERSONS, seed: 1 });
    console.log(`  generated in ${((performance.now() - t) / 1000).toFixed(0)} s`);
  }

  if (!existsSync(join(WEB_BUILD_DIR, 'index.html'))) {
    console.log('Building the web app (first start) …');
    const r = spawnSync(process.execPath, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], { cwd: ROOT, stdio: 'inherit' });
    if (r.status !== 0) throw new Error('building the web app failed (see the output above)');
  }

  console.log('Loading new export batches into the warehouse …');
  const result = await runRefresh({ dataDir: config.dataDir, trigger: 'demo', log: (line) => console.log(`  ${line}`) });
  if (result.result === 'failed') throw new Error(`refresh failed: ${result.message}`);
  console.log(`  ${result.result}: ${result.message}`);

  const db = openStateDb(config.dataDir);
  const logins = await ensureDemoUsers(config.dataDir, new UserStore(db)).finally(() => db.close());
  const banner = ['', '  Demo logins (also in data/demo-logins.json):', ...logins.map((l) => `    ${l.username.padEnd(10)} ${l.password}   ${ROLE_NAMES[l.role].zh} / ${ROLE_NAMES[l.role].en}, region ${l.region}`)];
  await startServer(config, { mode: 'demo', banner });
  return 0;
}
