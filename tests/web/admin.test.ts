/**
 * The administration pages in real Chromium against the real server on the generated
 * province: an administrator adds a user, changes their role and region, resets their
 * password and disables them through /admin/users, and each change is true in the state
 * database (the user can or cannot log in, with the new scope); /admin/audit shows those
 * entries, filters them, verifies the chain (and reports a tampered row), and exports the
 * CSV. A county user sees no admin links and is refused.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { startWebApp, WEB_PASSWORD, type WebApp } from './web-app.ts';
import { launchBrowser, type Browser } from './browser.ts';
import { parseCsv } from './parse-csv.ts';

let web: WebApp;
let browser: Browser;
let page: Page;

const NEW_USER = 'web-newcomer';
const FIRST_PASSWORD = 'Newcomer-Password-1';
const SECOND_PASSWORD = 'Newcomer-Password-2';

async function settle(): Promise<void> {
  await page.waitForLoadState('networkidle');
  await page.waitForFunction(() => {
    // The tests are compiled without the DOM library: the page's document, typed as used.
    const doc = (globalThis as unknown as { document: { querySelector(s: string): unknown; body: { innerText: string } } }).document;
    return doc.querySelector('[aria-busy="true"]') === null && !doc.body.innerText.includes('正在加载…');
  });
}

async function loginStatus(username: string, password: string): Promise<number> {
  return (await web.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } })).statusCode;
}

const row = (username: string) => page.locator(`tr[data-user="${username}"]`);

beforeAll(async () => {
  web = await startWebApp();
  await web.app.users.add({ username: 'web-admin', password: WEB_PASSWORD, role: 'admin', region: '510000' });
  browser = await launchBrowser(web.baseUrl);
  page = browser.page;
}, 600_000);

beforeEach(() => {
  browser?.takeProblems();
});

afterAll(async () => {
  await browser?.close();
  await web?.close();
});

describe('users page', () => {
  test('an administrator sees the admin links and every user of the state database', async () => {
    await browser.login('web-admin', '/admin/users');
    await settle();
    const nav = page.getByRole('navigation');
    await expect.poll(() => nav.getByRole('link', { name: '用户管理' }).count()).toBe(1);
    expect(await nav.getByRole('link', { name: '审计日志' }).count()).toBe(1);
    const shown = await page.locator('tr[data-user]').evaluateAll((els) => els.map((e) => e.getAttribute('data-user')));
    expect(shown.sort()).toEqual(web.app.users.list().map((u) => u.username).sort());
    expect(await row('web-county').locator('[data-field=role]').innerText()).toBe('县（市、区）工作人员');
    expect(await row('web-county').locator('[data-field=region]').innerText()).toBe('511702');
    expect(browser.takeProblems()).toEqual([]);
  });

  test('add, change role and region, reset password, disable: each is true in the state database', async () => {
    // Add.
    const add = page.getByRole('form', { name: '新增用户' });
    await add.locator('input[name=username]').fill(NEW_USER);
    await add.locator('input[name=displayName]').fill('新同事');
    await add.locator('input[name=password]').fill(FIRST_PASSWORD);
    await add.locator('select[name=role]').selectOption('county_staff');
    await add.locator('input[name=region]').fill('511702');
    await add.getByRole('button', { name: '新增用户' }).click();
    await expect.poll(() => page.getByRole('status').first().innerText()).toContain(`已新增用户 ${NEW_USER}`);
    await expect.poll(() => row(NEW_USER).count()).toBe(1);
    expect(web.app.users.get(NEW_USER)).toMatchObject({ role: 'county_staff', region: '511702', displayName: '新同事', disabled: false });
    expect(await loginStatus(NEW_USER, FIRST_PASSWORD)).toBe(200);

    // Change role and region.
    await row(NEW_USER).getByRole('button', { name: '修改角色/地区' }).click();
    const editor = page.getByRole('form', { name: '修改角色/地区' });
    await editor.locator('select[name=new-role]').selectOption('city_staff');
    await editor.locator('input[name=new-region]').fill('511700');
    await editor.getByRole('button', { name: '保存' }).click();
    await expect.poll(() => row(NEW_USER).locator('[data-field=role]').innerText()).toBe('市（州）工作人员');
    expect(await row(NEW_USER).locator('[data-field=region]').innerText()).toBe('511700');
    expect(web.app.users.get(NEW_USER)).toMatchObject({ role: 'city_staff', region: '511700' });
    // A role bound to the wrong level is refused with the API's reason, and nothing changes.
    await row(NEW_USER).getByRole('button', { name: '修改角色/地区' }).click();
    await page.getByRole('form', { name: '修改角色/地区' }).locator('select[name=new-role]').selectOption('province_leader');
    await page.getByRole('form', { name: '修改角色/地区' }).getByRole('button', { name: '保存' }).click();
    await expect.poll(() => page.getByRole('alert').first().innerText()).toContain('province_leader must be bound to a province region');
    expect(web.app.users.get(NEW_USER)).toMatchObject({ role: 'city_staff', region: '511700' });
    await page.getByRole('form', { name: '修改角色/地区' }).getByRole('button', { name: '取消' }).click();
    // The refused request is the only problem: its HTTP 400 and the browser's console line about it.
    const problems = browser.takeProblems().map((p) => p.text);
    expect(problems).toHaveLength(2);
    expect(problems).toEqual(expect.arrayContaining([expect.stringMatching(/^400 .*\/api\/users\/web-newcomer\/role$/), expect.stringContaining('status of 400')]));

    // Reset the password: the old one stops working, the new one works.
    await row(NEW_USER).getByRole('button', { name: '重置密码' }).click();
    const reset = page.getByRole('form', { name: '重置密码' });
    await reset.locator('input[name=new-password]').fill(SECOND_PASSWORD);
    await reset.getByRole('button', { name: '保存' }).click();
    await expect.poll(() => page.getByRole('status').first().innerText()).toContain(`已重置 ${NEW_USER} 的密码`);
    expect(await loginStatus(NEW_USER, FIRST_PASSWORD)).toBe(401);
    expect(await loginStatus(NEW_USER, SECOND_PASSWORD)).toBe(200);

    // Disable: the account cannot log in; enable again: it can.
    await row(NEW_USER).getByRole('button', { name: '停用' }).click();
    await expect.poll(() => row(NEW_USER).locator('[data-field=status]').innerText()).toBe('已停用');
    expect(web.app.users.get(NEW_USER)?.disabled).toBe(true);
    expect(await loginStatus(NEW_USER, SECOND_PASSWORD)).toBe(401);
    await row(NEW_USER).getByRole('button', { name: '启用' }).click();
    await expect.poll(() => row(NEW_USER).locator('[data-field=status]').innerText()).toBe('正常');
    expect(await loginStatus(NEW_USER, SECOND_PASSWORD)).toBe(200);
    await row(NEW_USER).getByRole('button', { name: '停用' }).click();
    await expect.poll(() => web.app.users.get(NEW_USER)?.disabled).toBe(true);
    // The administrator's own row offers no disable or role change.
    expect(await row('web-admin').getByRole('button', { name: '停用' }).count()).toBe(0);
    expect(browser.takeProblems()).toEqual([]);
  });
});

describe('audit page', () => {
  test('shows the changes, filters by action, verifies the chain and exports the CSV', async () => {
    await page.goto('/admin/audit');
    await settle();
    const actionsOf = (target: string) =>
      page.locator('tr[data-seq]').evaluateAll(
        (rows, t) => rows.filter((r) => r.querySelector('[data-field=target]')?.textContent === t).map((r) => r.querySelector('[data-field=action]')?.textContent ?? ''),
        target,
      );
    await expect.poll(() => actionsOf(NEW_USER)).toEqual(['user_disabled', 'user_enabled', 'user_disabled', 'password_reset', 'user_role_changed', 'user_added']);
    // Filter by action.
    const filter = page.getByRole('form', { name: '筛选' });
    await filter.locator('input[name=action]').fill('user_role_changed');
    await filter.getByRole('button', { name: '筛选' }).click();
    await expect.poll(() => page.locator('tr[data-seq] td[data-field=action]').allInnerTexts()).toEqual(['user_role_changed']);
    // Verify: the count equals the state database's own verification.
    await page.getByRole('button', { name: '校验哈希链' }).click();
    const verified = web.app.audit.verify();
    expect(verified.ok).toBe(true);
    await expect.poll(() => page.locator('.verification').innerText()).toBe(`哈希链完整：共 ${(verified as { entries: number }).entries} 条记录，未发现篡改。`);
    // Export: the CSV holds the filtered entries with their hashes.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: '导出 CSV' }).click()]);
    const csv = parseCsv(readFileSync((await download.path())!, 'utf8').replace(/^\uFEFF/, ''));
    expect(csv[0]).toEqual(['seq', 'at', 'actor', 'action', 'region', 'target', 'detail', 'ip', 'prev_hash', 'hash']);
    expect(csv.slice(1).filter((r) => r.length > 1).map((r) => [r[2], r[3], r[5]])).toEqual([['web-admin', 'user_role_changed', NEW_USER]]);
    expect(browser.takeProblems()).toEqual([]);
  });

  test('a tampered row is reported by the verification', async () => {
    const db = web.app.stateDb;
    const seq = (db.prepare("SELECT seq FROM audit_log WHERE action = 'user_added' AND target = ?").get(NEW_USER) as { seq: number }).seq;
    // Someone with file access drops the append-only trigger and edits history.
    db.exec('DROP TRIGGER audit_log_no_update');
    db.prepare("UPDATE audit_log SET target = 'someone-else' WHERE seq = ?").run(seq);
    await page.getByRole('button', { name: '校验哈希链' }).click();
    await expect.poll(() => page.locator('.verification').innerText()).toContain(`哈希链在第 ${seq} 条记录处被破坏`);
  });
});

describe('non-administrators', () => {
  test('a county user sees no admin links and is refused on the admin pages', async () => {
    await page.context().clearCookies();
    await browser.login('web-county', '/admin/users');
    await settle();
    expect(await page.getByRole('navigation').getByRole('link', { name: '用户管理' }).count()).toBe(0);
    expect(await page.getByRole('navigation').getByRole('link', { name: '审计日志' }).count()).toBe(0);
    await expect.poll(() => page.getByRole('alert').first().innerText()).toBe('当前账号无权查看此内容。');
    expect(await page.locator('tr[data-user]').count()).toBe(0);
    await page.goto('/admin/audit');
    await settle();
    await expect.poll(() => page.getByRole('alert').first().innerText()).toBe('当前账号无权查看此内容。');
    expect(browser.takeProblems()).toEqual([]);
    const res = await web.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'web-county', password: WEB_PASSWORD } });
    const cookie = String(res.headers['set-cookie']).split(';')[0];
    expect((await web.app.inject({ method: 'GET', url: '/api/users', headers: { cookie } })).statusCode).toBe(403);
  });
});
