/**
 * A later warehouse of the shared generated province with a correction: a copy of the
 * fixture's export batch plus a new batch (2026-04-02) that reports, late, the deaths of
 * `count` persons of county 511702 on 2026-03-20 (减少/死亡, recorded 2026-04-02). The real
 * refresh (engine/cli.ts refresh, a child process) builds it; the result is cached in /tmp
 * beside the fixture (same fixture → same correction → reused).
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ProvinceFixture } from '../fixture.ts';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
export const CORRECTION = { county: '511702', eventDate: '2026-03-20', recordedOn: '2026-04-02', count: 6 } as const;

export interface CorrectedProvince {
  readonly dataDir: string;
  /** ID numbers reported dead (only inside this test's temporary files). */
  readonly persons: readonly string[];
}

export function correctedProvince(fixture: ProvinceFixture): CorrectedProvince {
  const root = `${fixture.root}.corrected-${CORRECTION.count}`;
  const dataDir = join(root, 'data');
  const personsFile = join(root, 'persons.json');
  if (existsSync(join(root, 'ready'))) return { dataDir, persons: JSON.parse(readFileSync(personsFile, 'utf8')) as string[] };
  const work = `${root}.building-${process.pid}`;
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  cpSync(fixture.inbox, join(work, 'inbox'), { recursive: true });
  // Persons active at the end of March, of the county, registered before 2026.
  const batch = readdirSync(fixture.inbox).filter((n) => /^\d{4}-\d{2}-\d{2}$/.test(n)).sort().pop()!;
  const snapshot = readdirSync(join(fixture.inbox, batch)).filter((n) => n.startsWith('persons_')).sort().pop()!;
  const lines = readFileSync(join(fixture.inbox, batch, snapshot), 'utf8').split(/\r?\n/);
  const header = lines[0].replace(/^\uFEFF/, '').split(',');
  const col = (name: string) => header.indexOf(name);
  const picked = lines
    .slice(1)
    .map((l) => l.split(','))
    .filter((r) => r.length === header.length && r[col('户籍村代码')].startsWith(CORRECTION.county) && r[col('登记日期')] < '2026-01-01')
    .slice(0, CORRECTION.count);
  if (picked.length < CORRECTION.count) throw new Error(`only ${picked.length} persons of ${CORRECTION.county} in ${snapshot}`);
  const changesHeader = '公民身份号码,变动日期,录入日期,变动类型,变动原因,采集点编码,审核状态';
  const rows = picked.map((r) => [r[col('公民身份号码')], CORRECTION.eventDate, CORRECTION.recordedOn, '减少', '死亡', r[col('采集点编码')], '县级已复核'].join(','));
  const dir = join(work, 'inbox', CORRECTION.recordedOn);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `changes_${CORRECTION.recordedOn.replaceAll('-', '')}.csv`), `${changesHeader}\n${rows.join('\n')}\n`);
  const persons = picked.map((r) => r[col('公民身份号码')]);
  writeFileSync(join(work, 'persons.json'), JSON.stringify(persons));
  rmSync(root, { recursive: true, force: true });
  renameSync(work, root);
  execFileSync(process.execPath, [join(REPO, 'node_modules/tsx/dist/cli.mjs'), join(REPO, 'engine/cli.ts'), 'refresh', '--data', dataDir, '--inbox', join(root, 'inbox')], {
    cwd: REPO,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, UV_THREADPOOL_SIZE: '4' },
    maxBuffer: 64 * 1024 * 1024,
  });
  mkdirSync(join(root, 'ready'));
  return { dataDir, persons };
}
