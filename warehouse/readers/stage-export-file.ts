/**
 * Lands any export file of the contract (CSV, XLSX, Parquet) in a DuckDB staging table:
 * `row_no BIGINT` + one VARCHAR column per contract column present, values as written
 * (trimmed; empty → NULL), unknown columns reported and left out, malformed rows
 * (wrong number of fields) reported with their row number instead of staged.
 *
 * DuckDB does the bulk parsing. Node only streams what DuckDB cannot read offline:
 * GB18030/GBK is transcoded to a UTF-8 temp file, the first XLSX worksheet is streamed
 * (exceljs) into a temp CSV. Files are never loaded whole into memory. A file that
 * cannot be read as a whole throws ExportFileError naming the file and the problem, and
 * leaves no staging table behind.
 *
 * row_no: the physical row in the file, header = 1, first data row = 2. For CSV it is
 * the line on which the record starts (a quoted line break makes a record span two
 * lines; the next record's row_no counts both); for XLSX the sheet row number; for
 * Parquet the row's position + 2, as if the file had a header line.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, open, rm, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { parseExportFileName, type ExportFileName } from '../contract/file-name.ts';
import { detectDelimiter, readCsvHeaderRecord, splitCsvRecord } from './csv-header.ts';
import { planRowNumbers, RowNumberMismatchError } from './csv-row-numbers.ts';
import { ExportFileError } from './export-file-error.ts';
import { decodeGb18030, Gb18030DecodeError } from './gb18030-decoding.ts';
import { applyRowNumbers, loadCsvIntoStagingTable, type CsvLoadResult } from './load-csv-table.ts';
import { describeParquet, loadParquetIntoStagingTable } from './load-parquet-table.ts';
import { mapExportColumns, type ColumnMapping } from './map-export-columns.ts';
import { scanCsvFile, type CsvFileScan } from './scan-csv-file.ts';
import { sha256File } from './sha256-file.ts';
import { assertStagingTableName, countRows, createStagingTable, quoteIdentifier } from './staging-table.ts';
import { transcodeGb18030File } from './transcode-gb18030.ts';
import { firstInvalidUtf8, isValidUtf8 } from './utf8-validation.ts';
import { convertXlsxToCsv, XlsxStructureError } from './xlsx-to-csv.ts';

export { ExportFileError } from './export-file-error.ts';

export interface StagedFile {
  /** Absolute path of the source file. */
  path: string;
  /** As given in options, e.g. '2025-11-01/persons_20251031.csv'. */
  relPath: string;
  /** Parsed from the file name. */
  name: ExportFileName;
  /** Hex SHA-256 of the file's bytes. */
  sha256: string;
  bytes: number;
  format: 'csv' | 'xlsx' | 'parquet';
  /** null for xlsx/parquet. */
  encoding: 'utf-8' | 'gb18030' | null;
  delimiter: ',' | '\t' | null;
  bom: boolean;
  lineEnding: 'lf' | 'crlf' | null;
  /** The staging table created. */
  table: string;
  /** Contract keys present in the file, in file order. */
  columns: string[];
  /** Headers not in the contract: kept aside and reported, never a failure. */
  unknownColumns: string[];
  /** Data rows in the file (header excluded), malformed ones included. */
  rowsRead: number;
  /** Rows in `table`. */
  rowsStaged: number;
  /** Rows that could not be parsed (e.g. wrong field count); not in the table. */
  malformed: { rowNo: number; message: string }[];
}

export interface StageExportFileOptions {
  /** Staging table to create; must match /^[a-z_][a-z0-9_]*$/ and not exist yet. */
  table: string;
  /** The file as reported (relative to the inbox); names the file in errors. */
  relPath: string;
  /** Where temp files go (GB18030 transcoding, XLSX conversion); created if missing; cleaned up. */
  tempDir: string;
  /** Declared CSV encoding; detected when absent (valid UTF-8 → utf-8, else GB18030). */
  encoding?: 'utf-8' | 'gb18030';
  /** A CSV with more malformed rows than this is refused as a whole (default 100 000). */
  maxMalformed?: number;
}

