/**
 * The golden batch written as GB18030 CSV, UTF-8 with BOM and CRLF, tab-separated CSV,
 * XLSX and Parquet loads to exactly the same tables as the UTF-8 CSV original
 * (fixtures/golden/expected.json), apart from the file names.
 */
import { describe, expect, test, beforeAll, afterAll } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import iconv from 'iconv-lite';
import ExcelJS from 'exceljs';
import { DuckDBInstance } from '@duckdb/node-api';
import { runRefresh } from '../../../warehouse/refresh/run-refresh.ts';
import { queryWarehouse } from '../read-warehouse.ts';
import { GOLDEN_QUERIES } from '../golden-queries.ts';

const GOLDEN = fileURLToPath(new URL('../fixtures/golden/', import.meta.url));
const BATCH = '2024-03-01';
const expected = JSON.parse(readFileSync(join(GOLDEN, 'expected.json'), 'utf8')) as Record<string, unknown[]>;
const sourceFiles = readdirSync(join(GOLDEN, 'inbox', BATCH)).sort();

/** Splits a simple CSV (the golden files have no quoted fields). */
const csvRows = (text: string): string[][] => text.trimEnd().split('\n').map((l) => l.split(text.includes('\t') ? '\t' : ','));

type Variant = (src: string, destDir: string, name: string) => Promise<void>;

const VARIANTS: Record<string, Variant> = {
  gb18030: async (src, dir, name) => writeFileSync(join(dir, name), iconv.encode(readFileSync(src, 'utf8'), 'gb18030')),
  'bom-crlf': async (src, dir, name) => writeFileSync(join(dir, name), `\uFEFF${readFileSync(src, 'utf8').replaceAll('\n', '\r\n')}`),
  tab: async (src, dir, name) => writeFileSync(join(dir, name), `${csvRows(readFileSync(src, 'utf8')).map((r) => r.join('\t')).join('\n')}\n`),
  xlsx: async (src, dir, name) => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('导出');
    for (const r of csvRows(readFileSync(src, 'utf8'))) ws.addRow(r.map((v) => (v === '' ? null : v)));
    await wb.xlsx.writeFile(join(dir, name.replace(/\.csv$/, '.xlsx')));
  },
  parquet: async (src, dir, name) => {
    const db = await DuckDBInstance.create(':memory:');
    const conn = await db.connect();
    const delim = readFileSync(src, 'utf8').split('\n')[0].includes('\t') ? '\t' : ',';
    await conn.run(
      `COPY (SELECT * FROM read_csv($src, all_varchar = true, header = true, delim = $delim)) TO '${join(dir, name.replace(/\.csv$/, '.parquet')).replaceAll("'", "''")}' (FORMAT parquet)`,
      { src, delim },
    );
    conn.closeSync();
    db.closeSync();
  },
};

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'rlm-formats-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('the same batch in other encodings and formats', () => {
  for (const [variant, write] of Object.entries(VARIANTS)) {
    test(`${variant}: same tables as UTF-8 CSV`, async () => {
      const inbox = join(root, variant, 'inbox');
      mkdirSync(join(inbox, BATCH), { recursive: true });
      for (const f of sourceFiles) await write(join(GOLDEN, 'inbox', BATCH, f), join(inbox, BATCH), f);
      const dataDir = join(root, variant, 'data');
      const result = await runRefresh({ dataDir, inboxDir: inbox, trigger: 'cli' });
      expect(result.result, result.message).toBe('published');
      const formats = new Set(result.files.map((f) => `${f.format}/${f.encoding}`));
      const want = { gb18030: 'csv/gb18030', 'bom-crlf': 'csv/utf-8', tab: 'csv/utf-8', xlsx: 'xlsx/null', parquet: 'parquet/null' }[variant];
      expect([...formats]).toEqual([want]);
      for (const [name, sql] of Object.entries(GOLDEN_QUERIES)) {
        const rows = JSON.parse(JSON.stringify(await queryWarehouse(dataDir, sql)).replace(/\.(xlsx|parquet)"/g, '.csv"'));
        expect(rows, `${variant}: ${name}`).toEqual(expected[name]);
      }
    });
  }
});
