/**
 * Loads alerts/rules.yaml (or another rule file), validated against the quantity
 * sources; errors name the file, the rule id and the field (YAML syntax errors: the
 * line and column).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { relative } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { RuleFileError, validateRuleFile, type RuleSet } from './rule-schema.ts';
import { SOURCES } from './sources/sources.ts';

export const RULES_FILE = fileURLToPath(new URL('./rules.yaml', import.meta.url));

function displayName(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel && !rel.startsWith('..') ? rel : file;
}

/** Parses and validates rule-file text. */
export function parseRules(text: string, file: string, options: { requireBuiltIns?: boolean } = {}): RuleSet {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: false, lineCounter });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    const pos = lineCounter.linePos(e.pos[0]);
    const where = `line ${pos.line}, column ${pos.col}`;
    throw new RuleFileError(file, null, where, e.message.split('\n')[0]);
  }
  return validateRuleFile(doc.toJS(), file, SOURCES, options);
}

let cached: RuleSet | undefined;

/** Loads and validates a rule file (the built-in one is cached). */
export function loadRules(file: string = RULES_FILE): RuleSet {
  if (file === RULES_FILE && cached) return cached;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new RuleFileError(displayName(file), null, '(file)', `cannot read: ${(err as Error).message}`);
  }
  const set = parseRules(text, displayName(file));
  if (file === RULES_FILE) cached = set;
  return set;
}
