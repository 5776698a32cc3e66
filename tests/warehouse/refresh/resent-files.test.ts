/**
 * A batch re-sent with corrections (same file names, other content) is loaded as a new
 * version: a changes file adds only the events not already present and its quarantine
 * rows are replaced; a submissions file replaces the month's rows; unchanged files are
 * skipped by their hash.
 */
import { describe, expect, test, beforeAll, afterAll } from 'vitest';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runRefresh, type RefreshResult } from '../../../warehouse/refresh/run-refresh.ts';
import { queryWarehouse } from '../read-warehouse.ts';

const GOLDEN = fileURLToPath(new URL('../fixtures/golden/inbox/', import.meta.url));
const BATCH = '2024-03-01';
let root: string;
let first: RefreshResult;
let second: RefreshResult;
const dataDir = () => join(root, 'data');
const inbox = () => join(root, 'inbox');

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'rlm-resent-'));
  cpSync(GOLDEN, inbox(), { recursive: true });
  first = await runRefresh({ dataDir: dataDir(), inboxDir: inbox(), trigger: 'cli' });
  // corrections: row 13 (event after recorded) now has valid dates; a new event for P3 is added;
  // submissions_202401 now says the third point submitted.
  const changes = join(inbox(), BATCH, 'changes_20240101_20240229.csv');
  const lines = readFileSync(changes, 'utf8').trimEnd().split('\n');
  lines[12] = lines[12].replace('2024-02-10,2024-02-09', '2024-02-08,2024-02-09');
  lines.push('511702197001150339,2024-02-26,2024-02-27,状态变更,就业变动,CJ51170200201,乡镇已审核,,,,,,,,,,,30,,,,,,,,,');
  writeFileSync(changes, `${lines.join('\n')}\n`);
  const subs = join(inbox(), BATCH, 'submissions_202401.csv');
  writeFileSync(subs, readFileSync(subs, 'utf8').replace('CJ51340100101,2024-01,,,,未报送,,,', 'CJ51340100101,2024-01,2024-02-08,,,已报送,1,0,0'));
  second = await runRefresh({ dataDir: dataDir(), inboxDir: inbox(), trigger: 'cli' });
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('a batch re-sent with corrections', () => {
  test('only the changed files are loaded again', () => {
    expect(first.result).toBe('published');
    expect(second.result, second.message).toBe('published');
    const loaded = second.files.filter((f) => f.status === 'loaded').map((f) => f.relPath.split('/')[1]);
    expect(loaded).toEqual(['changes_20240101_20240229.csv', 'submissions_202401.csv']);
    expect(second.files.filter((f) => f.status === 'skipped')).toHaveLength(6);
  });

  test('the changes file adds only the events not already present', async () => {
    const f = second.files.find((x) => x.relPath.endsWith('changes_20240101_20240229.csv'))!;
    expect([f.rowsRead, f.rowsLoaded, f.rowsQuarantined, f.rowsAlreadyPresent]).toEqual([19, 11, 8, 9]);
    const events = await queryWarehouse(dataDir(), `SELECT event_date, reason, status_before, status_after FROM events WHERE event_date IN ('2024-02-08', '2024-02-26') ORDER BY event_date`);
    expect(events).toEqual([
      { event_date: '2024-02-08', reason: '就业变动', status_before: '50', status_after: '40' },
      { event_date: '2024-02-26', reason: '就业变动', status_before: '10', status_after: '30' },
    ]);
    expect(await queryWarehouse(dataDir(), 'SELECT count(*) AS n FROM events')).toEqual([{ n: 11 }]);
    const feb = await queryWarehouse(dataDir(), `SELECT s10, s30, s40, s50 FROM agg_region_month WHERE region_code = '510000' AND month = '2024-02'`);
    expect(feb).toEqual([{ s10: 0, s30: 1, s40: 2, s50: 1 }]);
  });

  test('its quarantine rows are those of the new version', async () => {
    const q = await queryWarehouse(dataDir(), `SELECT row_no, reason FROM quarantine WHERE file LIKE '%changes%' ORDER BY row_no`);
    expect(q.map((r) => r.row_no)).toEqual([11, 12, 14, 15, 16, 17, 18, 19]);
    expect(q.some((r) => r.reason === 'event_after_recorded')).toBe(false);
  });

  test('the re-sent submissions replace the month', async () => {
    const rows = await queryWarehouse(dataDir(), `SELECT point_code, status, submitted_on FROM submissions WHERE month = '2024-01' ORDER BY point_code`);
    expect(rows).toEqual([
      { point_code: 'CJ51170200101', status: '县级已复核', submitted_on: '2024-02-02' },
      { point_code: 'CJ51170200201', status: '乡镇已审核', submitted_on: '2024-02-03' },
      { point_code: 'CJ51340100101', status: '已报送', submitted_on: '2024-02-08' },
    ]);
  });

  test('a published month changed by the correction is recorded as a revision', async () => {
    const rev = await queryWarehouse(dataDir(), `SELECT metric, month, old_value, new_value FROM revisions WHERE region_code = '510000' ORDER BY metric`);
    expect(rev).toEqual([
      { metric: 'poverty_transfer', month: '2024-02', old_value: 1, new_value: 2 },
      { metric: 'relocated_transfer', month: '2024-02', old_value: 1, new_value: 2 },
      { metric: 's10', month: '2024-02', old_value: 1, new_value: 0 },
      { metric: 's30', month: '2024-02', old_value: 0, new_value: 1 },
      { metric: 's40', month: '2024-02', old_value: 1, new_value: 2 },
      { metric: 's50', month: '2024-02', old_value: 2, new_value: 1 },
      { metric: 'transfer', month: '2024-02', old_value: 3, new_value: 4 },
      { metric: 'unemployed', month: '2024-02', old_value: 1, new_value: 2 },
    ]);
    const batches = await queryWarehouse(dataDir(), 'SELECT DISTINCT batch, run_id FROM revisions');
    expect(batches).toEqual([{ batch: '2024-03-01', run_id: second.runId }]);
  });
});
