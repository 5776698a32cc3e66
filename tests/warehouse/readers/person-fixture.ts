/**
 * A small persons dataset written in every form the export contract allows (CSV comma
 * or tab, BOM, CRLF, UTF-8 or GB18030, XLSX, Parquet), and the staging table it must
 * give: the same rows, values trimmed, empty cells NULL, everything else as written.
 */
import { writeFileSync } from 'node:fs';
import type { DuckDBConnection } from '@duckdb/node-api';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { columnKeyOf } from '../../../warehouse/contract/columns.ts';

export const HEADER = [
  '公民身份号码', '姓名', '性别', '出生日期', '户籍村代码', '采集点编码', '联系电话', '技能等级', '脱贫劳动力',
  '易地搬迁', '就业状态', '所在状态', '就业单位', '月收入', '登记日期', '核实日期', '审核状态', '备注',
] as const;

/** Cells as written in the CSV. 月收入 holds integers and 核实日期 ISO dates only, so Parquet can type them. */
export const ROWS: string[][] = [
  ['51010219900307123X', ' 张三 ', '男', '1990-03-07', '510104001001', 'P0001', '13800000000', '0', '是', '否', '23', '在外', '成都某某有限公司, 分公司', '5000', '2021-05-01', '2025-10-31', '县级已复核', '备注一'],
  ['510102199103082345', '李四', '女', '19910308', '510104001002', 'P0001', '', '2', '否', '否', '10', '在乡', '', '', '20210502', '2025-10-31', '待审核', ''],
  ['510102198512120011', '欧阳𠀀娜', '女', '1985/12/12', '510104001001', '0012', '028-86000000', '', '1', '0', '40', '在乡', 'He said "hi"', '0', '2022/01/15', '2025-10-30', '退回', 'x'],
  ['51010219700101001x', '王 五', '男', '1970-01-01', '510104001003', 'P0002', '\u3000', '5', 'Y', 'N', '21', '在外', '绵阳\t工厂', '12000', '2020-02-29', '2025-10-31', '乡镇已审核', ''],
];

export const KEYS = HEADER.map((h) => columnKeyOf('persons', h)).filter((k): k is string => k !== undefined);

const TRIM = /^[ \t\r\n\u00a0\u3000]+|[ \t\r\n\u00a0\u3000]+$/g;

/** The staging rows the dataset must give: row_no then one value per contract column. */
export function expectedRows(rows: string[][] = ROWS, firstRowNo = 2): Record<string, string | number | null>[] {
  return rows.map((cells, i) => {
    const out: Record<string, string | number | null> = { row_no: firstRowNo + i };
    HEADER.forEach((h, c) => {
      const key = columnKeyOf('persons', h);
      if (key === undefined) return;
      const v = cells[c].replace(TRIM, '');
      out[key] = v === '' ? null : v;
    });
    return out;
  });
}

export function csvText(rows: readonly (readonly string[])[], options: { delimiter?: string; eol?: string; bom?: boolean } = {}): string {
  const d = options.delimiter ?? ',';
  const eol = options.eol ?? '\n';
  const field = (v: string): string => (v.includes(d) || /["\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
  return (options.bom ? '\uFEFF' : '') + rows.map((r) => r.map(field).join(d)).join(eol) + eol;
}

export function writeCsv(path: string, rows: readonly (readonly string[])[], options: { delimiter?: string; eol?: string; bom?: boolean; encoding?: 'utf-8' | 'gb18030' } = {}): void {
  const text = csvText(rows, options);
  writeFileSync(path, options.encoding === 'gb18030' ? iconv.encode(text, 'gb18030') : Buffer.from(text, 'utf8'));
}

/** XLSX with shared strings, a number column (月收入) and one real date cell (row 2 登记日期). */
export async function writeXlsx(path: string, rows: readonly (readonly string[])[] = [HEADER, ...ROWS], extraSheet = true): Promise<void> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('人员信息');
  const income = HEADER.indexOf('月收入');
  const registered = HEADER.indexOf('登记日期');
  rows.forEach((r, i) => {
    const cells: unknown[] = [...r];
    if (i > 0 && r === ROWS[i - 1]) {
      if (r[income] !== '') cells[income] = Number(r[income]);
      if (r[registered] === '2021-05-01') cells[registered] = new Date(Date.UTC(2021, 4, 1));
    }
    ws.addRow(cells);
  });
  if (extraSheet) {
    const other = wb.addWorksheet('说明');
    other.addRow(['公民身份号码', '姓名']);
    other.addRow(['510102199901010000', '不应读取']);
  }
  await wb.xlsx.writeFile(path);
}

/** Parquet written by DuckDB: 月收入 INTEGER, 核实日期 DATE, the rest VARCHAR, NULL for empty cells. */
export async function writeParquet(conn: DuckDBConnection, path: string): Promise<void> {
  const type = (h: string): string => (h === '月收入' ? 'INTEGER' : h === '核实日期' ? 'DATE' : 'VARCHAR');
  await conn.run(`CREATE OR REPLACE TEMP TABLE parquet_source (${HEADER.map((h) => `"${h}" ${type(h)}`).join(', ')})`);
  for (const r of ROWS) {
    await conn.run(
      `INSERT INTO parquet_source VALUES (${HEADER.map((h, i) => `CAST($${i + 1} AS ${type(h)})`).join(', ')})`,
      r.map((v) => (v === '' ? null : v)),
    );
  }
  await conn.run(`COPY parquet_source TO '${path.replaceAll("'", "''")}' (FORMAT parquet)`);
  await conn.run('DROP TABLE parquet_source');
}
