import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { ExportFileError, stageExportFile, type StagedFile } from '../../../warehouse/readers/stage-export-file.ts';
import { detectEncoding } from '../../../warehouse/readers/detect-encoding.ts';
import { sha256File } from '../../../warehouse/readers/sha256-file.ts';
import { csvText, expectedRows, HEADER, KEYS, ROWS, writeCsv, writeParquet, writeXlsx } from './person-fixture.ts';

let instance: DuckDBInstance;
let conn: DuckDBConnection;
let dir: string;
let tempDir: string;
let tableNo = 0;

beforeAll(async () => {
  instance = await DuckDBInstance.create(':memory:');
  conn = await instance.connect();
  await conn.run("SET TimeZone = 'Asia/Shanghai'");
  dir = mkdtempSync(join(tmpdir(), 'readers-test-'));
  tempDir = join(dir, '_temp');
});

afterAll(() => {
  conn.closeSync();
  instance.closeSync();
  rmSync(dir, { recursive: true, force: true });
});

/** A fresh folder holding one export file name; returns its path and relPath. */
function place(fileName: string): { path: string; relPath: string } {
  const batch = `case-${++tableNo}`;
  mkdirSync(join(dir, batch), { recursive: true });
  return { path: join(dir, batch, fileName), relPath: `${batch}/${fileName}` };
}

async function stage(path: string, relPath: string, extra: { encoding?: 'utf-8' | 'gb18030'; maxMalformed?: number } = {}): Promise<StagedFile> {
  return stageExportFile(conn, path, { table: `stg_${++tableNo}`, relPath, tempDir, ...extra });
}

async function rowsOf(table: string): Promise<Record<string, unknown>[]> {
  const reader = await conn.runAndReadAll(`SELECT * FROM ${table} ORDER BY row_no`);
  return reader.getRowObjectsJS().map((r) => ({ ...r, row_no: Number(r.row_no) }));
}

async function columnsOf(table: string): Promise<string[]> {
  const reader = await conn.runAndReadAll('SELECT column_name FROM duckdb_columns() WHERE table_name = $t ORDER BY column_index', { t: table });
  return reader.getRowObjectsJS().map((r) => String(r.column_name));
}

async function tableExists(table: string): Promise<boolean> {
  const reader = await conn.runAndReadAll('SELECT count(*)::INTEGER AS n FROM duckdb_tables() WHERE table_name = $t', { t: table });
  return reader.getRowObjectsJS()[0].n === 1;
}