const DEFAULT_MAX_MALFORMED = 100_000;

interface Staged {
  sha256: string;
  bytes: number;
  encoding: 'utf-8' | 'gb18030' | null;
  delimiter: ',' | '\t' | null;
  bom: boolean;
  lineEnding: 'lf' | 'crlf' | null;
  mapping: ColumnMapping;
  rowsRead: number;
  malformed: { rowNo: number; message: string }[];
}

interface Context {
  readonly conn: DuckDBConnection;
  readonly path: string;
  readonly file: string;
  readonly name: ExportFileName;
  readonly size: number;
  readonly head: Buffer;
  readonly tail: Buffer;
  readonly options: StageExportFileOptions;
  readonly temp: (suffix: string) => string;
  /** Creates the staging table and remembers to drop it if staging fails afterwards. */
  readonly createTable: (keys: readonly string[]) => Promise<void>;
  readonly dropTable: () => Promise<void>;
}

export async function stageExportFile(conn: DuckDBConnection, path: string, options: StageExportFileOptions): Promise<StagedFile> {
  assertStagingTableName(options.table);
  const abs = resolve(path);
  const file = options.relPath;
  const name = parseExportFileName(basename(abs));
  if (!name) throw new ExportFileError(file, 'not a file name of the export contract (e.g. persons_YYYYMMDD.csv, changes_YYYYMMDD.xlsx)');
  let size: number;
  try {
    const st = await stat(abs);
    if (!st.isFile()) throw new ExportFileError(file, 'not a regular file');
    size = st.size;
  } catch (e) {
    if (e instanceof ExportFileError) throw e;
    throw new ExportFileError(file, `cannot be opened: ${(e as Error).message}`, { cause: e });
  }
  if (size === 0) throw new ExportFileError(file, 'empty file (no header row)');
  const { head, tail } = await readEnds(abs, size);

  const temps: string[] = [];
  let created = false;
  const table = quoteIdentifier(options.table);
  const ctx: Context = {
    conn,
    path: abs,
    file,
    name,
    size,
    head,
    tail,
    options,
    temp: (suffix) => {
      const p = join(options.tempDir, `${options.table}-${process.pid}-${randomUUID()}${suffix}`);
      temps.push(p);
      return p;
    },
    createTable: async (keys) => {
      await createStagingTable(conn, options.table, keys);
      created = true;
    },
    dropTable: async () => {
      await conn.run(`DROP TABLE IF EXISTS ${table}`);
      created = false;
    },
  };
  try {
    if (name.format !== 'parquet') await mkdir(options.tempDir, { recursive: true });
    const staged = name.format === 'csv' ? await stageCsv(ctx) : name.format === 'xlsx' ? await stageXlsx(ctx) : await stageParquet(ctx);
    const rowsStaged = await countRows(conn, options.table);
    if (staged.rowsRead !== rowsStaged + staged.malformed.length) {
      throw new Error(`${file}: rows read (${staged.rowsRead}) ≠ rows staged (${rowsStaged}) + malformed (${staged.malformed.length})`);
    }
    return {
      path: abs,
      relPath: file,
      name,
      sha256: staged.sha256,
      bytes: staged.bytes,
      format: name.format,
      encoding: staged.encoding,
      delimiter: staged.delimiter,
      bom: staged.bom,
      lineEnding: staged.lineEnding,
      table: options.table,
      columns: staged.mapping.columns.map((c) => c.key),
      unknownColumns: [...staged.mapping.unknownColumns],
      rowsRead: staged.rowsRead,
      rowsStaged,
      malformed: staged.malformed,
    };
  } catch (e) {
    if (created) await conn.run(`DROP TABLE IF EXISTS ${table}`);
    throw e;
  } finally {
    for (const t of temps) await rm(t, { force: true });
  }
}

