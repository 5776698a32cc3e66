/**
 * `npm run generate -- --out DIR [--persons N] [--seed S] [--from YYYY-MM] [--to YYYY-MM] [--dirty RATE] [--daily N]`:
 * writes synthetic registry exports (initial batch + daily batches) and DIR/truth.json.
 * A thin wrapper around generateProvince (warehouse/generator/generate-province.ts).
 */
import { UsageError, helpText, parseArgs, type Options } from './args.ts';
import { DEFAULT_FROM, MAX_DIRTY, MIN_PERSONS, defaultToMonth, generateProvince, optionProblem } from '../../warehouse/generator/generate-province.ts';
import { MAX_DAILY_BATCHES } from '../../warehouse/generator/generate-county.ts';

const OPTIONS = {
  out: { type: 'string', description: 'output folder (batch folders and truth.json are written into it)' },
  persons: { type: 'int', description: `registry size at the base date (≥ ${MIN_PERSONS})`, default: 300_000 },
  seed: { type: 'int', description: 'random seed (same arguments → byte-identical files)', default: 1 },
  from: { type: 'month', description: 'first month of history (YYYY-MM)', default: DEFAULT_FROM },
  to: { type: 'month', description: 'last month of history (default: last complete month, Asia/Shanghai)' },
  dirty: { type: 'number', description: `share of planted dirty rows, 0..${MAX_DIRTY} (0 = perfectly clean)`, default: 0.005 },
  daily: { type: 'int', description: `daily batches after the initial batch, 0..${MAX_DAILY_BATCHES}`, default: 0 },
} satisfies Options;

function formatBytes(n: number): string {
  return n >= 1 << 30 ? `${(n / (1 << 30)).toFixed(2)} GiB` : n >= 1 << 20 ? `${(n / (1 << 20)).toFixed(1)} MiB` : `${(n / 1024).toFixed(1)} KiB`;
}

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, OPTIONS);
  if (args.help) {
    console.log(helpText('npm run generate -- --out DIR [options]',
      'Write synthetic registry exports of Sichuan (initial batch DIR/<day after --to>/, then --daily batches) and DIR/truth.json.',
      OPTIONS));
    return 0;
  }
  if (!args.out) throw new UsageError('--out DIR is required');
  const resolved = { out: args.out, persons: args.persons, seed: args.seed, from: args.from, to: args.to || defaultToMonth(), dirty: args.dirty, daily: args.daily };
  const problem = optionProblem(resolved);
  if (problem) throw new UsageError(problem);
  console.log(`Generating ${resolved.persons.toLocaleString('en')} persons, ${resolved.from} .. ${resolved.to}, seed ${resolved.seed}, dirty ${resolved.dirty}, ${resolved.daily} daily batches → ${resolved.out}`);
  const s = await generateProvince({ ...resolved, log: (line) => console.log(line) });
  console.log(`Done: ${s.files} files in ${s.batches.length} batch folders (${s.batches[0]}${s.batches.length > 1 ? ` .. ${s.batches.at(-1)}` : ''}), ` +
    `${s.rows.toLocaleString('en')} rows, ${formatBytes(s.bytes)}, ${s.dirtyRows} dirty rows, ${s.seconds.toFixed(1)} s`);
  return 0;
}