/** Runs a staging that must fail; returns the error after checking it names the file and left nothing behind. */
async function stageFails(path: string, relPath: string, extra: { encoding?: 'utf-8' | 'gb18030'; maxMalformed?: number } = {}): Promise<ExportFileError> {
  const table = `stg_${++tableNo}`;
  let error: unknown;
  try {
    await stageExportFile(conn, path, { table, relPath, tempDir, ...extra });
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(ExportFileError);
  const e = error as ExportFileError;
  expect(e.file).toBe(relPath);
  expect(e.message).toBe(`${relPath}: ${e.problem}`);
  expect(await tableExists(table)).toBe(false);
  expect(existsTemp()).toEqual([]);
  return e;
}

function existsTemp(): string[] {
  try {
    return readdirSync(tempDir);
  } catch {
    return [];
  }
}

const sha = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

describe('the same data in every format stages to identical tables', () => {
  const formats: {
    label: string;
    file: string;
    write: (path: string) => Promise<void> | void;
    meta: Partial<StagedFile>;
  }[] = [
    { label: 'UTF-8 CSV', file: 'persons_20251031.csv', write: (p) => writeCsv(p, [HEADER, ...ROWS]), meta: { format: 'csv', encoding: 'utf-8', delimiter: ',', bom: false, lineEnding: 'lf' } },
    { label: 'UTF-8 CSV with BOM and CRLF', file: 'persons_20251031.csv', write: (p) => writeCsv(p, [HEADER, ...ROWS], { bom: true, eol: '\r\n' }), meta: { format: 'csv', encoding: 'utf-8', delimiter: ',', bom: true, lineEnding: 'crlf' } },
    { label: 'tab-separated CSV', file: 'persons_20251031.csv', write: (p) => writeCsv(p, [HEADER, ...ROWS], { delimiter: '\t' }), meta: { format: 'csv', encoding: 'utf-8', delimiter: '\t', bom: false, lineEnding: 'lf' } },
    { label: 'GB18030 CSV', file: 'persons_20251031.csv', write: (p) => writeCsv(p, [HEADER, ...ROWS], { encoding: 'gb18030' }), meta: { format: 'csv', encoding: 'gb18030', delimiter: ',', bom: false, lineEnding: 'lf' } },
    { label: 'GB18030 tab-separated CRLF CSV', file: 'persons_20251031.csv', write: (p) => writeCsv(p, [HEADER, ...ROWS], { encoding: 'gb18030', delimiter: '\t', eol: '\r\n' }), meta: { format: 'csv', encoding: 'gb18030', delimiter: '\t', bom: false, lineEnding: 'crlf' } },
    { label: 'XLSX', file: 'persons_20251031.xlsx', write: (p) => writeXlsx(p), meta: { format: 'xlsx', encoding: null, delimiter: null, bom: false, lineEnding: null } },
    { label: 'Parquet', file: 'persons_20251031.parquet', write: (p) => writeParquet(conn, p), meta: { format: 'parquet', encoding: null, delimiter: null, bom: false, lineEnding: null } },
  ];

  test.each(formats)('$label', async ({ file, write, meta }) => {
    const { path, relPath } = place(file);
    await write(path);
    const staged = await stage(path, relPath);
    expect(staged).toMatchObject({
      ...meta,
      path,
      relPath,
      name: { kind: 'persons', date: '2025-10-31', format: meta.format },
      sha256: sha(path),
      bytes: readFileSync(path).length,
      columns: KEYS,
      unknownColumns: ['备注'],
      rowsRead: ROWS.length,
      rowsStaged: ROWS.length,
      malformed: [],
    });
    expect(await columnsOf(staged.table)).toEqual(['row_no', ...KEYS]);
    const rows = await rowsOf(staged.table);
    expect(rows).toEqual(expectedRows());
    // The details the formats must not lose.
    expect(rows[0].id_number).toBe('51010219900307123X');
    expect(rows[3].id_number).toBe('51010219700101001x');
    expect(rows[0].name).toBe('张三');
    expect(rows[0].skill_level).toBe('0');
    expect(rows[2].point_code).toBe('0012');
    expect(rows[2].name).toBe('欧阳𠀀娜');
    expect(rows[0].employer).toBe('成都某某有限公司, 分公司');
    expect(rows[2].employer).toBe('He said "hi"');
    expect(rows[3].employer).toBe('绵阳\t工厂');
    expect(rows[1].phone).toBeNull();
    expect(rows[3].phone).toBeNull(); // an ideographic space only
    expect(rows.map((r) => r.birth_date)).toEqual(['1990-03-07', '19910308', '1985/12/12', '1970-01-01']);
    expect(existsTemp()).toEqual([]);
  });
});

describe('values', () => {
  test('surrounding white space (blank, tab, CR/LF, no-break and ideographic space) is trimmed, inner kept; blank cells are NULL', async () => {
    const name = HEADER.indexOf('姓名');
    const employer = HEADER.indexOf('就业单位');
    const phone = HEADER.indexOf('联系电话');
    const cases: [string, string | null][] = [
      ['\u00a0王五\u00a0', '王五'],
      ['\t王 五\r\n', '王 五'],
      ['\u3000\u3000', null],
      ['  ', null],
      ['a\u3000b', 'a\u3000b'],
    ];
    const rows = cases.map(([v], i) => {
      const r = [...ROWS[i % ROWS.length]];
      r[name] = v;
      r[employer] = v;
      r[phone] = i % 2 === 0 ? '""' : '';
      return r;
    });
    for (const file of ['persons_20251031.csv', 'persons_20251031.xlsx']) {
      const { path, relPath } = place(file);
      if (file.endsWith('.csv')) writeCsv(path, [HEADER, ...rows.map((r) => r.map((v) => (v === '""' ? '' : v)))]);
      else await writeXlsx(path, [HEADER, ...rows.map((r) => r.map((v) => (v === '""' ? '' : v)))], false);
      const staged = await stage(path, relPath);
      const got = await rowsOf(staged.table);
      expect(got.map((r) => r.name)).toEqual(cases.map(([, want]) => want));
      expect(got.map((r) => r.employer)).toEqual(cases.map(([, want]) => want));
      expect(got.map((r) => r.phone)).toEqual(cases.map(() => null));
    }
  });

  test('an ASCII header over a GB18030 body: detected as GB18030 after the UTF-8 attempt, staged from the transcoded text', async () => {
    const aliases = HEADER.map((h, i) => (h === '备注' ? 'remark' : KEYS[i]));
    const { path, relPath } = place('persons_20251031.csv');
    writeFileSync(path, Buffer.concat([Buffer.from(csvText([aliases])), iconv.encode(csvText(ROWS), 'gb18030')]));
    const staged = await stage(path, relPath);
    expect(staged).toMatchObject({ encoding: 'gb18030', rowsStaged: ROWS.length, malformed: [] });
    expect(await rowsOf(staged.table)).toEqual(expectedRows());
    expect(existsTemp()).toEqual([]);
  });
});

describe('Parquet values', () => {
  test('typed Parquet columns become text: dates and midnight timestamps as YYYY-MM-DD, whole doubles without .0', async () => {
    const { path, relPath } = place('submissions_202510.parquet');
    await conn.run(`COPY (
      SELECT * FROM (VALUES
        ('P0001', DATE '2025-10-01', TIMESTAMP '2025-11-03 00:00:00', TIMESTAMP '2025-11-04 08:30:00', '已报送', 5000.0::DOUBLE, 12.5::DOUBLE, 3::BIGINT, 1.50::DECIMAL(10,2)),
        ('P0002', NULL, NULL, NULL, '未报送', NULL, -0.25::DOUBLE, 0::BIGINT, NULL)
      ) AS t(point_code, "报送月份", submitted_on, "乡镇审核日期", "状态", verified_count, added_count, removed_count, extra)
    ) TO '${path}' (FORMAT parquet)`);
    const staged = await stage(path, relPath);
    expect(staged).toMatchObject({ columns: ['point_code', 'month', 'submitted_on', 'township_reviewed_on', 'status', 'verified_count', 'added_count', 'removed_count'], unknownColumns: ['extra'] });
    expect(await rowsOf(staged.table)).toEqual([
      { row_no: 2, point_code: 'P0001', month: '2025-10-01', submitted_on: '2025-11-03', township_reviewed_on: '2025-11-04 08:30:00', status: '已报送', verified_count: '5000', added_count: '12.5', removed_count: '3' },
      { row_no: 3, point_code: 'P0002', month: null, submitted_on: null, township_reviewed_on: null, status: '未报送', verified_count: null, added_count: '-0.25', removed_count: '0' },
    ]);
  });
});

describe('headers', () => {
  test('English aliases in any case and with blanks map like Chinese headers; unknown columns are reported, not staged', async () => {
    const aliases = HEADER.map((h, i) => (h === '备注' ? 'Remark' : [` ${KEYS[i].toUpperCase()}`, KEYS[i], `${KEYS[i][0].toUpperCase()}${KEYS[i].slice(1)} `][i % 3]));
    const { path, relPath } = place('persons_20251031.csv');
    const rows = [[...aliases, 'Extra Column'], ...ROWS.map((r) => [...r, 'ignored'])];
    writeCsv(path, rows);
    const staged = await stage(path, relPath);
    expect(staged.columns).toEqual(KEYS);
    expect(staged.unknownColumns).toEqual(['Remark', 'Extra Column']);
    expect(await columnsOf(staged.table)).toEqual(['row_no', ...KEYS]);
    expect(await rowsOf(staged.table)).toEqual(expectedRows());
  });

  test('Chinese headers and aliases mixed, in another column order; optional columns may be absent', async () => {
    const order = [16, 1, 0, 2, 3, 4, 5, 8, 9, 10, 11, 14, 15, 17]; // drops phone, skill level, employer, income
    const header = order.map((i, n) => (n % 2 === 0 ? HEADER[i] : (HEADER[i] === '备注' ? '备注' : KEYS[i])));
    const { path, relPath } = place('persons_20251031.csv');
    writeCsv(path, [header, ...ROWS.map((r) => order.map((i) => r[i]))]);
    const staged = await stage(path, relPath);
    const keys = order.filter((i) => HEADER[i] !== '备注').map((i) => KEYS[i]);
    expect(staged.columns).toEqual(keys);
    expect(staged.unknownColumns).toEqual(['备注']);
    const expected = expectedRows().map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => k === 'row_no' || keys.includes(k))));
    expect(await rowsOf(staged.table)).toEqual(expected);
  });

  test('a missing required header fails the file, naming the header in Chinese and English', async () => {
    const drop = [HEADER.indexOf('姓名'), HEADER.indexOf('审核状态')];
    const { path, relPath } = place('persons_20251031.csv');
    writeCsv(path, [HEADER.filter((_, i) => !drop.includes(i)), ...ROWS.map((r) => r.filter((_, i) => !drop.includes(i)))]);
    const e = await stageFails(path, relPath);
    expect(e.problem).toBe('missing required columns 姓名 (name), 审核状态 (review_status)');
  });

  test('a missing required header in XLSX and Parquet fails the same way', async () => {
    const x = place('persons_20251031.xlsx');
    await writeXlsx(x.path, [HEADER.map((h) => (h === '性别' ? '性 别' : h)), ...ROWS]);
    expect((await stageFails(x.path, x.relPath)).problem).toBe('missing required column 性别 (sex)');
    const p = place('persons_20251031.parquet');
    await conn.run(`COPY (SELECT '510102199103082345' AS "公民身份号码", '李四' AS name) TO '${p.path}' (FORMAT parquet)`);
    expect((await stageFails(p.path, p.relPath)).problem).toMatch(/^missing required columns 性别 \(sex\), 出生日期 \(birth_date\), /);
  });

  test('a column given twice (Chinese and alias) fails the file', async () => {
    const { path, relPath } = place('persons_20251031.csv');
    writeCsv(path, [[...HEADER, 'NAME'], ...ROWS.map((r) => [...r, 'x'])]);
    const e = await stageFails(path, relPath);
    expect(e.problem).toBe('column 姓名 (name) appears twice in the header (column 2 "姓名" and column 19 "NAME")');
  });
});

