/**
 * Test helper: looks for personal data of the export files (names, ID numbers, phones)
 * in the bytes of every file of a data folder, and in every text column of the published
 * warehouse and of the state database.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { parseExportFileName } from '../../warehouse/contract/file-name.ts';
import { readRows } from './replay.ts';
import { DuckDBInstance } from '@duckdb/node-api';
import { readCurrentWarehouse } from '../../warehouse/publish/current-warehouse.ts';
import { loadRegions } from '../../warehouse/reference/regions.ts';

export interface PersonalData {
  readonly ids: Set<string>;
  readonly phones: Set<string>;
  readonly names: Set<string>;
}

export async function collectPersonalData(inbox: string): Promise<PersonalData> {
  const pd: PersonalData = { ids: new Set(), phones: new Set(), names: new Set() };
  for (const batch of readdirSync(inbox).filter((b) => /^\d{4}-\d{2}-\d{2}$/.test(b))) {
    for (const f of readdirSync(join(inbox, batch))) {
      const name = parseExportFileName(f);
      if (!name || name.kind === 'submissions') continue;
      const { rows } = await readRows(join(inbox, batch, f), name.kind);
      for (const { rec } of rows) {
        if (rec.id_number && /^\d{17}[\dXx]$/.test(rec.id_number)) pd.ids.add(rec.id_number.toUpperCase());
        for (const k of ['phone', 'collector_phone']) if (rec[k] && rec[k].length >= 7) pd.phones.add(rec[k]);
        for (const k of ['name', 'collector']) if (rec[k] && rec[k].length >= 2) pd.names.add(rec[k]);
      }
    }
  }
  return pd;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

/**
 * A run of 10 or more characters none of which repeats has the shape of a compression
 * symbol table (DuckDB's FSST stores each symbol once, and place names make Chinese
 * characters single symbols), where any three adjacent symbols can spell a name by chance.
 * Values stored back to back are not of this shape: a few hundred people's names repeat
 * 王, 李, 张 and their given-name characters within a few names.
 */
export function isSymbolTable(run: string): boolean {
  const chars = [...run];
  return chars.length >= 10 && new Set(chars).size === chars.length;
}

/**
 * Whether the digits at [start, end) of `latin` lie inside a hexadecimal string (the
 * maximal run of [0-9a-f] around them holds a letter a-f): the keyed hashes (pids, digests,
 * row hashes) are lower-case hex, and 11 digits in a row inside one of them can spell a
 * generated phone by chance (each 11-character window matches one of P phones with
 * probability P / 16^11: one chance in about 20 for a small province's warehouse file).
 * Personal data stored as digits (alone, or back to back with other digits) is not
 * inside such a run and is still reported.
 */
export function insideHexString(latin: string, start: number, end: number): boolean {
  const hex = /[0-9a-f]/;
  let a = start;
  while (a > 0 && hex.test(latin[a - 1])) a--;
  let b = end;
  while (b < latin.length && hex.test(latin[b])) b++;
  return /[a-f]/.test(latin.slice(a, start)) || /[a-f]/.test(latin.slice(end, b));
}

let placeNames: string | undefined;

/**
 * Whether `name` is part of a place name of the region reference (e.g. 白江 of 青白江区 and
 * of villages named 白江村): the warehouse stores every place name, and its compression
 * (FSST symbols of up to 8 bytes, dictionaries) can hold such a fragment as a run of its
 * own, so finding those bytes is no evidence of personal data. Exact values of columns are
 * still checked by scanColumns.
 */
export function isPlaceNameFragment(name: string): boolean {
  placeNames ??= [...loadRegions().byCode.values()].map((r) => r.name).join('\n');
  return placeNames.includes(name);
}

