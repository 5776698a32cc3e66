/**
 * Real Chromium (Debian's /usr/bin/chromium, never a downloaded browser) driven by
 * playwright-core, with a fresh profile; every page's console errors, uncaught errors,
 * failed requests and HTTP errors are recorded, and screenshots are saved to a folder the
 * run prints.
 */
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO } from './web-build.ts';
import { chromiumArgs } from './chromium-args.ts';
import { WEB_PASSWORD } from './web-app.ts';

export const CHROMIUM = '/usr/bin/chromium';
export const SCREENSHOTS = join(REPO, 'test-results/screenshots');

export interface Problem {
  readonly kind: 'console' | 'pageerror' | 'requestfailed' | 'http';
  readonly text: string;
  readonly url: string;
}

export interface Browser {
  readonly context: BrowserContext;
  readonly page: Page;
  /** Problems seen since the last call (and clears them). */
  takeProblems(): Problem[];
  login(username: string, next?: string): Promise<void>;
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

export async function launchBrowser(baseUrl: string): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'rlm-chromium-'));
  mkdirSync(SCREENSHOTS, { recursive: true });
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: chromiumArgs(),
    viewport: { width: 1400, height: 1000 },
    acceptDownloads: true,
    baseURL: baseUrl,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  });
  const page = context.pages()[0] ?? (await context.newPage());
  let problems: Problem[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push({ kind: 'console', text: m.text(), url: page.url() });
  });
  page.on('pageerror', (e) => problems.push({ kind: 'pageerror', text: String(e), url: page.url() }));
  page.on('requestfailed', (r) => {
    // Requests the page cancels itself (a newer choice supersedes an answer) are not failures.
    if (r.failure()?.errorText !== 'net::ERR_ABORTED') problems.push({ kind: 'requestfailed', text: `${r.url()} ${r.failure()?.errorText}`, url: page.url() });
  });
  page.on('response', (r) => {
    if (r.status() >= 400) problems.push({ kind: 'http', text: `${r.status()} ${r.url()}`, url: page.url() });
  });

  return {
    context,
    page,
    takeProblems() {
      const p = problems;
      problems = [];
      return p;
    },
    async login(username, next = '/') {
      await page.goto(`/login?next=${encodeURIComponent(next)}`);
      await page.fill('input[name=username]', username);
      await page.fill('input[name=password]', WEB_PASSWORD);
      await page.click('button[type=submit]');
      await page.waitForURL((u) => u.pathname !== '/login');
    },
    async screenshot(name) {
      const file = join(SCREENSHOTS, `${name}.png`);
      await page.screenshot({ path: file, fullPage: true });
      return file;
    },
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
