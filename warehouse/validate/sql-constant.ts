/**
 * Contract constants (code lists, reason codes, column keys) written into SQL text.
 * Values from files are always bound as parameters; these are the program's own
 * constants, and each is checked against a strict character whitelist before it is
 * quoted, so no quote or control character can ever reach the SQL.
 */
const SAFE = /^[\p{L}\p{N}_ /.+\-]*$/u;

/** A constant as a SQL string literal. Throws for anything outside the whitelist. */
export function sqlConstant(value: string): string {
  if (!SAFE.test(value)) throw new Error(`not a safe SQL constant: ${JSON.stringify(value)}`);
  return `'${value}'`;
}

/** A list of constants as `('a', 'b')` for IN, or `['a', 'b']` for a list literal. */
export function sqlConstantList(values: readonly string[], form: 'in' | 'list' = 'in'): string {
  const body = values.map(sqlConstant).join(', ');
  return form === 'in' ? `(${body})` : `[${body}]`;
}

const IDENT = /^[a-z_][a-z0-9_]*$/;

/** A whitelisted identifier (column or table name), double-quoted. */
export function sqlIdent(name: string): string {
  if (!IDENT.test(name)) throw new Error(`not a safe SQL identifier: ${JSON.stringify(name)}`);
  return `"${name}"`;
}
