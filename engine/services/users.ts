/**
 * Users of the platform, in the state database. Passwords are hashed with argon2id;
 * there is no built-in default password: the demo start creates its demo users with
 * random passwords and prints them; production refuses to start without an
 * administrator created with `npm run users -- add`.
 */
import { hash, verify } from '@node-rs/argon2';
import { stateSchema, type StateDb } from '../../warehouse/state/open-state-db.ts';
import { levelOfCode, loadRegions } from '../../warehouse/reference/regions.ts';
import { ROLE_LEVELS, isRole, type Role } from './roles.ts';

stateSchema(
  'users',
  `CREATE TABLE IF NOT EXISTS users (
     username TEXT PRIMARY KEY,
     password_hash TEXT NOT NULL,
     role TEXT NOT NULL,
     region TEXT NOT NULL,
     display_name TEXT,
     disabled INTEGER NOT NULL DEFAULT 0,
     created_at TEXT NOT NULL,
     password_changed_at TEXT NOT NULL
   );`,
);

export interface User {
  readonly username: string;
  readonly role: Role;
  readonly region: string;
  readonly displayName: string | null;
  readonly disabled: boolean;
  readonly createdAt: string;
}

export class UserError extends Error {
  override name = 'UserError';
}

// OWASP minimums for argon2id: m=19 MiB, t=2, p=1.
const ARGON2 = { memoryCost: 19_456, timeCost: 2, parallelism: 1 };
const USERNAME = /^[A-Za-z0-9_.-]{3,40}$/;

interface UserRow {
  username: string;
  password_hash: string;
  role: string;
  region: string;
  display_name: string | null;
  disabled: number;
  created_at: string;
}

const toUser = (r: UserRow): User => ({
  username: r.username,
  role: r.role as Role,
  region: r.region,
  displayName: r.display_name,
  disabled: r.disabled === 1,
  createdAt: r.created_at,
});

/** Checks a password against the policy; returns the problem or undefined. */
export function passwordProblem(password: string): string | undefined {
  if (password.length < 10) return 'password must have at least 10 characters';
  if (password.length > 200) return 'password must have at most 200 characters';
  const classes = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length;
  if (classes < 3) return 'password must mix at least three of: lower case, upper case, digits, symbols';
  return undefined;
}

export class UserStore {
  // A fixed hash to verify against when the user does not exist, so timing does not reveal it.
  private dummyHash: Promise<string> | undefined;

  constructor(private readonly db: StateDb) {}

  async add(input: { username: string; password: string; role: string; region: string; displayName?: string }): Promise<User> {
    if (!USERNAME.test(input.username)) throw new UserError('username must be 3-40 letters, digits, or . _ -');
    if (!isRole(input.role)) throw new UserError(`unknown role '${input.role}'`);
    const level = levelOfCode(input.region);
    if (!level || !loadRegions().byCode.has(input.region)) throw new UserError(`unknown region '${input.region}'`);
    if (!ROLE_LEVELS[input.role].includes(level)) {
      throw new UserError(`role ${input.role} must be bound to a ${ROLE_LEVELS[input.role].join(' or ')} region, not a ${level}`);
    }
    const problem = passwordProblem(input.password);
    if (problem) throw new UserError(problem);
    if (this.get(input.username)) throw new UserError(`user '${input.username}' already exists`);
    const now = new Date().toISOString();
    this.db
      .prepare('INSERT INTO users (username, password_hash, role, region, display_name, disabled, created_at, password_changed_at) VALUES (?, ?, ?, ?, ?, 0, ?, ?)')
      .run(input.username, await hash(input.password, ARGON2), input.role, input.region, input.displayName ?? null, now, now);
    return this.get(input.username)!;
  }

  get(username: string): User | undefined {
    const r = this.db.prepare('SELECT * FROM users WHERE username = ?').get(username) as UserRow | undefined;
    return r ? toUser(r) : undefined;
  }

  list(): User[] {
    return (this.db.prepare('SELECT * FROM users ORDER BY username').all() as UserRow[]).map(toUser);
  }

  hasActiveAdmin(): boolean {
    return this.db.prepare("SELECT 1 FROM users WHERE role = 'admin' AND disabled = 0 LIMIT 1").get() !== undefined;
  }

  setDisabled(username: string, disabled: boolean): User {
    const r = this.db.prepare('UPDATE users SET disabled = ? WHERE username = ?').run(disabled ? 1 : 0, username);
    if (r.changes === 0) throw new UserError(`no user '${username}'`);
    return this.get(username)!;
  }

  /** Changes a user's role and region (checked like `add`). */
  setRole(username: string, role: string, region: string): User {
    if (!isRole(role)) throw new UserError(`unknown role '${role}'`);
    const level = levelOfCode(region);
    if (!level || !loadRegions().byCode.has(region)) throw new UserError(`unknown region '${region}'`);
    if (!ROLE_LEVELS[role].includes(level)) throw new UserError(`role ${role} must be bound to a ${ROLE_LEVELS[role].join(' or ')} region, not a ${level}`);
    const r = this.db.prepare('UPDATE users SET role = ?, region = ? WHERE username = ?').run(role, region, username);
    if (r.changes === 0) throw new UserError(`no user '${username}'`);
    return this.get(username)!;
  }

  async resetPassword(username: string, password: string): Promise<void> {
    const problem = passwordProblem(password);
    if (problem) throw new UserError(problem);
    const r = this.db
      .prepare('UPDATE users SET password_hash = ?, password_changed_at = ? WHERE username = ?')
      .run(await hash(password, ARGON2), new Date().toISOString(), username);
    if (r.changes === 0) throw new UserError(`no user '${username}'`);
  }

  /** The user if the credentials are right and the account enabled; undefined otherwise. */
  async authenticate(username: string, password: string): Promise<User | undefined> {
    const r = this.db.prepare('SELECT * FROM users WHERE username = ?').get(username) as UserRow | undefined;
    if (!r) {
      this.dummyHash ??= hash('not-a-real-password', ARGON2);
      await verify(await this.dummyHash, password).catch(() => false);
      return undefined;
    }
    const ok = await verify(r.password_hash, password).catch(() => false);
    return ok && r.disabled === 0 ? toUser(r) : undefined;
  }
}
