/**
 * The demo start's users: one per role, with random passwords, created once and kept
 * in data/demo-logins.json (mode 0600) so that every demo start can print them. Never
 * used by `npm run serve` (production), which requires an administrator from the CLI.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { UserStore } from './users.ts';
import type { Role } from './roles.ts';

export interface DemoLogin {
  readonly username: string;
  readonly password: string;
  readonly role: Role;
  readonly region: string;
}

const DEMO: readonly Omit<DemoLogin, 'password'>[] = [
  { username: 'leader', role: 'province_leader', region: '510000' },
  { username: 'analyst', role: 'province_analyst', region: '510000' },
  { username: 'dazhou', role: 'city_staff', region: '511700' },
  { username: 'tongchuan', role: 'county_staff', region: '511702' },
  { username: 'admin', role: 'admin', region: '510000' },
];

function randomPassword(): string {
  // 16 characters from letters and digits plus a fixed mix, satisfying the password policy.
  return `${randomBytes(12).toString('base64url').replace(/[-_]/g, 'x')}-A7a`;
}

export async function ensureDemoUsers(dataDir: string, users: UserStore): Promise<DemoLogin[]> {
  const file = join(dataDir, 'demo-logins.json');
  if (existsSync(file)) {
    const saved = JSON.parse(readFileSync(file, 'utf8')) as DemoLogin[];
    if (saved.every((l) => users.get(l.username))) return saved;
  }
  const logins: DemoLogin[] = [];
  for (const d of DEMO) {
    const password = randomPassword();
    if (users.get(d.username)) await users.resetPassword(d.username, password);
    else await users.add({ ...d, password });
    logins.push({ ...d, password });
  }
  writeFileSync(file, JSON.stringify(logins, null, 2), { mode: 0o600 });
  return logins;
}