describe('files that cannot be read as a whole fail with the file named', () => {
  test('an .xlsx that is a CSV', async () => {
    const { path, relPath } = place('persons_20251031.xlsx');
    writeCsv(path, [HEADER, ...ROWS]);
    expect((await stageFails(path, relPath)).problem).toBe('not an XLSX file (not a ZIP archive): it is text (CSV?)');
  });

  test('a .parquet that is text', async () => {
    const { path, relPath } = place('persons_20251031.parquet');
    writeCsv(path, [HEADER, ...ROWS]);
    expect((await stageFails(path, relPath)).problem).toBe('not a Parquet file (no PAR1 magic at the start): it is text (CSV?)');
  });

  test('a .csv that is an XLSX workbook, and one that is binary', async () => {
    const x = place('persons_20251031.csv');
    await writeXlsx(x.path);
    expect((await stageFails(x.path, x.relPath)).problem).toBe('not a CSV file: it is a ZIP archive (XLSX workbook?)');
    const b = place('persons_20251031.csv');
    writeFileSync(b.path, Buffer.concat([Buffer.from(`${HEADER.join(',')}\n`), Buffer.from([0x00, 0x01, 0x02, 0xff, 0x00, 0x10])]));
    expect((await stageFails(b.path, b.relPath)).problem).toMatch(/^not a CSV text file: binary content \(NUL byte at offset \d+\)$/);
  });

  test('a NUL byte far into an otherwise valid CSV', async () => {
    const { path, relPath } = place('persons_20251031.csv');
    const text = csvText([HEADER, ...Array.from({ length: 4000 }, () => ROWS[0])]);
    const bytes = Buffer.from(text);
    const at = bytes.length - 100;
    bytes[at] = 0;
    writeFileSync(path, bytes);
    expect((await stageFails(path, relPath)).problem).toBe(`not a CSV text file: binary content (NUL byte at offset ${at})`);
  });

  test('a truncated CSV: a quoted field left open at the end', async () => {
    const { path, relPath } = place('persons_20251031.csv');
    const text = csvText([HEADER, ...ROWS]);
    writeFileSync(path, text.slice(0, text.indexOf('"He said') + 4));
    expect((await stageFails(path, relPath)).problem).toBe('truncated: a quoted field opened in the row starting on line 4 is not closed at the end of the file');
  });

  test('a truncated XLSX', async () => {
    const { path, relPath } = place('persons_20251031.xlsx');
    await writeXlsx(path);
    const bytes = readFileSync(path);
    writeFileSync(path, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    expect((await stageFails(path, relPath)).problem).toMatch(/^not a readable XLSX workbook \(truncated or corrupt\?\): /);
  });

  test('a truncated Parquet file', async () => {
    const { path, relPath } = place('persons_20251031.parquet');
    await writeParquet(conn, path);
    const bytes = readFileSync(path);
    writeFileSync(path, bytes.subarray(0, bytes.length - 10));
    expect((await stageFails(path, relPath)).problem).toBe('truncated Parquet file (no PAR1 magic at the end)');
  });

  test('bytes that are neither UTF-8 nor GB18030', async () => {
    // An ASCII header (English aliases) decodes either way; the body has 李 in UTF-8 (E6 9D 8E) then FF FE 80.
    const aliases = HEADER.map((h, i) => (h === '备注' ? 'remark' : KEYS[i]));
    const { path, relPath } = place('persons_20251031.csv');
    const good = Buffer.from(csvText([aliases, ROWS[0].map((v) => v.replace(/[^\x20-\x7e]/g, 'z'))]));
    const prefix = Buffer.from('510102199103082345,李');
    writeFileSync(path, Buffer.concat([good, prefix, Buffer.from([0xff, 0xfe, 0x80]), Buffer.from(',女\n')]));
    const ff = good.length + prefix.length;
    // As GB18030, E6 9D is one character and 8E FF an invalid pair.
    expect((await stageFails(path, relPath)).problem).toBe(
      `undecodable: not UTF-8 (invalid byte sequence at offset ${ff}) and not GB18030 (invalid byte sequence at offset ${ff - 1})`,
    );
    // A UTF-8 Chinese header then fails already as GB18030: 公 is E5 85 AC, and AC 63 (the c of a later "公民") is no pair.
    const chinese = place('persons_20251031.csv');
    const head = Buffer.from(csvText([HEADER, ROWS[0]]));
    writeFileSync(chinese.path, Buffer.concat([head, Buffer.from([0xff, 0x0a])]));
    expect((await stageFails(chinese.path, chinese.relPath)).problem).toMatch(
      new RegExp(`^undecodable: not UTF-8 \\(invalid byte sequence at offset ${head.length}\\) and not GB18030 \\(invalid byte sequence at offset \\d+\\)$`),
    );
  });

  test('a GB18030 file declared UTF-8, and a UTF-8 file with a bad byte declared UTF-8', async () => {
    const g = place('persons_20251031.csv');
    writeCsv(g.path, [HEADER, ...ROWS], { encoding: 'gb18030' });
    expect((await stageFails(g.path, g.relPath, { encoding: 'utf-8' })).problem).toBe('not valid UTF-8 (declared encoding): invalid byte sequence at offset 0');
    const u = place('persons_20251031.csv');
    const text = Buffer.from(csvText([HEADER, ...ROWS]));
    const at = text.indexOf(Buffer.from('王 五'));
    text[at] = 0xc0;
    writeFileSync(u.path, text);
    expect((await stageFails(u.path, u.relPath, { encoding: 'utf-8' })).problem).toBe(`not valid UTF-8 (declared encoding): invalid byte sequence at offset ${at}`);
  });

  test('an empty file, an empty header, a file name outside the contract', async () => {
    const e = place('persons_20251031.csv');
    writeFileSync(e.path, '');
    expect((await stageFails(e.path, e.relPath)).problem).toBe('empty file (no header row)');
    const h = place('persons_20251031.csv');
    writeFileSync(h.path, '\uFEFF\r\n');
    expect((await stageFails(h.path, h.relPath)).problem).toBe('the header row is empty');
    const n = place('people_20251031.csv');
    writeCsv(n.path, [HEADER, ...ROWS]);
    expect((await stageFails(n.path, n.relPath)).problem).toMatch(/^not a file name of the export contract/);
  });

  test('an unsafe staging table name is a programming error, not a file error', async () => {
    const { path, relPath } = place('persons_20251031.csv');
    writeCsv(path, [HEADER, ...ROWS]);
    await expect(stageExportFile(conn, path, { table: 'stg; DROP TABLE x', relPath, tempDir })).rejects.toThrow(/staging table name must match/);
    await expect(stageExportFile(conn, path, { table: 'Stg', relPath, tempDir })).rejects.not.toBeInstanceOf(ExportFileError);
  });
});

describe('a header-only file', () => {
  test.each(['persons_20251031.csv', 'persons_20251031.xlsx'])('%s stages 0 rows', async (file) => {
    const { path, relPath } = place(file);
    if (file.endsWith('.csv')) writeFileSync(path, HEADER.join(','));
    else await writeXlsx(path, [HEADER], false);
    const staged = await stage(path, relPath);
    expect(staged).toMatchObject({ rowsRead: 0, rowsStaged: 0, malformed: [], columns: KEYS });
    expect(staged.lineEnding).toBeNull();
    expect(await rowsOf(staged.table)).toEqual([]);
  });
});

describe('malformed rows', () => {
  test('rows with too many or too few fields are reported with their row number; the rest is staged', async () => {
    const { path, relPath } = place('persons_20251031.csv');
    const r = ROWS.map((row) => csvText([row], { eol: '' }));
    const lines = [
      HEADER.join(','), //                            1
      r[0], //                                        2
      `${r[1]},surplus`, //                           3  too many
      r[2].replace('"He said ""hi"""', '"He said\r\n""hi"""'), // 4-5 (quoted line break)
      r[3].split(',').slice(0, 5).join(','), //       6  too few
      '', //                                          7  blank line
      r[3], //                                        8
      'only-one-field', //                            9  too few
      r[0], //                                       10
    ];
    writeFileSync(path, `${lines.join('\r\n')}\r\n`);
    const staged = await stage(path, relPath);
    expect(staged.malformed).toEqual([
      { rowNo: 3, message: 'wrong number of fields: expected 18, found 19' },
      { rowNo: 6, message: 'wrong number of fields: expected 18, found 5' },
      { rowNo: 9, message: 'wrong number of fields: expected 18, found 1' },
    ]);
    expect(staged.rowsRead).toBe(7);
    expect(staged.rowsStaged).toBe(4);
    expect(staged.rowsRead).toBe(staged.rowsStaged + staged.malformed.length);
    const rows = await rowsOf(staged.table);
    expect(rows.map((x) => [x.row_no, x.id_number])).toEqual([
      [2, ROWS[0][0]],
      [4, ROWS[2][0]],
      [8, ROWS[3][0]],
      [10, ROWS[0][0]],
    ]);
    expect(rows[1].employer).toBe('He said\r\n"hi"');
  });

  test('more malformed rows than allowed fails the file', async () => {
    const { path, relPath } = place('persons_20251031.csv');
    writeCsv(path, [HEADER, ...ROWS, ['a', 'b'], ['c'], ROWS[0]]);
    const e = await stageFails(path, relPath, { maxMalformed: 1 });
    expect(e.problem).toBe('2 malformed rows (more than 1), e.g. row 6: wrong number of fields: expected 18, found 2; wrong delimiter or not an export of this kind?');
  });

  test('an XLSX row with a value beyond the header is malformed; empty rows are skipped, row_no is the sheet row', async () => {
    const { path, relPath } = place('persons_20251031.xlsx');
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Sheet1');
    ws.getRow(1).values = [...HEADER];
    ws.getRow(2).values = [...ROWS[0]];
    ws.getRow(3).values = [...ROWS[1], 'beyond'];
    ws.getRow(5).values = [...ROWS[2]];
    ws.getRow(6).getCell(1).style = { font: { bold: true } }; // a styled row without values
    ws.getRow(7).values = [...ROWS[3]];
    await wb.xlsx.writeFile(path);
    const staged = await stage(path, relPath);
    expect(staged.malformed).toEqual([{ rowNo: 3, message: "wrong number of fields: a value in column 19, beyond the header's 18 columns" }]);
    expect(staged).toMatchObject({ rowsRead: 4, rowsStaged: 3 });
    expect((await rowsOf(staged.table)).map((x) => [x.row_no, x.id_number])).toEqual([
      [2, ROWS[0][0]],
      [5, ROWS[2][0]],
      [7, ROWS[3][0]],
    ]);
  });

  test('an XLSX whose first row is empty has no header', async () => {
    const { path, relPath } = place('persons_20251031.xlsx');
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Sheet1');
    ws.getRow(2).values = [...HEADER];
    ws.getRow(3).values = [...ROWS[0]];
    await wb.xlsx.writeFile(path);
    expect((await stageFails(path, relPath)).problem).toBe('row 1 of the first worksheet (the header) is empty');
  });
});

describe('row numbers at scale', () => {
  test('physical row numbers stay exact across read chunks with quoted line breaks, blank lines and malformed rows', async () => {
    const { path, relPath } = place('persons_20251031.csv');
    const parts: string[] = [`${HEADER.join(',')}\n`];
    let line = 2;
    const expectedMalformed: number[] = [];
    const base = [...ROWS[0]];
    const employer = HEADER.indexOf('就业单位');
    for (let i = 0; i < 30_000; i++) {
      if (i % 4999 === 17) {
        parts.push('\n');
        line++;
      }
      if (i % 3001 === 5) {
        parts.push('bad,row\n');
        expectedMalformed.push(line++);
        continue;
      }
      const row = [...base];
      const multiLine = i % 997 === 3;
      row[employer] = multiLine ? `L${line}\nsecond line` : `L${line}`;
      parts.push(csvText([row]));
      line += multiLine ? 2 : 1;
    }
    writeFileSync(path, parts.join(''));
    expect(readFileSync(path).length).toBeGreaterThan(3 << 20);
    const staged = await stage(path, relPath);
    expect(staged.malformed.map((m) => m.rowNo)).toEqual(expectedMalformed);
    expect(staged.rowsStaged).toBe(30_000 - expectedMalformed.length);
    const check = await conn.runAndReadAll(
      `SELECT count(*)::INTEGER AS n, count(*) FILTER (WHERE split_part(employer, chr(10), 1) <> 'L' || row_no)::INTEGER AS wrong FROM ${staged.table}`,
    );
    expect(check.getRowObjectsJS()[0]).toEqual({ n: staged.rowsStaged, wrong: 0 });
  });
});

describe('encodings', () => {
  test('a declared encoding overrides detection', async () => {
    const { path, relPath } = place('persons_20251031.csv');
    writeCsv(path, [HEADER, ...ROWS]);
    expect(await detectEncoding(path)).toBe('utf-8');
    const asUtf8 = await stage(path, relPath);
    expect(asUtf8.encoding).toBe('utf-8');
    // HEADER in GB18030 bytes; a row in UTF-8 whose bytes happen to be valid GB18030 too
    // (李四 = E6 9D 8E E5 9B 9B, three GB18030 pairs), so detection would say "not UTF-8"
    // only because of the header, and the declaration decides how the row reads.
    const mixed = place('persons_20251031.csv');
    const row = ['510102199103082345', '李四', 'F', '1991-03-08', '510104001002', 'P0001', '', '2', 'Y', 'N', '10', 'X', '', '', '2021-05-02', '2025-10-31', 'R', ''];
    writeFileSync(mixed.path, Buffer.concat([iconv.encode(`${HEADER.join(',')}\n`, 'gb18030'), Buffer.from(csvText([row]))]));
    const declared = await stage(mixed.path, mixed.relPath, { encoding: 'gb18030' });
    expect(declared.encoding).toBe('gb18030');
    const rows = await rowsOf(declared.table);
    expect(rows[0].name).toBe(iconv.decode(Buffer.from('李四'), 'gb18030'));
    expect(rows[0].name).not.toBe('李四');
    // Declared UTF-8, the same UTF-8 file is read as UTF-8 even though it is also valid GB18030.
    const plain = place('persons_20251031.csv');
    writeFileSync(plain.path, Buffer.from(csvText([HEADER.map((h, i) => (h === '备注' ? 'remark' : KEYS[i])), row])));
    const utf8 = await stage(plain.path, plain.relPath, { encoding: 'utf-8' });
    expect((await rowsOf(utf8.table))[0].name).toBe('李四');
    const gb = await stage(plain.path, plain.relPath, { encoding: 'gb18030' });
    expect((await rowsOf(gb.table))[0].name).toBe(iconv.decode(Buffer.from('李四'), 'gb18030'));
  });

  test('detectEncoding and sha256File', async () => {
    const g = place('persons_20251031.csv');
    writeCsv(g.path, [HEADER, ...ROWS], { encoding: 'gb18030' });
    expect(await detectEncoding(g.path)).toBe('gb18030');
    expect(await sha256File(g.path)).toBe(sha(g.path));
    const bad = place('persons_20251031.csv');
    writeFileSync(bad.path, Buffer.from([0x41, 0x2c, 0xff, 0x0a]));
    expect(await detectEncoding(bad.path)).toBeUndefined();
  });
});
