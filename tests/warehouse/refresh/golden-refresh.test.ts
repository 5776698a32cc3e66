/**
 * Golden test: the small hand-written batch in tests/warehouse/fixtures/golden/inbox
 * (3 points, a base of 7 persons + 5 dirty rows, 9 clean + 9 dirty change rows, an end
 * snapshot with one missing, one extra and one different person, submissions, rosters)
 * gives exactly the expected rows (fixtures/golden/expected.json, checked by hand: see
 * the comments in docs/warehouse.md "Golden batch").
 */
import { describe, expect, test, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { runRefresh, type RefreshResult } from '../../../warehouse/refresh/run-refresh.ts';
import { readCurrentWarehouse } from '../../../warehouse/publish/current-warehouse.ts';
import { pidOf } from '../../../warehouse/vault/pid-hash.ts';
import { decryptPii, mergePiiRecords } from '../../../warehouse/vault/pii-vault.ts';
import { loadDataKeys } from '../../../warehouse/vault/data-keys.ts';
import { queryWarehouse } from '../read-warehouse.ts';
import { GOLDEN_QUERIES } from '../golden-queries.ts';

const FIXTURES = fileURLToPath(new URL('../fixtures/golden/', import.meta.url));
const expected = JSON.parse(readFileSync(join(FIXTURES, 'expected.json'), 'utf8')) as Record<string, unknown[]>;

let dataDir: string;
let result: RefreshResult;

beforeAll(async () => {
  delete process.env.RLM_PID_KEY;
  delete process.env.RLM_VAULT_KEY;
  dataDir = mkdtempSync(join(tmpdir(), 'rlm-golden-'));
  result = await runRefresh({ dataDir, inboxDir: join(FIXTURES, 'inbox'), trigger: 'cli' });
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('golden batch', () => {
  test('publishes, with every row loaded or quarantined', () => {
    expect(result.result, result.message).toBe('published');
    expect(result.dataAsOf).toBe('2024-02-29');
    expect(result.files.map((f) => [f.relPath.split('/')[1], f.status, f.rowsRead, f.rowsLoaded, f.rowsQuarantined])).toEqual([
      ['points_20240229.csv', 'loaded', 4, 3, 1],
      ['persons_20231231.csv', 'loaded', 12, 7, 5],
      ['changes_20240101_20240229.csv', 'loaded', 18, 9, 9],
      ['persons_20240229.csv', 'loaded', 7, 7, 0],
      ['submissions_202401.csv', 'loaded', 4, 3, 1],
      ['submissions_202402.csv', 'loaded', 3, 3, 0],
      ['roster-poverty_20240229.csv', 'loaded', 5, 4, 1],
      ['roster-relocated_20240229.csv', 'loaded', 2, 2, 0],
    ]);
    for (const f of result.files) expect(f.rowsRead).toBe((f.rowsLoaded ?? 0) + (f.rowsQuarantined ?? 0));
  });

  for (const [name, sql] of Object.entries(GOLDEN_QUERIES)) {
    test(`${name} equals the expected rows`, async () => {
      expect(await queryWarehouse(dataDir, sql)).toEqual(expected[name]);
    });
  }

  test('persons are identified by the keyed hash of their ID number', async () => {
    const keys = loadDataKeys(dataDir);
    const rows = await queryWarehouse(dataDir, `SELECT DISTINCT pid FROM person_spells WHERE village_code = '511702001001'`);
    expect(rows).toEqual([{ pid: pidOf('51170219900512011x', keys.pidKey) }]);
    const recon = await queryWarehouse(dataDir, 'SELECT kind, column_key, pid FROM reconciliation');
    const key = (r: Record<string, unknown>) => `${r.kind}/${r.column_key}/${r.pid}`;
    expect(recon.map(key).sort()).toEqual(
      [
        { kind: 'different', column_key: 'education', pid: pidOf('511702197001150339', keys.pidKey) },
        { kind: 'different', column_key: 'phone', pid: pidOf('513401198808080777', keys.pidKey) },
        { kind: 'extra', column_key: null, pid: pidOf('511702199209090979', keys.pidKey) },
        { kind: 'missing', column_key: null, pid: pidOf('513401199503030669', keys.pidKey) },
      ].map(key).sort(),
    );
  });

  test('the vault decrypts to the names, ID numbers and phones of the files', async () => {
    const keys = loadDataKeys(dataDir);
    const pid = pidOf('51170219900512011X', keys.pidKey);
    const rows = await queryWarehouse(dataDir, 'SELECT nonce, ciphertext, key_id FROM pii_vault WHERE pid = $pid ORDER BY recorded_on', { pid });
    expect(rows.length).toBe(1);
    expect(rows[0].key_id).toBe(keys.vaultKeyId);
    const rec = decryptPii({ nonce: Buffer.from(String(rows[0].nonce), 'hex'), ciphertext: Buffer.from(String(rows[0].ciphertext), 'hex') }, pid, keys.vaultKey);
    expect(rec).toEqual({ id_number: '51170219900512011X', name: '张三丰', phone: '13812345671' });
    // a 新增 gives a full record; collectors are kept under point:<code>
    const added = pidOf('51170220080110081X', keys.pidKey);
    const n1 = await queryWarehouse(dataDir, 'SELECT nonce, ciphertext FROM pii_vault WHERE pid = $pid', { pid: added });
    const merged = mergePiiRecords(n1.map((r) => decryptPii({ nonce: Buffer.from(String(r.nonce), 'hex'), ciphertext: Buffer.from(String(r.ciphertext), 'hex') }, added, keys.vaultKey)));
    expect(merged).toEqual({ id_number: '51170220080110081X', name: '陈小龙', phone: '13512345678' });
    const counts = await queryWarehouse(dataDir, `SELECT count(*) FILTER (WHERE pid LIKE 'point:%') AS points, count(*) AS all FROM pii_vault`);
    // 7 base persons + 1 added + 3 collectors + 1 roster person not in the registry (吉木)
    expect(counts).toEqual([{ points: 3, all: 12 }]);
  });

  test('keys are created with mode 0600 in a 0700 folder', () => {
    expect(statSync(join(dataDir, 'keys')).mode & 0o777).toBe(0o700);
    expect(statSync(join(dataDir, 'keys', 'pid.key')).mode & 0o777).toBe(0o600);
    expect(statSync(join(dataDir, 'keys', 'vault.key')).mode & 0o777).toBe(0o600);
  });

  test('the run log records the run, every file and the steps', () => {
    const db = new Database(join(dataDir, 'state', 'state.sqlite'), { readonly: true });
    try {
      const run = db.prepare('SELECT * FROM refresh_runs WHERE run_id = ?').get(result.runId) as Record<string, unknown>;
      expect(run).toMatchObject({ trigger: 'cli', result: 'published', version: result.version, data_as_of: '2024-02-29' });
      const files = db.prepare('SELECT rel_path, status, rows_read, rows_loaded, rows_quarantined, by_reason, format, encoding FROM refresh_files WHERE run_id = ? ORDER BY rel_path').all(result.runId) as Record<string, unknown>[];
      expect(files).toHaveLength(8);
      const changes = files.find((f) => String(f.rel_path).includes('changes'))!;
      expect(JSON.parse(String(changes.by_reason))).toEqual({
        add_person_already_active: 1, duplicate_key: 1, event_after_recorded: 1, event_before_registration: 1,
        event_person_not_active: 2, future_date: 1, invalid_code: 1, invalid_reason: 1,
      });
      expect(changes).toMatchObject({ format: 'csv', encoding: 'utf-8', status: 'loaded' });
      const steps = (db.prepare('SELECT step FROM refresh_steps WHERE run_id = ?').all(result.runId) as { step: string }[]).map((s) => s.step);
      expect(steps).toEqual(expect.arrayContaining(['timeline', 'spells', 'cubes', 'region_month', 'checks', 'publish', 'total']));
    } finally {
      db.close();
    }
  });

  test('running again finds nothing new and keeps the same warehouse', async () => {
    const before = readCurrentWarehouse(dataDir);
    const again = await runRefresh({ dataDir, inboxDir: join(FIXTURES, 'inbox'), trigger: 'cli' });
    expect(again.result).toBe('nothing_new');
    expect(again.files.every((f) => f.status === 'skipped')).toBe(true);
    expect(readCurrentWarehouse(dataDir)).toEqual(before);
  });
});