async function readEnds(path: string, size: number): Promise<{ head: Buffer; tail: Buffer }> {
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(Math.min(size, 65536));
    await handle.read(head, 0, head.length, 0);
    const tail = Buffer.alloc(Math.min(size, 8));
    await handle.read(tail, 0, tail.length, size - tail.length);
    return { head, tail };
  } finally {
    await handle.close();
  }
}

const isZip = (b: Buffer): boolean => b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;
const isParquetMagic = (b: Buffer): boolean => b.length >= 4 && b.toString('latin1', 0, 4) === 'PAR1';
const endsWithParquetMagic = (b: Buffer): boolean => b.length >= 4 && b.toString('latin1', b.length - 4) === 'PAR1';

function looksLike(head: Buffer): string {
  if (isZip(head)) return 'a ZIP archive (XLSX workbook?)';
  if (isParquetMagic(head)) return 'a Parquet file';
  if (head.indexOf(0) !== -1) return 'binary data';
  return 'text (CSV?)';
}

function errorText(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0];
}

// ---------------------------------------------------------------------------------- CSV

async function stageCsv(ctx: Context): Promise<Staged> {
  const { file, head, options } = ctx;
  if (isZip(head) || isParquetMagic(head)) throw new ExportFileError(file, `not a CSV file: it is ${looksLike(head)}`);
  const nul = head.indexOf(0);
  if (nul !== -1) throw new ExportFileError(file, `not a CSV text file: binary content (NUL byte at offset ${nul})`);
  const header = await readCsvHeaderRecord(file, ctx.path);
  const declared = options.encoding;

  const headerOffset = header.bom ? (ctx.head[0] === 0xef ? 3 : 4) : 0;
  /** Decodes the header line; `utf8InvalidAt` set when the file was found not to be UTF-8. */
  const decodeHeader = (encoding: 'utf-8' | 'gb18030', utf8InvalidAt?: number): string => {
    if (encoding === 'utf-8') {
      if (isValidUtf8(header.bytes)) return header.bytes.toString('utf8');
      if (declared) throw new ExportFileError(file, `not valid UTF-8 (declared encoding): invalid byte sequence at offset ${headerOffset + firstInvalidUtf8(header.bytes)}`);
      throw new Error('unreachable: an undeclared non-UTF-8 header is decoded as GB18030');
    }
    try {
      return decodeGb18030(header.bytes);
    } catch (e) {
      if (!(e instanceof Gb18030DecodeError)) throw e;
      const at = headerOffset + e.offset;
      if (declared) throw new ExportFileError(file, `not valid GB18030 (declared encoding): invalid byte sequence at offset ${at}`);
      throw new ExportFileError(
        file,
        `undecodable: not UTF-8 (invalid byte sequence at offset ${utf8InvalidAt ?? headerOffset + firstInvalidUtf8(header.bytes)}) and not GB18030 (invalid byte sequence at offset ${at})`,
      );
    }
  };
  const readHeader = (encoding: 'utf-8' | 'gb18030', utf8InvalidAt?: number) => {
    const text = decodeHeader(encoding, utf8InvalidAt);
    const delimiter = detectDelimiter(text);
    const fields = splitCsvRecord(text, delimiter);
    return { encoding, delimiter, fields, mapping: mapExportColumns(file, ctx.name.kind, fields) };
  };
  let parsed = readHeader(declared ?? (isValidUtf8(header.bytes) ? 'utf-8' : 'gb18030'));
  const keys = parsed.mapping.columns.map((c) => c.key);
  const load = async (csvPath: string) => {
    try {
      return await loadCsvIntoStagingTable(ctx.conn, options.table, {
        csvPath,
        delimiter: parsed.delimiter,
        fieldCount: parsed.fields.length,
        columns: parsed.mapping.columns,
      });
    } catch (e) {
      throw new ExportFileError(file, `cannot be read as CSV: ${errorText(e)}`, { cause: e });
    }
  };
  const checkScan = (scan: CsvFileScan): void => {
    if (scan.nulAt !== undefined) throw new ExportFileError(file, `not a CSV text file: binary content (NUL byte at offset ${scan.nulAt})`);
    if (declared === 'utf-8' && scan.invalidUtf8At !== undefined) {
      throw new ExportFileError(file, `not valid UTF-8 (declared encoding): invalid byte sequence at offset ${scan.invalidUtf8At}`);
    }
  };
  const checkQuotes = (scan: CsvFileScan): void => {
    const open = scan.layout.unterminatedQuote;
    if (open) {
      throw new ExportFileError(file, `truncated: a quoted field opened in the row starting on line ${open.line} is not closed at the end of the file`);
    }
  };
  const gb18030Error = (e: unknown, utf8InvalidAt: number | undefined): unknown => {
    if (!(e instanceof Gb18030DecodeError)) return e;
    return new ExportFileError(
      file,
      declared
        ? `not valid GB18030 (declared encoding): invalid byte sequence at offset ${e.offset}`
        : `undecodable: not UTF-8 (invalid byte sequence at offset ${utf8InvalidAt}) and not GB18030 (invalid byte sequence at offset ${e.offset})`,
    );
  };

  let scan: CsvFileScan;
  let loaded: CsvLoadResult;
  let encoding: 'utf-8' | 'gb18030' = parsed.encoding;
  if (parsed.encoding === 'utf-8') {
    // Most files: DuckDB loads while Node hashes and checks the bytes; the table is
    // dropped again if the bytes turn out not to be UTF-8 (then GB18030 below).
    await ctx.createTable(keys);
    const [scanned, load1] = await Promise.allSettled([scanCsvFile(ctx.path, parsed.delimiter, { checkUtf8: true }), load(ctx.path)]);
    if (scanned.status === 'rejected') throw scanned.reason;
    scan = scanned.value;
    checkScan(scan);
    if (scan.invalidUtf8At === undefined) {
      checkQuotes(scan);
      if (load1.status === 'rejected') throw load1.reason;
      loaded = load1.value;
    } else {
      await ctx.dropTable();
      encoding = 'gb18030';
      parsed = readHeader('gb18030', scan.invalidUtf8At);
      checkQuotes(scan);
      const csvPath = ctx.temp('.utf8.csv');
      try {
        await transcodeGb18030File(ctx.path, csvPath);
      } catch (e) {
        throw gb18030Error(e, scan.invalidUtf8At);
      }
      await ctx.createTable(parsed.mapping.columns.map((c) => c.key));
      loaded = await load(csvPath);
    }
  } else {
    // GB18030 (declared, or a header that is not UTF-8): hash, check and transcode in one pass.
    const csvPath = ctx.temp('.utf8.csv');
    try {
      scan = await scanCsvFile(ctx.path, parsed.delimiter, { checkUtf8: false, gb18030Target: csvPath });
    } catch (e) {
      throw gb18030Error(e, declared ? undefined : headerOffset + firstInvalidUtf8(header.bytes));
    }
    checkScan(scan);
    checkQuotes(scan);
    await ctx.createTable(keys);
    loaded = await load(csvPath);
  }
  const maxMalformed = options.maxMalformed ?? DEFAULT_MAX_MALFORMED;
  if (loaded.rejects.length > maxMalformed) {
    throw new ExportFileError(
      file,
      `${loaded.rejects.length} malformed rows (more than ${maxMalformed}), e.g. row ${loaded.rejects[0].record}: ${loaded.rejects[0].message}; wrong delimiter or not an export of this kind?`,
    );
  }
  let plan;
  try {
    plan = planRowNumbers(scan.layout, loaded.rejects.map((r) => r.record), loaded.staged);
  } catch (e) {
    if (!(e instanceof RowNumberMismatchError)) throw e;
    throw new ExportFileError(file, `cannot establish row numbers (irregular quoting?): ${e.message}`, { cause: e });
  }
  await applyRowNumbers(ctx.conn, options.table, plan.steps, loaded.staged);
  const malformed = loaded.rejects.map((r) => ({ rowNo: plan.lineOfRecord(r.record), message: r.message }));
  return {
    sha256: scan.sha256,
    bytes: scan.bytes,
    encoding,
    delimiter: parsed.delimiter,
    bom: header.bom,
    lineEnding: header.lineEnding,
    mapping: parsed.mapping,
    rowsRead: loaded.staged + malformed.length,
    malformed,
  };
}

