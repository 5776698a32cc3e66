/**
 * The small arithmetic language of rule metrics, guards and requirements in
 * alerts/rules.yaml, e.g. `100 * (rate - prev_rate - coalesce(seasonal_rise, 0))`.
 *
 * The SQL of a rule's source computes named quantities per region in one set-based
 * query; an expression combines them per region in TypeScript. Expressions are parsed
 * once on load (errors name the position), reference only the source's quantities and
 * the functions below, and never reach SQL.
 *
 * Grammar: expr = term (('+'|'-') term)*; term = unary (('*'|'/') unary)*;
 * unary = '-' unary | primary; primary = number | name | name '(' expr (',' expr)* ')' | '(' expr ')'.
 * Values are numbers or null (missing); null propagates through arithmetic and
 * functions except coalesce; division by zero gives null.
 */
export class ExpressionError extends Error {
  override name = 'ExpressionError';
}

export type Quantities = Readonly<Record<string, number | null | undefined>>;

export interface CompiledExpression {
  readonly source: string;
  /** Quantity names the expression reads. */
  readonly names: ReadonlySet<string>;
  evaluate(q: Quantities): number | null;
}

type Fn = (args: (number | null)[]) => number | null;

const Z95 = 1.959964;

function wilson(k: number, n: number, z: number, sign: 1 | -1): number | null {
  if (!(n > 0) || k < 0) return null;
  const p = Math.min(1, k / n);
  const z2 = z * z;
  const centre = p + z2 / (2 * n);
  const half = z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return Math.min(1, Math.max(0, (centre + sign * half) / (1 + z2 / n)));
}

/** Functions available in expressions, with their arity [min, max]. */
export const EXPRESSION_FUNCTIONS: Readonly<Record<string, { arity: [number, number]; doc: string; fn: Fn }>> = {
  wilson_lower: {
    arity: [2, 3],
    doc: 'wilson_lower(k, n[, z=1.96]): lower bound of the Wilson score interval of the proportion k/n',
    fn: ([k, n, z]) => (k === null || n === null ? null : wilson(k, n, z ?? Z95, -1)),
  },
  wilson_upper: {
    arity: [2, 3],
    doc: 'wilson_upper(k, n[, z=1.96]): upper bound of the Wilson score interval of the proportion k/n',
    fn: ([k, n, z]) => (k === null || n === null ? null : wilson(k, n, z ?? Z95, 1)),
  },
  poisson_z: {
    arity: [2, 2],
    doc: 'poisson_z(observed, expected): (observed − expected) / sqrt(max(expected, 1)), the excess of a count over its Poisson expectation in standard deviations',
    fn: ([o, e]) => (o === null || e === null ? null : (o - e) / Math.sqrt(Math.max(e, 1))),
  },
  prop_z: {
    arity: [4, 4],
    doc: 'prop_z(k1, n1, k2, n2): two-proportion z statistic of k1/n1 against k2/n2 (pooled variance)',
    fn: ([k1, n1, k2, n2]) => {
      if (k1 === null || n1 === null || k2 === null || n2 === null || !(n1 > 0) || !(n2 > 0)) return null;
      const p = (k1 + k2) / (n1 + n2);
      const se = Math.sqrt(p * (1 - p) * (1 / n1 + 1 / n2));
      return se > 0 ? (k1 / n1 - k2 / n2) / se : k1 / n1 === k2 / n2 ? 0 : null;
    },
  },
  min: { arity: [1, 16], doc: 'min(a, b, ...): the smallest argument', fn: (a) => (a.some((x) => x === null) ? null : Math.min(...(a as number[]))) },
  max: { arity: [1, 16], doc: 'max(a, b, ...): the largest argument', fn: (a) => (a.some((x) => x === null) ? null : Math.max(...(a as number[]))) },
  abs: { arity: [1, 1], doc: 'abs(x)', fn: ([x]) => (x === null ? null : Math.abs(x)) },
  sqrt: { arity: [1, 1], doc: 'sqrt(x) (null for x < 0)', fn: ([x]) => (x === null || x < 0 ? null : Math.sqrt(x)) },
  coalesce: { arity: [1, 16], doc: 'coalesce(a, b, ...): the first argument that is not null', fn: (a) => a.find((x) => x !== null) ?? null },
};

type Node =
  | { t: 'num'; v: number }
  | { t: 'name'; v: string }
  | { t: 'neg'; a: Node }
  | { t: 'bin'; op: '+' | '-' | '*' | '/'; a: Node; b: Node }
  | { t: 'call'; fn: string; args: Node[] };

