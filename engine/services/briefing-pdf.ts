/**
 * A briefing as PDF: headless Chromium (Debian's /usr/bin/chromium via playwright-core)
 * opens the web app's print-ready briefing page (/briefings/<id>?print=1) and prints it.
 * The browser never reaches the network: every request is answered in-process, the built
 * web app's files from disk and /api GETs through app.inject() with the requesting user's
 * session cookie, so the page shows exactly what that user may read. One render at a time.
 */
import { chromium } from 'playwright-core';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, resolve, sep } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { ApiError } from '../plugins/errors.ts';

export const CHROMIUM_PATH = process.env.RLM_CHROMIUM ?? '/usr/bin/chromium';
const ORIGIN = 'http://briefing.print';
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

export class BriefingPdfRenderer {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly app: FastifyInstance,
    private readonly webDir: string,
    private readonly timeoutMs = 60_000,
  ) {}

  render(id: number, cookie: string): Promise<Buffer> {
    const job = this.queue.then(() => this.renderNow(id, cookie));
    this.queue = job.catch(() => undefined);
    return job;
  }

  private async renderNow(id: number, cookie: string): Promise<Buffer> {
    const root = resolve(this.webDir);
    if (!existsSync(join(root, 'index.html'))) throw new ApiError(503, 'unavailable', `the web app is not built (${root}); run npm run build to print briefings`);
    if (!existsSync(CHROMIUM_PATH)) throw new ApiError(503, 'unavailable', `Chromium is missing at ${CHROMIUM_PATH}; install it with apt-get install -y chromium`);
    const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run'] });
    try {
      const context = await browser.newContext({ baseURL: ORIGIN, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
      await context.route('**/*', async (route) => {
        const req = route.request();
        const url = new URL(req.url());
        if (url.origin !== ORIGIN) return route.abort();
        if (url.pathname.startsWith('/api/')) {
          // Printing reads only: a state-changing request from the page is refused.
          if (req.method() !== 'GET') return route.fulfill({ status: 405, contentType: 'application/json', body: '{"error":{"code":"read_only","message":"printing is read-only"}}' });
          const res = await this.app.inject({ method: 'GET', url: url.pathname + url.search, headers: { cookie, accept: req.headers().accept ?? 'application/json' } });
          return route.fulfill({ status: res.statusCode, contentType: String(res.headers['content-type'] ?? 'application/json'), body: res.rawPayload });
        }
        let file = resolve(root, `.${decodeURIComponent(url.pathname)}`);
        if (!file.startsWith(root + sep) || !existsSync(file) || statSync(file).isDirectory()) file = join(root, 'index.html');
        return route.fulfill({ status: 200, contentType: TYPES[extname(file)] ?? 'application/octet-stream', body: readFileSync(file) });
      });
      const page = await context.newPage();
      await page.goto(`/briefings/${id}?print=1`, { timeout: this.timeoutMs });
      const ready = await page.waitForSelector('[data-print-ready]', { timeout: this.timeoutMs });
      if ((await ready.getAttribute('data-print-ready')) !== 'true') throw new ApiError(500, 'render_failed', `the briefing page of ${id} did not render: ${await ready.innerText()}`);
      return await page.pdf({
        format: 'A4',
        printBackground: true,
        preferCSSPageSize: true,
        displayHeaderFooter: true,
        headerTemplate: '<div></div>',
        footerTemplate: '<div style="font-size:8px;width:100%;text-align:center;color:#555"><span class="pageNumber"></span> / <span class="totalPages"></span></div>',
        margin: { top: '14mm', bottom: '16mm', left: '14mm', right: '14mm' },
      });
    } finally {
      await browser.close();
    }
  }
}