// --------------------------------------------------------------------------------- XLSX

async function stageXlsx(ctx: Context): Promise<Staged> {
  const { file, head } = ctx;
  if (!isZip(head)) throw new ExportFileError(file, `not an XLSX file (not a ZIP archive): it is ${looksLike(head)}`);
  const sha256 = await sha256File(ctx.path);
  const csvPath = ctx.temp('.xlsx.csv');
  let mapping: ColumnMapping | undefined;
  let conversion;
  try {
    conversion = await convertXlsxToCsv(ctx.path, csvPath, (header) => {
      mapping = mapExportColumns(file, ctx.name.kind, header);
      return mapping.columns.map((c) => c.index);
    });
  } catch (e) {
    if (e instanceof ExportFileError) throw e;
    if (e instanceof XlsxStructureError) throw new ExportFileError(file, e.message, { cause: e });
    throw new ExportFileError(file, `not a readable XLSX workbook (truncated or corrupt?): ${errorText(e)}`, { cause: e });
  }
  if (!mapping) throw new Error(`${file}: XLSX header not mapped`);
  const columns = mapping.columns;
  await ctx.createTable(columns.map((c) => c.key));
  const loaded = await loadCsvIntoStagingTable(ctx.conn, ctx.options.table, {
    csvPath,
    delimiter: ',',
    fieldCount: columns.length + 1,
    columns: columns.map((c, i) => ({ key: c.key, index: i + 1 })),
    rowNoField: 0,
  });
  if (loaded.rejects.length > 0 || loaded.staged !== conversion.rowsWritten) {
    throw new Error(`${file}: the converted XLSX did not stage cleanly (${loaded.staged} of ${conversion.rowsWritten} rows, ${loaded.rejects.length} rejected)`);
  }
  return {
    sha256,
    bytes: ctx.size,
    encoding: null,
    delimiter: null,
    bom: false,
    lineEnding: null,
    mapping,
    rowsRead: conversion.rowsRead,
    malformed: [...conversion.malformed],
  };
}

