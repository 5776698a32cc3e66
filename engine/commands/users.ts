/**
 * `npm run users -- <add|list|disable|enable|reset-password> [--data DIR] ...`:
 * manage users in the state database. Works while the server runs on the same data
 * folder (SQLite WAL). Every change is written to the audit log with actor "cli".
 */
import { helpText, parseArgs, UsageError, type Options } from './args.ts';
import { resolveDataDir } from '../config.ts';
import { openStateDb } from '../../warehouse/state/open-state-db.ts';
import { UserStore, UserError } from '../services/users.ts';
import { SessionStore } from '../services/sessions.ts';
import { AuditLog } from '../services/audit-log.ts';
import { ROLES } from '../services/roles.ts';

const OPTIONS = {
  data: { type: 'string', description: 'data folder (env RLM_DATA_DIR)', default: '' },
  username: { type: 'string', description: 'user name (add, disable, enable, reset-password)' },
  password: { type: 'string', description: 'password (add, reset-password): ≥ 10 characters, 3 character classes' },
  role: { type: 'string', description: `role (add): ${ROLES.join(', ')}` },
  region: { type: 'string', description: 'region code (add): 510000, 511700, 511702, 9- or 12-digit' },
  name: { type: 'string', description: 'display name (add, optional)' },
} satisfies Options;

const USAGE = 'npm run users -- <add|list|disable|enable|reset-password> [options]';

function need(value: string | undefined, name: string, sub: string): string {
  if (!value) throw new UsageError(`'${sub}' needs --${name}`);
  return value;
}

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, OPTIONS, 1);
  const sub = args.positionals[0];
  if (args.help || !sub) {
    console.log(helpText(USAGE, 'Manage users: add, list, disable, enable, reset-password.', OPTIONS));
    return args.help ? 0 : 2;
  }
  const db = openStateDb(resolveDataDir(args.data));
  try {
    const users = new UserStore(db);
    const audit = new AuditLog(db);
    try {
      switch (sub) {
        case 'add': {
          const u = await users.add({
            username: need(args.username, 'username', sub),
            password: need(args.password, 'password', sub),
            role: need(args.role, 'role', sub),
            region: need(args.region, 'region', sub),
            displayName: args.name || undefined,
          });
          audit.append({ actor: 'cli', action: 'user_added', target: u.username, region: u.region, detail: { role: u.role } });
          console.log(`added ${u.username} (${u.role}, region ${u.region})`);
          return 0;
        }
        case 'list': {
          const list = users.list();
          if (list.length === 0) console.log('no users');
          for (const u of list) console.log(`${u.username.padEnd(24)}${u.role.padEnd(20)}${u.region.padEnd(14)}${u.disabled ? 'disabled' : 'active'}`);
          return 0;
        }
        case 'disable':
        case 'enable': {
          const u = users.setDisabled(need(args.username, 'username', sub), sub === 'disable');
          if (sub === 'disable') new SessionStore(db).destroyAllOf(u.username);
          audit.append({ actor: 'cli', action: sub === 'disable' ? 'user_disabled' : 'user_enabled', target: u.username });
          console.log(`${u.username} ${sub}d`);
          return 0;
        }
        case 'reset-password': {
          const username = need(args.username, 'username', sub);
          await users.resetPassword(username, need(args.password, 'password', sub));
          new SessionStore(db).destroyAllOf(username);
          audit.append({ actor: 'cli', action: 'password_reset', target: username });
          console.log(`password of ${username} reset; their sessions ended`);
          return 0;
        }
        default:
          throw new UsageError(`unknown subcommand '${sub}'`);
      }
    } catch (err) {
      if (err instanceof UserError) {
        console.error(`rlm users ${sub}: ${err.message}`);
        return 1;
      }
      throw err;
    }
  } finally {
    db.close();
  }
}
