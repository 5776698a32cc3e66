/**
 * A small, strict command-line argument parser: `--name value` and `--flag`, with
 * declared options only. Unknown or malformed arguments throw a UsageError whose
 * message is the one line the command prints before exiting non-zero.
 */
export class UsageError extends Error {
  override name = 'UsageError';
}

export interface OptionSpec {
  readonly type: 'string' | 'int' | 'number' | 'boolean' | 'month';
  readonly description: string;
  readonly default?: string | number | boolean;
  /** Extra validation; return an error message or undefined. */
  readonly check?: (value: string | number | boolean) => string | undefined;
}

export type Options = Record<string, OptionSpec>;

export type Parsed<O extends Options> = {
  [K in keyof O]: O[K]['type'] extends 'boolean' ? boolean : O[K]['type'] extends 'int' | 'number' ? number : string;
} & { help: boolean; positionals: string[] };

export function parseArgs<O extends Options>(argv: readonly string[], options: O, maxPositionals = 0): Parsed<O> {
  const out: Record<string, unknown> = { help: false, positionals: [] as string[] };
  for (const [k, spec] of Object.entries(options)) if (spec.default !== undefined) out[k] = spec.default;
  const seen = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') {
      out.help = true;
      continue;
    }
    if (!arg.startsWith('--')) {
      (out.positionals as string[]).push(arg);
      if ((out.positionals as string[]).length > maxPositionals) throw new UsageError(`unexpected argument '${arg}'`);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    const spec = options[name];
    if (!spec) throw new UsageError(`unknown option '--${name}'`);
    if (seen.has(name)) throw new UsageError(`option '--${name}' given twice`);
    seen.add(name);
    if (spec.type === 'boolean') {
      if (eq >= 0) throw new UsageError(`option '--${name}' takes no value`);
      out[name] = true;
      continue;
    }
    const raw = eq >= 0 ? arg.slice(eq + 1) : argv[++i];
    if (raw === undefined || (eq < 0 && raw.startsWith('--'))) throw new UsageError(`option '--${name}' needs a value`);
    let value: string | number = raw;
    if (spec.type === 'int') {
      if (!/^-?\d+$/.test(raw)) throw new UsageError(`option '--${name}' must be an integer, got '${raw}'`);
      value = Number(raw);
    } else if (spec.type === 'number') {
      if (!/^-?(\d+\.?\d*|\.\d+)$/.test(raw)) throw new UsageError(`option '--${name}' must be a number, got '${raw}'`);
      value = Number(raw);
    } else if (spec.type === 'month') {
      if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(raw)) throw new UsageError(`option '--${name}' must be a month YYYY-MM, got '${raw}'`);
    }
    const problem = spec.check?.(value);
    if (problem) throw new UsageError(`option '--${name}' ${problem}`);
    out[name] = value;
  }
  return out as Parsed<O>;
}

/** The --help text of a command. */
export function helpText(usage: string, summary: string, options: Options): string {
  const lines = [`Usage: ${usage}`, '', summary, '', 'Options:'];
  for (const [k, spec] of Object.entries(options)) {
    const def = spec.default !== undefined && spec.type !== 'boolean' ? ` (default: ${spec.default})` : '';
    lines.push(`  --${k}${spec.type === 'boolean' ? '' : ` <${spec.type}>`}`.padEnd(28) + spec.description + def);
  }
  lines.push('  --help'.padEnd(28) + 'show this help');
  return lines.join('\n');
}