interface Token {
  kind: 'num' | 'name' | 'op' | 'end';
  text: string;
  pos: number;
}

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  const re = /\s*(?:(\d+(?:\.\d+)?(?:e[+-]?\d+)?)|([a-z_][a-z0-9_]*)|([-+*/(),]))/iy;
  let pos = 0;
  while (pos < src.length) {
    if (/^\s*$/.test(src.slice(pos))) break;
    re.lastIndex = pos;
    const m = re.exec(src);
    if (!m) {
      const at = pos + (src.slice(pos).length - src.slice(pos).trimStart().length);
      throw new ExpressionError(`unexpected character '${src[at]}' at position ${at + 1}`);
    }
    const start = m.index + m[0].length - (m[1] ?? m[2] ?? m[3]).length;
    if (m[1] !== undefined) out.push({ kind: 'num', text: m[1], pos: start });
    else if (m[2] !== undefined) out.push({ kind: 'name', text: m[2], pos: start });
    else out.push({ kind: 'op', text: m[3], pos: start });
    pos = re.lastIndex;
  }
  out.push({ kind: 'end', text: '', pos: src.length });
  return out;
}

function parse(src: string): Node {
  const tokens = tokenize(src);
  let i = 0;
  const peek = () => tokens[i];
  const fail = (msg: string, tok = peek()): never => {
    throw new ExpressionError(`${msg} at position ${tok.pos + 1}`);
  };
  const expectOp = (op: string) => {
    if (peek().kind !== 'op' || peek().text !== op) fail(`expected '${op}'${peek().kind === 'end' ? ' before the end' : ` but found '${peek().text}'`}`);
    i++;
  };
  function expr(): Node {
    let a = term();
    while (peek().kind === 'op' && (peek().text === '+' || peek().text === '-')) {
      const op = tokens[i++].text as '+' | '-';
      a = { t: 'bin', op, a, b: term() };
    }
    return a;
  }
  function term(): Node {
    let a = unary();
    while (peek().kind === 'op' && (peek().text === '*' || peek().text === '/')) {
      const op = tokens[i++].text as '*' | '/';
      a = { t: 'bin', op, a, b: unary() };
    }
    return a;
  }
  function unary(): Node {
    if (peek().kind === 'op' && peek().text === '-') {
      i++;
      return { t: 'neg', a: unary() };
    }
    return primary();
  }
  function primary(): Node {
    const tok = peek();
    if (tok.kind === 'num') {
      i++;
      return { t: 'num', v: Number(tok.text) };
    }
    if (tok.kind === 'name') {
      i++;
      if (peek().kind === 'op' && peek().text === '(') {
        const f = EXPRESSION_FUNCTIONS[tok.text];
        if (!f) fail(`unknown function '${tok.text}'`, tok);
        i++;
        const args = [expr()];
        while (peek().kind === 'op' && peek().text === ',') {
          i++;
          args.push(expr());
        }
        expectOp(')');
        if (args.length < f.arity[0] || args.length > f.arity[1]) {
          fail(`function '${tok.text}' takes ${f.arity[0] === f.arity[1] ? f.arity[0] : `${f.arity[0]}-${f.arity[1]}`} arguments, got ${args.length}`, tok);
        }
        return { t: 'call', fn: tok.text, args };
      }
      return { t: 'name', v: tok.text };
    }
    if (tok.kind === 'op' && tok.text === '(') {
      i++;
      const e = expr();
      expectOp(')');
      return e;
    }
    return fail(tok.kind === 'end' ? 'unexpected end of expression' : `unexpected '${tok.text}'`);
  }
  const node = expr();
  if (peek().kind !== 'end') fail(`unexpected '${peek().text}'`);
  return node;
}

function collectNames(n: Node, out: Set<string>): void {
  if (n.t === 'name') out.add(n.v);
  else if (n.t === 'neg') collectNames(n.a, out);
  else if (n.t === 'bin') (collectNames(n.a, out), collectNames(n.b, out));
  else if (n.t === 'call') for (const a of n.args) collectNames(a, out);
}

function run(n: Node, q: Quantities): number | null {
  switch (n.t) {
    case 'num':
      return n.v;
    case 'name': {
      const v = q[n.v];
      return v === undefined || v === null || !Number.isFinite(v) ? null : v;
    }
    case 'neg': {
      const a = run(n.a, q);
      return a === null ? null : -a;
    }
    case 'bin': {
      const a = run(n.a, q);
      const b = run(n.b, q);
      if (a === null || b === null) return null;
      if (n.op === '+') return a + b;
      if (n.op === '-') return a - b;
      if (n.op === '*') return a * b;
      return b === 0 ? null : a / b;
    }
    case 'call': {
      const v = EXPRESSION_FUNCTIONS[n.fn].fn(n.args.map((a) => run(a, q)));
      return v === null || !Number.isFinite(v) ? null : v;
    }
  }
}

/**
 * Parses an expression; when `allowed` is given, every name must be in it.
 * Throws ExpressionError naming the problem and its position.
 */
export function compileExpression(source: string, allowed?: ReadonlySet<string> | readonly string[]): CompiledExpression {
  if (typeof source !== 'string' || source.trim() === '') throw new ExpressionError('empty expression');
  const node = parse(source);
  const names = new Set<string>();
  collectNames(node, names);
  if (allowed) {
    const ok = allowed instanceof Set ? allowed : new Set(allowed as readonly string[]);
    for (const n of names) {
      if (!ok.has(n)) throw new ExpressionError(`unknown quantity '${n}' (known: ${[...ok].sort().join(', ')})`);
    }
  }
  return { source, names, evaluate: (q) => run(node, q) };
}
