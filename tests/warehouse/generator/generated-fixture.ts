/**
 * Generates a small province once per test file into a temporary folder (removed by
 * `cleanup`) and loads its truth.json.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateProvince, type GenerateOptions, type GenerateSummary } from '../../../warehouse/generator/generate-province.ts';
import type { TruthFileEntry } from './export-reader.ts';

export interface Truth {
  generator: { version: string; options: Record<string, number | string> };
  period: { baseDate: string; from: string; to: string; initialBatch: string; lastRecordedDay: string; months: string[] };
  batches: string[];
  files: (TruthFileEntry & { bytes: number })[];
  festivals: Record<string, string>;
  monthEnd: Record<string, Record<string, Record<string, number>>>;
  flows: Record<string, Record<string, { increases: Record<string, number>; decreases: Record<string, number> }>>;
  festival: Record<string, Record<string, { returned: number[]; departed: number[] }>>;
  shocks: ({ rule: string; region: string; regionLevel: string; period: string; affected: number } & Record<string, unknown>)[];
  dirtyRows: { file: string; row: number; column: string | null; reason: string }[];
  reconciliation: { file: string; kind: 'missing' | 'extra' | 'field'; id_number: string; column: string | null; expected?: string; actual?: string; row?: number }[];
  coverage: { duplicated: { village: string; points: [string, string] }[]; uncovered: { village: string; point: string }[]; files: string[] };
  points: { total: number; villages: number };
}

export interface Generated {
  readonly dir: string;
  readonly truth: Truth;
  readonly summary: GenerateSummary;
}

export async function generate(name: string, options: Omit<GenerateOptions, 'out'>): Promise<Generated> {
  const dir = mkdtempSync(join(tmpdir(), `rlm-gen-${name}-`));
  const summary = await generateProvince({ ...options, out: dir });
  const truth = JSON.parse(readFileSync(join(dir, 'truth.json'), 'utf8')) as Truth;
  return { dir, truth, summary };
}

export function cleanup(g: Generated | undefined): void {
  if (g) rmSync(g.dir, { recursive: true, force: true });
}
