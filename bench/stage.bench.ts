/**
 * Staging benchmark: stageExportFile on a generated persons-like export (all 23 contract
 * columns, realistic values, quoted employers with commas) against the floor, DuckDB
 * alone reading the same CSV into a table (`CREATE TABLE t AS SELECT * FROM read_csv(path)`,
 * and with all_varchar = true, closer to what staging keeps). Also the GB18030 path,
 * Parquet, and XLSX (smaller: XLSX sheets hold at most 1 048 576 rows).
 *
 * Each measurement runs in its own child process with its own DuckDB database file, so
 * that its wall time and peak RSS are its own. Medians of --reps runs.
 *
 *   npx tsx bench/stage.bench.ts [--rows 3000000] [--xlsx-rows 100000] [--reps 3] [--out bench/out/stage]
 */
import { execFileSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import { cpus, loadavg, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { PERSON_COLUMNS } from '../warehouse/contract/columns.ts';
import { makeIdNumber } from '../warehouse/reference/id-number.ts';
import { stageExportFile } from '../warehouse/readers/stage-export-file.ts';
import { parseArgs } from '../engine/commands/args.ts';

type Measure = 'floor' | 'floor-varchar' | 'stage';

interface ChildResult {
  seconds: number;
  /** User + system CPU time of the whole child (Node and DuckDB threads). */
  cpuSeconds: number;
  maxRssMiB: number;
  rows: number;
  malformed: number;
}

const SURNAMES = ['张', '王', '李', '刘', '陈', '杨', '黄', '赵', '周', '吴', '欧阳', '何', '罗', '邓', '蒋'];
const GIVEN = ['伟', '芳', '娜', '秀英', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟', '涛', '明', '超'];
const STATUS = ['10', '21', '22', '23', '23', '23', '24', '30', '40', '50'];
const REVIEW = ['待审核', '乡镇已审核', '县级已复核', '县级已复核', '退回'];
const NEEDS = ['职业介绍', '职业培训', '创业服务', '劳务对接', '维权服务', '政策咨询'];
const EMPLOYERS = ['成都某某建筑有限公司', '广东省东莞市某电子厂', '浙江某某物流, 宁波分公司', '个体', '深圳某某科技有限公司'];

/** Deterministic xorshift so that every run writes the same file. */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
}

function csvField(v: string): string {
  return /[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v;
}

/** One persons row in contract column order. */
function personRow(i: number, r: () => number): string[] {
  const pick = <T>(a: readonly T[]): T => a[Math.floor(r() * a.length)];
  const year = 1960 + Math.floor(r() * 45);
  const month = 1 + Math.floor(r() * 12);
  const day = 1 + Math.floor(r() * 28);
  const iso = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  const id = makeIdNumber('510104', iso, i % 1000);
  const status = pick(STATUS);
  const away = ['21', '22', '23', '24'].includes(status);
  const birth = i % 10 === 0 ? iso.replaceAll('-', '') : i % 10 === 1 ? iso.replaceAll('-', '/') : iso;
  return [
    id,
    pick(SURNAMES) + pick(GIVEN),
    (id.charCodeAt(16) - 48) % 2 === 1 ? '男' : '女',
    birth,
    `510104${String(1 + (i % 900)).padStart(6, '0')}`,
    `P510104${String(i % 300).padStart(4, '0')}`,
    r() < 0.7 ? `1${3 + Math.floor(r() * 7)}${String(Math.floor(r() * 1e9)).padStart(9, '0')}` : '',
    pick(['10', '20', '20', '30', '40', '50']),
    String(Math.floor(r() * 6)),
    r() < 0.2 ? '是' : '否',
    r() < 0.05 ? '是' : '否',
    r() < 0.03 ? '是' : '',
    status,
    away ? '在外' : '在乡',
    away ? pick(['440300', '330200', '510100', '500000', '990000']) : '',
    away ? pick(['C', 'E', 'F', 'G', 'H']) : '',
    away ? pick(EMPLOYERS) : '',
    away ? String(2000 + Math.floor(r() * 8000)) : '',
    r() < 0.4 ? '是' : '否',
    r() < 0.5 ? `${pick(NEEDS)};${pick(NEEDS)}` : '',
    `20${String(18 + Math.floor(r() * 7))}-0${1 + Math.floor(r() * 9)}-1${Math.floor(r() * 9)}`,
    '2025-10-31',
    pick(REVIEW),
  ];
}

async function writePersonsCsv(path: string, rows: number, encoding: 'utf-8' | 'gb18030'): Promise<void> {
  const out = createWriteStream(path);
  const r = rng(20251031);
  const encode = (s: string): Buffer => (encoding === 'gb18030' ? iconv.encode(s, 'gb18030') : Buffer.from(s, 'utf8'));
  let buffer = `${PERSON_COLUMNS.map((c) => c.header).join(',')}\n`;
  for (let i = 0; i < rows; i++) {
    buffer += `${personRow(i, r).map(csvField).join(',')}\n`;
    if (buffer.length > 1 << 20) {
      if (!out.write(encode(buffer))) await once(out, 'drain');
      buffer = '';
    }
  }
  out.end(encode(buffer));
  await finished(out);
}

async function writePersonsXlsx(path: string, rows: number): Promise<void> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings: true });
  const ws = wb.addWorksheet('人员信息');
  ws.addRow(PERSON_COLUMNS.map((c) => c.header)).commit();
  const r = rng(20251031);
  for (let i = 0; i < rows; i++) ws.addRow(personRow(i, r)).commit();
  ws.commit();
  await wb.commit();
}

