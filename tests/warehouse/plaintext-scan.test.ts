/**
 * The plaintext scanner of the warehouse tests must find names stored back to back and
 * must not mistake a compression symbol table or a fragment of a place name for a name,
 * nor the digits of a hex digest for a phone.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { Rng } from '../../warehouse/generator/random.ts';
import { personName } from '../../warehouse/generator/names.ts';
import { insideHexString, isPlaceNameFragment, isSymbolTable, scanBytes, type PersonalData } from './plaintext-scan.ts';

const dir = mkdtempSync(join(tmpdir(), 'rlm-scan-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function namesOf(seed: number, n: number): string[] {
  const rng = new Rng(seed, 0x9e3779b9, 7, 1);
  return Array.from({ length: n }, (_, i) => personName(rng, i % 2 === 0, 'han'));
}

describe('scanBytes', () => {
  test('finds names of 3+ characters stored back to back, with no separator', () => {
    const names = namesOf(7, 300);
    const pd: PersonalData = { ids: new Set(), phones: new Set(), names: new Set(names) };
    writeFileSync(join(dir, 'block.bin'), Buffer.concat([Buffer.from([0, 1, 2]), Buffer.from(names.join(''), 'utf8'), Buffer.from([0])]));
    const { found } = scanBytes(dir, pd);
    const long = new Set(names.filter((n) => n.length >= 3));
    const hit = new Set(found.map((f) => /name (\S+)/.exec(f)![1]));
    // every 3-character name inside the block is found (the run as a whole is no name)
    for (const n of long) expect(hit.has(n), n).toBe(true);
    rmSync(join(dir, 'block.bin'));
  });

  test('a run of distinct single characters (a symbol table) is not read as names', () => {
    const pd: PersonalData = { ids: new Set(), phones: new Set(), names: new Set(['黄红凤']) };
    writeFileSync(join(dir, 'fsst.bin'), Buffer.from('\u0000龙金家花新桂泉大点林三天白长黄红凤青五园双子公柏角\u0000', 'utf8'));
    expect(isSymbolTable('龙金家花新桂泉大点林三天白长黄红凤青五园双子公柏角')).toBe(true);
    expect(scanBytes(dir, pd).found).toEqual([]);
    // the same name as a value of its own is found
    writeFileSync(join(dir, 'value.bin'), Buffer.from('\u0000黄红凤\u0000', 'utf8'));
    expect(scanBytes(dir, pd).found).toEqual([`${join(dir, 'value.bin')}: name 黄红凤`]);
    rmSync(join(dir, 'fsst.bin'));
    rmSync(join(dir, 'value.bin'));
  });

  test('phones and ID numbers stored as digits are found, alone or back to back; the same digits inside a hex digest are not', () => {
    const pd: PersonalData = { ids: new Set(['51170219900101123X']), phones: new Set(['13823071444', '13912345678']), names: new Set() };
    writeFileSync(join(dir, 'digits.bin'), Buffer.from('\u0000\u000b1382307144413912345678\u0000\u001251170219900101123X\u0000', 'latin1'));
    expect(scanBytes(dir, pd).found.sort()).toEqual([
      `${join(dir, 'digits.bin')}: id 51170219900101123X`,
      `${join(dir, 'digits.bin')}: phone 13823071444`,
      `${join(dir, 'digits.bin')}: phone 13912345678`,
    ]);
    rmSync(join(dir, 'digits.bin'));
    // a pid (32 lower-case hex characters) that happens to hold the 11 digits of a phone
    writeFileSync(join(dir, 'hex.bin'), Buffer.from('\u0000 9f0e13823071444a7c2d55e0b1c3f7a9\u0000', 'latin1'));
    expect(insideHexString('x9f0e13823071444a7c', 5, 16)).toBe(true);
    expect(scanBytes(dir, pd).found).toEqual([]);
    rmSync(join(dir, 'hex.bin'));
  });

  test('a name that is also part of a place name (an FSST symbol of its own) is not evidence; other names are', () => {
    expect(isPlaceNameFragment('白江')).toBe(true); // 青白江区
    expect(isPlaceNameFragment('黄红凤')).toBe(false);
    const pd: PersonalData = { ids: new Set(), phones: new Set(), names: new Set(['白江', '黄红凤']) };
    writeFileSync(join(dir, 'symbols.bin'), Buffer.from('\u0000白江\u0000\u0000黄红凤\u0000', 'utf8'));
    expect(scanBytes(dir, pd).found).toEqual([`${join(dir, 'symbols.bin')}: name 黄红凤`]);
    rmSync(join(dir, 'symbols.bin'));
  });

  test('a block of names back to back repeats characters, so it never looks like a symbol table', () => {
    const names = namesOf(11, 5_000).join('');
    // a stored column of names is a run of thousands of characters; 200 characters is ~70 names
    for (let i = 0; i + 200 <= names.length; i += 200) expect(isSymbolTable(names.slice(i, i + 200))).toBe(false);
  });
});
