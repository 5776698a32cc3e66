import { test, expect, describe } from 'vitest';
import {
  idCheckCharacter, normaliseIdNumber, idNumberProblem, isValidIdNumber,
  idBirthDate, idSex, makeIdNumber, maskIdNumber,
} from '../../../warehouse/reference/id-number.ts';

/** Change one character of an ID at position i. */
const withChar = (id: string, i: number, c: string) => id.slice(0, i) + c + id.slice(i + 1);

describe('check character (ISO 7064 MOD 11-2)', () => {
  test('the two examples printed in GB 11643-1999', () => {
    expect(idCheckCharacter('11010519491231002')).toBe('X');
    expect(idCheckCharacter('44052418800101001')).toBe('4');
    expect(isValidIdNumber('11010519491231002X')).toBe(true);
    expect(isValidIdNumber('440524188001010014')).toBe(true);
  });

  test('every wrong check character is detected', () => {
    for (const id of ['11010519491231002X', '440524188001010014']) {
      for (const c of '0123456789X') {
        const variant = withChar(id, 17, c);
        expect(idNumberProblem(variant), variant).toBe(c === id[17] ? undefined : 'check_character');
      }
    }
  });

  test('a changed digit (outside the birth date) or swapped neighbours change the check character', () => {
    const id = '11010519491231002X';
    for (const i of [0, 1, 2, 3, 4, 5, 14, 15, 16]) {
      const d = String((Number(id[i]) + 3) % 10);
      expect(idNumberProblem(withChar(withChar(id, i, d), 17, id[17])), `digit ${i}`).toBe('check_character');
    }
    expect(isValidIdNumber('01101519491231002X')).toBe(false);
  });

  test('rejects input that is not 17 digits', () => {
    for (const bad of ['1101051949123100', '110105194912310021', '1101051949123100a', '']) expect(() => idCheckCharacter(bad)).toThrow(/17 digits/);
  });
});

describe('problems', () => {
  test('format', () => {
    for (const bad of ['', '11010519491231002', '11010519491231002X1', '1101051949123100XX', 'X1010519491231002X', '11010519491231002x', ' 11010519491231002X', '１１010519491231002X'])
      expect(idNumberProblem(bad), JSON.stringify(bad)).toBe('format');
  });

  test('impossible birth dates, even with a correct check character', () => {
    for (const date of ['2001-02-30', '2001-02-29', '1900-02-29', '1990-13-01', '1990-00-10', '1990-04-31', '1990-01-00', '1990-01-32']) {
      const id = makeIdNumber('510104', date, 123);
      expect(id[17]).toBe(idCheckCharacter(id.slice(0, 17)));
      expect(idNumberProblem(id), date).toBe('birth_date');
    }
    for (const date of ['2000-02-29', '2024-02-29', '1990-12-31', '1949-10-01']) expect(idNumberProblem(makeIdNumber('510104', date, 123)), date).toBeUndefined();
  });

  test('the birth date is checked before the check character', () => {
    expect(idNumberProblem('510104200102301230')).toBe('birth_date');
  });
});

describe('normalisation, fields and masking', () => {
  test('lower-case x and surrounding spaces', () => {
    expect(normaliseIdNumber(' 11010519491231002x\t')).toBe('11010519491231002X');
    expect(isValidIdNumber(normaliseIdNumber('11010519491231002x'))).toBe(true);
    expect(normaliseIdNumber('440524188001010014')).toBe('440524188001010014');
  });

  test('birth date and sex', () => {
    expect(idBirthDate('11010519491231002X')).toBe('1949-12-31');
    expect(idBirthDate('440524188001010014')).toBe('1880-01-01');
    expect(idSex('11010519491231002X')).toBe('女');
    expect(idSex('440524188001010014')).toBe('男');
    for (let seq = 0; seq < 20; seq++) expect(idSex(makeIdNumber('511702', '1985-06-15', seq))).toBe(seq % 2 === 1 ? '男' : '女');
  });

  test('masking keeps the first and last four characters', () => {
    expect(maskIdNumber('11010519491231002X')).toBe('1101**********002X');
    expect(maskIdNumber('11010519491231002X')).toHaveLength(18);
    expect(maskIdNumber('12345678')).toBe('12345678');
    expect(maskIdNumber('1234567')).toBe('*******');
    expect(maskIdNumber('')).toBe('');
  });
});

describe('makeIdNumber', () => {
  test('reproduces the GB 11643 examples', () => {
    expect(makeIdNumber('110105', '1949-12-31', 2)).toBe('11010519491231002X');
    expect(makeIdNumber('440524', '1880-01-01', 1)).toBe('440524188001010014');
  });

  test('round trip over regions, dates and sequences', () => {
    const regions = ['510104', '511702', '513401', '513402'];
    let n = 0;
    for (const region of regions) {
      for (let day = 0; day < 3650; day += 97) {
        const date = new Date(Date.UTC(1960, 0, 1) + day * 86_400_000 * 7).toISOString().slice(0, 10);
        for (const seq of [0, 1, 57, 998, 999]) {
          const id = makeIdNumber(region, date, seq);
          expect(id).toMatch(/^\d{17}[\dX]$/);
          expect(idNumberProblem(id)).toBeUndefined();
          expect(id.slice(0, 6)).toBe(region);
          expect(idBirthDate(id)).toBe(date);
          expect(Number(id.slice(14, 17))).toBe(seq);
          expect(idSex(id)).toBe(seq % 2 === 1 ? '男' : '女');
          n++;
        }
      }
    }
    expect(n).toBe(4 * 38 * 5);
  });

  test('all eleven check characters occur', () => {
    const seen = new Set<string>();
    for (let seq = 0; seq < 200; seq++) seen.add(makeIdNumber('510104', '1990-05-17', seq)[17]);
    expect([...seen].sort().join('')).toBe('0123456789X');
  });
});
