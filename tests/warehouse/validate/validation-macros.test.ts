import { describe, expect, test, beforeAll, afterAll } from 'vitest';
import { DuckDBInstance, listValue, type DuckDBConnection } from '@duckdb/node-api';
import { installValidationMacros } from '../../../warehouse/validate/validation-macros.ts';
import { idCheckCharacter, idNumberProblem, maskIdNumber, makeIdNumber } from '../../../warehouse/reference/id-number.ts';

let db: DuckDBInstance;
let conn: DuckDBConnection;
beforeAll(async () => {
  db = await DuckDBInstance.create(':memory:');
  conn = await db.connect();
  await conn.run("SET TimeZone = 'Asia/Shanghai'");
  await installValidationMacros(conn);
});
afterAll(() => {
  conn.closeSync();
  db.closeSync();
});

const one = async (sql: string, params: Record<string, string> = {}) => Object.values((await conn.runAndReadAll(sql, params)).getRowObjectsJS()[0])[0];

describe('validation macros agree with the TypeScript reference', () => {
  test('ID check character and format, on valid, wrong-check and malformed IDs', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 300; i++) {
      const id = makeIdNumber(['511702', '513401', '510104'][i % 3], `19${60 + (i % 40)}-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`, i);
      ids.push(id);
      const wrong = '0123456789X'.replace(id[17], '')[i % 10];
      ids.push(id.slice(0, 17) + wrong);
    }
    ids.push('51170219900230011X', '5117021990051201', '51170219900512011Y', 'ABCDEFGHIJKLMNOPQR', '511702199013120111');
    const rows = (await conn.runAndReadAll('SELECT id, rlm_id_problem(id) AS p FROM (SELECT unnest($ids) AS id)', { ids: listValue(ids) })).getRowObjectsJS();
    expect(rows).toHaveLength(ids.length);
    for (const r of rows) {
      const problem = idNumberProblem(String(r.id));
      const expected = problem === undefined ? null : problem === 'check_character' ? 'check' : 'format';
      expect(r.p, String(r.id)).toBe(expected);
    }
    expect(idCheckCharacter('51170219900512011')).toBe('X');
  });

  test('masks match maskIdNumber; phones and names are masked', async () => {
    for (const v of ['51170219900512011X', '1234567', '12', '']) expect(await one('SELECT rlm_mask_id($v)', { v })).toBe(maskIdNumber(v));
    expect(await one('SELECT rlm_mask_phone($v)', { v: '13812345678' })).toBe('138****5678');
    expect(await one('SELECT rlm_mask_name($v)', { v: '张三丰' })).toBe('张*丰');
    expect(await one('SELECT rlm_mask_name($v)', { v: '李四' })).toBe('李*');
    expect(await one('SELECT rlm_mask_name($v)', { v: '欧阳娜娜' })).toBe('欧**娜');
  });

  test('dates in the three contract formats; invalid dates are NULL', async () => {
    expect(String(await one("SELECT strftime(rlm_date('2024-02-29'), '%Y-%m-%d')"))).toBe('2024-02-29');
    expect(String(await one("SELECT strftime(rlm_date('20240229'), '%Y-%m-%d')"))).toBe('2024-02-29');
    expect(String(await one("SELECT strftime(rlm_date('2024/02/29'), '%Y-%m-%d')"))).toBe('2024-02-29');
    for (const bad of ['2023-02-29', '2024-2-9', '2024.02.29', '24-02-29', '2024-13-01']) expect(await one('SELECT rlm_date($v)', { v: bad }), bad).toBe(null);
  });

  test('flags, age and age bands', async () => {
    for (const t of ['是', '1', 'Y', 'y', 'true', 'TRUE', 'True']) expect(await one('SELECT rlm_flag($v)', { v: t })).toBe(true);
    for (const f of ['否', '0', 'N', 'n', 'false', 'FALSE', 'False']) expect(await one('SELECT rlm_flag($v)', { v: f })).toBe(false);
    expect(await one("SELECT rlm_flag('yes')")).toBe(null);
    expect(Number(await one("SELECT rlm_age(DATE '2008-01-10', DATE '2024-01-09')"))).toBe(15);
    expect(Number(await one("SELECT rlm_age(DATE '2008-01-10', DATE '2024-01-10')"))).toBe(16);
    expect(Number(await one("SELECT rlm_age(DATE '2008-02-29', DATE '2024-02-28')"))).toBe(15);
    expect(await one("SELECT rlm_age_band(DATE '1964-02-20', DATE '2024-02-19')")).toBe('55-59');
    expect(await one("SELECT rlm_age_band(DATE '1964-02-20', DATE '2024-02-20')")).toBe('60+');
    expect(await one("SELECT rlm_age_band(DATE '2000-01-01', DATE '2024-12-31')")).toBe('16-24');
  });
});