async function writeParquetFrom(csv: string, parquet: string): Promise<void> {
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  await conn.run(`COPY (SELECT * FROM read_csv($csv, all_varchar = true)) TO '${parquet.replaceAll("'", "''")}' (FORMAT parquet)`, { csv });
  conn.closeSync();
  instance.closeSync();
}

// ------------------------------------------------------------------------- child side

async function child(measure: Measure, file: string, dbPath: string, tempDir: string): Promise<void> {
  for (const p of [dbPath, `${dbPath}.wal`]) rmSync(p, { force: true });
  const instance = await DuckDBInstance.create(dbPath);
  const conn = await instance.connect();
  await conn.run("SET TimeZone = 'Asia/Shanghai'");
  const start = performance.now();
  const cpu0 = process.cpuUsage();
  let rows = 0;
  let malformed = 0;
  if (measure === 'stage') {
    const staged = await stageExportFile(conn, file, { table: 'stg_persons', relPath: file.split('/').slice(-2).join('/'), tempDir });
    rows = staged.rowsStaged;
    malformed = staged.malformed.length;
  } else {
    const options = measure === 'floor-varchar' ? ', all_varchar = true' : '';
    await conn.run(`CREATE TABLE floor AS SELECT * FROM read_csv($file${options})`, { file });
    rows = Number((await conn.runAndReadAll('SELECT count(*)::BIGINT AS n FROM floor')).getRowObjectsJS()[0].n);
  }
  const seconds = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpu0);
  conn.closeSync();
  instance.closeSync();
  for (const p of [dbPath, `${dbPath}.wal`]) rmSync(p, { force: true });
  const result: ChildResult = { seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, maxRssMiB: process.resourceUsage().maxRSS / 1024, rows, malformed };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

