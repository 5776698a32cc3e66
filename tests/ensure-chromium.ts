/**
 * Run by `npm test` before the suite: the browser tests need Debian's Chromium at
 * /usr/bin/chromium. When it is missing, install it if we are root (these machines run
 * as root), otherwise stop with the exact command to run. Never skip silently.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const CHROMIUM = '/usr/bin/chromium';
const INSTALL = 'apt-get update && apt-get install -y chromium';

if (!existsSync(CHROMIUM)) {
  if (process.getuid?.() !== 0) {
    console.error(`The browser tests need Debian's Chromium at ${CHROMIUM}. Install it with:\n  sudo sh -c '${INSTALL}'\nthen run npm test again.`);
    process.exit(1);
  }
  console.log(`Chromium is missing: installing it (${INSTALL}) …`);
  const r = spawnSync('sh', ['-c', INSTALL], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  if (r.status !== 0 || !existsSync(CHROMIUM)) {
    console.error(`Installing Chromium failed. Run as root:\n  ${INSTALL}`);
    process.exit(1);
  }
}
