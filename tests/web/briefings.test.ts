/**
 * Briefings in real Chromium against the real server on the generated province: the list
 * shows a generated draft; its page shows the headline figures equal to the API's values;
 * clicking 发布 publishes it (the page and the API say so, the button is gone). The PDF
 * the engine prints from the same page with headless Chromium holds the headline figures
 * (pdftotext) and has one page per section of the print page (pdfinfo).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { startWebApp, type WebApp } from './web-app.ts';
import { launchBrowser, type Browser } from './browser.ts';
import { signIn, type ApiSession } from '../engine/api-session.ts';
import { formatFigure } from '../../engine/briefings/figure-format.ts';

interface Figure {
  key: string;
  metric: string;
  region: string;
  period: string;
  value: number | null;
}

let web: WebApp;
let browser: Browser;
let page: Page;
let api: ApiSession;
let id: number;
let headline: Figure[];
const work = mkdtempSync(join(tmpdir(), 'rlm-briefing-pdf-'));

beforeAll(async () => {
  web = await startWebApp();
  api = await signIn(web.app, 'web-briefer', 'province_analyst', '510000');
  const res = await api.post('/api/briefings', { kind: 'monthly', region: '510000', period: '2026-03' });
  expect(res.statusCode, res.body).toBe(201);
  const b = res.json() as { id: number; content: { headline: string[]; figures: Figure[] } };
  id = b.id;
  const byKey = new Map(b.content.figures.map((f) => [f.key, f]));
  headline = b.content.headline.map((k) => byKey.get(k)!);
  browser = await launchBrowser(web.baseUrl);
  page = browser.page;
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await web?.close();
  rmSync(work, { recursive: true, force: true });
});

describe('briefing page', () => {
  test('the list shows the draft; its page shows the headline figures of the API; publish', async () => {
    await browser.login('web-analyst', '/briefings');
    await page.waitForSelector(`[data-testid=briefings] tr[data-id="${id}"]`);
    await page.click(`[data-testid=briefings] tr[data-id="${id}"] a`);
    await page.waitForSelector('[data-print-ready=true]');
    expect(await page.getByTestId('briefing-title').innerText()).toContain('四川省农村劳动力2026年3月月调度');
    for (const f of headline) {
      const res = await web.api<{ values: Record<string, { value: number | null }> }>(`/api/metrics/values?region=${f.region}&period=${f.period}&metrics=${f.metric}`);
      const tile = page.getByTestId(`headline-${f.metric}`);
      expect(await tile.getAttribute('data-value')).toBe(String(res.values[f.metric].value));
      expect(await tile.innerText()).toContain(formatFigure(f.metric, res.values[f.metric].value));
    }
    expect(await page.getByTestId('briefing-status').innerText()).toBe('草稿');
    await page.getByTestId('publish').click();
    await expect.poll(() => page.getByTestId('briefing-status').innerText()).toBe('已发布');
    expect(await page.getByTestId('publish').count()).toBe(0);
    const after = await web.api<{ status: string; publishedBy: string }>(`/api/briefings/${id}`);
    expect(after.status).toBe('published');
    expect(after.publishedBy).toBe('web-analyst');
    expect(browser.takeProblems()).toEqual([]);
  }, 120_000);

  test('the PDF printed by headless Chromium holds the headline figures, one page per section', async () => {
    const sections = await page.locator('section.print-page').count();
    expect(sections).toBe(5); // cover, key figures, rankings, changes and alerts, child regions
    const res = await web.app.inject({ method: 'GET', url: `/api/briefings/${id}/pdf`, headers: { cookie: api.cookie } });
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    const file = join(work, 'briefing.pdf');
    writeFileSync(file, res.rawPayload);
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    expect(text).toContain('四川省农村劳动力2026年3月月调度');
    for (const f of headline) expect(text, f.metric).toContain(formatFigure(f.metric, f.value));
    const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))![1]);
    expect(pages).toBe(sections);
  }, 120_000);
});