/** Personal data found in the raw bytes of the files under `dataDir` (as `file: kind value`). */
export function scanBytes(dataDir: string, pd: PersonalData): { found: string[]; files: string[]; bytes: number } {
  const found: string[] = [];
  const files = filesUnder(dataDir);
  let bytes = 0;
  for (const file of files) {
    const buf = readFileSync(file);
    bytes += buf.length;
    const latin = buf.toString('latin1');
    const hexAround = (m: RegExpMatchArray) => insideHexString(latin, m.index!, m.index! + m[0].length);
    for (const m of latin.matchAll(/\d{17}[\dXx]/g)) if (pd.ids.has(m[0].toUpperCase()) && !hexAround(m)) found.push(`${file}: id ${m[0]}`);
    for (const m of latin.matchAll(/1[3-9]\d{9}/g)) if (pd.phones.has(m[0]) && !hexAround(m)) found.push(`${file}: phone ${m[0]}`);
    const text = buf.toString('utf8');
    for (const m of text.matchAll(/[\u4e00-\u9fff·]{2,}/g)) {
      const run = m[0];
      if (pd.names.has(run)) {
        if (!isPlaceNameFragment(run)) found.push(`${file}: name ${run}`);
        continue;
      }
      // a name of 3 or more characters inside a longer run (e.g. values stored back to back);
      // 2-character names are too common as parts of words to be evidence inside a run
      if (isSymbolTable(run)) continue;
      for (let i = 0; i < run.length; i++) {
        for (let len = 3; len <= 5 && i + len <= run.length; len++) {
          const sub = run.slice(i, i + len);
          if (sub.length < run.length && pd.names.has(sub) && !isPlaceNameFragment(sub)) found.push(`${file}: name ${sub} in ${run}`);
        }
      }
    }
  }
  return { found, files, bytes };
}

/** Personal data found as values of text columns of the published warehouse and the state database. */
export async function scanColumns(dataDir: string, pd: PersonalData): Promise<{ found: string[]; columns: number }> {
  const found: string[] = [];
  const current = readCurrentWarehouse(dataDir);
  if (!current) throw new Error(`no published warehouse in ${dataDir}`);
  const instance = await DuckDBInstance.create(current.file, { access_mode: 'READ_ONLY' });
  const conn = await instance.connect();
  const check = (where: string, v: string) => {
    const u = v.toUpperCase();
    if (pd.ids.has(u) || pd.phones.has(v) || pd.names.has(v)) found.push(`${where}: ${v}`);
  };
  let cols: Record<string, unknown>[];
  try {
    cols = (await conn.runAndReadAll(`SELECT table_name, column_name FROM information_schema.columns WHERE data_type = 'VARCHAR' ORDER BY ALL`)).getRowObjectsJS();
    for (const c of cols) {
      const t = String(c.table_name);
      const col = String(c.column_name);
      if (!/^[a-z_0-9]+$/.test(t) || !/^[a-z_0-9]+$/.test(col)) throw new Error(`unexpected identifier ${t}.${col}`);
      const values = (await conn.runAndReadAll(`SELECT DISTINCT "${col}" AS v FROM "${t}" WHERE "${col}" IS NOT NULL`)).getColumnsJS()[0] ?? [];
      for (const v of values) check(`warehouse ${t}.${col}`, String(v));
    }
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
  const db = new Database(join(dataDir, 'state', 'state.sqlite'), { readonly: true });
  let columns = cols.length;
  try {
    for (const { name } of db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as { name: string }[]) {
      for (const { name: col, type } of db.prepare(`SELECT name, type FROM pragma_table_info(?)`).all(name) as { name: string; type: string }[]) {
        if (!/TEXT|CHAR|^$/i.test(type)) continue;
        columns++;
        for (const r of db.prepare(`SELECT DISTINCT "${col.replaceAll('"', '""')}" AS v FROM "${name.replaceAll('"', '""')}"`).all() as { v: unknown }[]) {
          if (typeof r.v === 'string') check(`state ${name}.${col}`, r.v);
        }
      }
    }
  } finally {
    db.close();
  }
  return { found, columns };
}
