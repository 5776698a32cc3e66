/**
 * Writes a small table as an XLSX file (first sheet, header in row 1) with exceljs'
 * streaming writer. Deterministic bytes: fixed document dates, and the zip entries'
 * DOS timestamps (which archiver sets to the current time) rewritten to a fixed date.
 */
import ExcelJS from 'exceljs';
import { readFileSync, writeFileSync } from 'node:fs';

const FIXED_DATE = new Date(Date.UTC(2020, 0, 1, 0, 0, 0));
/** 2020-01-01 00:00:00 as a DOS date/time. */
const DOS_DATE = ((2020 - 1980) << 9) | (1 << 5) | 1;
const DOS_TIME = 0;

export async function writeXlsx(path: string, sheetName: string, header: readonly string[], rows: readonly (readonly string[])[]): Promise<number> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings: false, useStyles: false });
  wb.creator = 'rural-labour-monitor generator';
  wb.lastModifiedBy = 'rural-labour-monitor generator';
  wb.created = FIXED_DATE;
  wb.modified = FIXED_DATE;
  const ws = wb.addWorksheet(sheetName);
  ws.addRow([...header]).commit();
  for (const r of rows) ws.addRow([...r]).commit();
  ws.commit();
  await wb.commit();
  return fixZipTimestamps(path);
}

/** Sets every entry's modification time (local and central headers) to a fixed date; returns the size. */
export function fixZipTimestamps(path: string): number {
  const b = readFileSync(path);
  let eocd = -1;
  for (let i = b.length - 22; i >= Math.max(0, b.length - 22 - 65535); i--) {
    if (b.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error(`${path}: not a zip file (no end of central directory)`);
  const entries = b.readUInt16LE(eocd + 10);
  let p = b.readUInt32LE(eocd + 16);
  for (let k = 0; k < entries; k++) {
    if (b.readUInt32LE(p) !== 0x02014b50) throw new Error(`${path}: bad central directory entry ${k}`);
    b.writeUInt16LE(DOS_TIME, p + 12);
    b.writeUInt16LE(DOS_DATE, p + 14);
    const local = b.readUInt32LE(p + 42);
    if (b.readUInt32LE(local) !== 0x04034b50) throw new Error(`${path}: bad local header of entry ${k}`);
    b.writeUInt16LE(DOS_TIME, local + 10);
    b.writeUInt16LE(DOS_DATE, local + 12);
    p += 46 + b.readUInt16LE(p + 28) + b.readUInt16LE(p + 30) + b.readUInt16LE(p + 32);
  }
  writeFileSync(path, b);
  return b.length;
}