// ------------------------------------------------------------------------------ Parquet

async function stageParquet(ctx: Context): Promise<Staged> {
  const { file, head, tail } = ctx;
  if (!isParquetMagic(head)) throw new ExportFileError(file, `not a Parquet file (no PAR1 magic at the start): it is ${looksLike(head)}`);
  if (!endsWithParquetMagic(tail)) throw new ExportFileError(file, 'truncated Parquet file (no PAR1 magic at the end)');
  const sha256 = await sha256File(ctx.path);
  let schema;
  try {
    schema = await describeParquet(ctx.conn, ctx.path);
  } catch (e) {
    throw new ExportFileError(file, `not a readable Parquet file: ${errorText(e)}`, { cause: e });
  }
  const mapping = mapExportColumns(file, ctx.name.kind, schema.map((c) => c.name));
  await ctx.createTable(mapping.columns.map((c) => c.key));
  let staged: number;
  try {
    staged = await loadParquetIntoStagingTable(ctx.conn, ctx.options.table, ctx.path, schema, mapping.columns);
  } catch (e) {
    throw new ExportFileError(file, `not a readable Parquet file: ${errorText(e)}`, { cause: e });
  }
  return { sha256, bytes: ctx.size, encoding: null, delimiter: null, bom: false, lineEnding: null, mapping, rowsRead: staged, malformed: [] };
}