function runChild(measure: Measure, file: string, out: string): ChildResult {
  const stdout = execFileSync(process.execPath, ['--import', 'tsx', resolve('bench/stage.bench.ts'), '--child', measure, '--file', file, '--out', out], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
    env: { ...process.env, UV_THREADPOOL_SIZE: process.env.UV_THREADPOOL_SIZE ?? '8' },
  });
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as ChildResult;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// ------------------------------------------------------------------------ parent side

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2), {
    rows: { type: 'int', description: 'rows of the CSV/Parquet files', default: 3_000_000 },
    'xlsx-rows': { type: 'int', description: 'rows of the XLSX file (0 = skip)', default: 100_000 },
    reps: { type: 'int', description: 'runs per measurement (median reported)', default: 3 },
    out: { type: 'string', description: 'work folder (files are kept for re-runs)', default: 'bench/out/stage' },
    child: { type: 'string', description: '(internal) run one measurement', default: '' },
    file: { type: 'string', description: '(internal) file to measure', default: '' },
  });
  const out = resolve(args.out);
  if (args.child) {
    await child(args.child as Measure, args.file, join(out, `child-${process.pid}.duckdb`), join(out, 'tmp'));
    return;
  }
  mkdirSync(out, { recursive: true });
  const batch = join(out, `${args.rows}`, '2025-11-01');
  mkdirSync(batch, { recursive: true });
  const csv = join(batch, 'persons_20251031.csv');
  const gbDir = join(out, `${args.rows}-gb18030`, '2025-11-01');
  mkdirSync(gbDir, { recursive: true });
  const gb = join(gbDir, 'persons_20251031.csv');
  const parquet = join(batch, 'persons_20251031.parquet');
  const xlsxDir = join(out, `xlsx-${args['xlsx-rows']}`, '2025-11-01');
  mkdirSync(xlsxDir, { recursive: true });
  const xlsx = join(xlsxDir, 'persons_20251031.xlsx');

  const timed = async (label: string, f: () => Promise<void>): Promise<void> => {
    const t = performance.now();
    await f();
    console.error(`${label}: ${((performance.now() - t) / 1000).toFixed(1)} s`);
  };
  if (!existsSync(csv)) await timed(`generate ${args.rows} rows UTF-8`, () => writePersonsCsv(csv, args.rows, 'utf-8'));
  if (!existsSync(gb)) await timed(`generate ${args.rows} rows GB18030`, () => writePersonsCsv(gb, args.rows, 'gb18030'));
  if (!existsSync(parquet)) await timed('write Parquet', () => writeParquetFrom(csv, parquet));
  if (args['xlsx-rows'] > 0 && !existsSync(xlsx)) await timed(`generate ${args['xlsx-rows']} rows XLSX`, () => writePersonsXlsx(xlsx, args['xlsx-rows']));

  const cases: { label: string; measure: Measure; file: string }[] = [
    { label: 'floor: read_csv auto-detect → table', measure: 'floor', file: csv },
    { label: 'floor: read_csv all_varchar → table', measure: 'floor-varchar', file: csv },
    { label: 'stageExportFile UTF-8 CSV', measure: 'stage', file: csv },
    { label: 'stageExportFile GB18030 CSV', measure: 'stage', file: gb },
    { label: 'stageExportFile Parquet', measure: 'stage', file: parquet },
    ...(args['xlsx-rows'] > 0 ? [{ label: 'stageExportFile XLSX', measure: 'stage' as Measure, file: xlsx }] : []),
  ];
  const results: Record<string, ChildResult[]> = {};
  for (let rep = 0; rep < args.reps; rep++) {
    for (const c of cases) {
      const r = runChild(c.measure, c.file, out);
      (results[c.label] ??= []).push(r);
      console.error(`rep ${rep + 1} ${c.label}: ${r.seconds.toFixed(2)} s (CPU ${r.cpuSeconds.toFixed(2)} s), ${r.rows} rows, peak RSS ${r.maxRssMiB.toFixed(0)} MiB, load ${loadavg()[0].toFixed(1)}`);
    }
  }
  const m = (label: string, key: 'seconds' | 'cpuSeconds'): number => median(results[label].map((r) => r[key]));
  const floorAuto = 'floor: read_csv auto-detect → table';
  const floorVarchar = 'floor: read_csv all_varchar → table';
  const lines = [
    `| measurement | file | rows | wall s, median (runs) | rows/s | wall × floor (auto / varchar) | CPU s, median | CPU × floor (auto / varchar) | peak RSS MiB |`,
    `| --- | --- | ---: | --- | ---: | --- | ---: | --- | ---: |`,
  ];
  for (const c of cases) {
    const rs = results[c.label];
    const s = m(c.label, 'seconds');
    const cpuS = m(c.label, 'cpuSeconds');
    const mib = (statSync(c.file).size / (1 << 20)).toFixed(0);
    const ratio = (key: 'seconds' | 'cpuSeconds', v: number): string =>
      c.file === xlsx ? '–' : `${(v / m(floorAuto, key)).toFixed(2)} / ${(v / m(floorVarchar, key)).toFixed(2)}`;
    lines.push(
      `| ${c.label} | ${c.file.split('.').at(-1)} ${mib} MiB | ${rs[0].rows} | ${s.toFixed(2)} (${rs.map((r) => r.seconds.toFixed(2)).join(', ')}) | ${Math.round(rs[0].rows / s)} | ${ratio('seconds', s)} | ${cpuS.toFixed(2)} | ${ratio('cpuSeconds', cpuS)} | ${median(rs.map((r) => r.maxRssMiB)).toFixed(0)} |`,
    );
  }
  const cpu = cpus();
  console.log(`Machine: ${cpu.length} × ${cpu[0]?.model ?? 'unknown CPU'}, ${(totalmem() / (1 << 30)).toFixed(0)} GiB, Node ${process.version}, DuckDB ${await duckdbVersion()}`);
  console.log(`Load average at the end: ${loadavg().map((x) => x.toFixed(1)).join(' ')} (other processes share the 2 cores)`);
  console.log(`Command: npx tsx bench/stage.bench.ts --rows ${args.rows} --xlsx-rows ${args['xlsx-rows']} --reps ${args.reps}`);
  console.log(lines.join('\n'));
}

async function duckdbVersion(): Promise<string> {
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  const v = String((await conn.runAndReadAll('SELECT version() AS v')).getRowObjectsJS()[0].v);
  conn.closeSync();
  instance.closeSync();
  return v;
}

await main();
