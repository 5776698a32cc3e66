/**
 * The dashboards in real Chromium against the real server on a generated province: every
 * page renders and shows the API's numbers for the same region and period; drill-down to a
 * village and back (picker, map click, breadcrumbs, Back); language and filters survive a
 * reload; exports hold the rows shown; no console errors or failed requests anywhere.
 * Screenshots of every page go to test-results/screenshots/ (printed).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { startWebApp, type WebApp } from './web-app.ts';
import { launchBrowser, SCREENSHOTS, type Browser } from './browser.ts';
import { parseCsv } from './parse-csv.ts';

interface MetricValue {
  value: number | null;
  numerator?: number | null;
  denominator?: number | null;
}
interface Region {
  code: string;
  name: string;
  level: string;
}

const KPI = ['labour_force', 'employed', 'transfer_employed', 'out_migrant_in_province', 'out_migrant_out_province', 'unemployed', 'unemployment_rate', 'poverty_employed'];

let web: WebApp;
let browser: Browser;
let page: Page;
let lastMonth: string;

/** Waits until the network is quiet and no load state is busy. */
async function settle(): Promise<void> {
  await page.waitForLoadState('networkidle');
  await page.waitForFunction(() => {
    // The tests are compiled without the DOM library: the page's document, typed as used.
    const doc = (globalThis as unknown as { document: { querySelector(s: string): unknown; body: { innerText: string } } }).document;
    return doc.querySelector('[aria-busy="true"]') === null && !doc.body.innerText.includes('正在加载…') && !doc.body.innerText.includes('Loading…');
  });
}

async function open(path: string): Promise<void> {
  await page.goto(path);
  await settle();
}

function expectNoProblems(): void {
  expect(browser.takeProblems()).toEqual([]);
}

async function values(region: string, period: string, metrics: readonly string[], user?: string): Promise<Record<string, MetricValue>> {
  const r = await web.api<{ values: Record<string, MetricValue> }>(`/api/metrics/values?region=${region}&period=${period}&metrics=${metrics.join(',')}`, user);
  return r.values;
}

/** The KPI tiles show exactly the API's values (data-value) and the count in the text. */
async function expectTiles(region: string, period: string, metrics: readonly string[], user?: string): Promise<void> {
  const expected = await values(region, period, metrics, user);
  for (const id of metrics) {
    const tile = page.getByTestId(`kpi-${id}`);
    await expect.poll(() => tile.getAttribute('data-value'), { message: `${id} of ${region}` }).toBe(String(expected[id].value ?? ''));
    if (expected[id].value !== null && (id === 'labour_force' || id === 'employed' || id === 'unemployed')) {
      expect(await tile.innerText()).toContain(expected[id].value!.toLocaleString('en-US'));
    }
  }
}

async function breadcrumbCodes(): Promise<string[]> {
  return page.locator('[data-testid=breadcrumbs] [data-code]').evaluateAll((els) => els.map((e) => e.getAttribute('data-code') ?? ''));
}

async function regionParam(): Promise<string | null> {
  return new URL(page.url()).searchParams.get('region');
}

beforeAll(async () => {
  web = await startWebApp();
  browser = await launchBrowser(web.baseUrl);
  page = browser.page;
  console.log(`browser test screenshots: ${SCREENSHOTS}`);
  const health = await web.api<{ warehouse: { dataAsOf: string } }>('/api/health');
  lastMonth = health.warehouse.dataAsOf.slice(0, 7);
  await browser.login('web-analyst');
  await settle();
  browser.takeProblems();
}, 600_000);

// Each test answers for its own page's problems (a failed test leaves its problems behind).
beforeEach(() => {
  browser?.takeProblems();
});

afterAll(async () => {
  await browser?.close();
  await web?.close();
});

describe('overview', () => {
  test('KPI tiles, ranking bars and map show the API figures of the province', async () => {
    await open('/');
    await expectTiles('510000', lastMonth, KPI);

    const ranking = await web.api<{ items: { code: string; name: string; value: number | null }[] }>(`/api/metrics/ranking?region=510000&period=${lastMonth}&metric=labour_force`);
    const bars = page.locator('[data-testid=ranking] [data-key]');
    await expect.poll(() => bars.count()).toBe(ranking.items.length);
    expect(await bars.evaluateAll((els) => els.map((e) => e.getAttribute('data-key')))).toEqual(ranking.items.map((i) => i.code));
    for (const item of ranking.items.slice(0, 5)) {
      expect(await page.locator(`[data-testid=ranking] [data-key="${item.code}"]`).getAttribute('aria-label')).toBe(`${item.name}: ${item.value!.toLocaleString('en-US')}`);
    }

    const map = page.locator('path[data-code]');
    expect(await map.count()).toBe(183);
    const counties = await web.api<{ items: { code: string; name: string; value: number | null }[] }>(`/api/metrics/ranking?region=511700&period=${lastMonth}&metric=labour_force`);
    for (const c of counties.items) {
      expect(await page.locator(`path[data-code="${c.code}"]`).getAttribute('aria-label')).toBe(`${c.name}: ${c.value!.toLocaleString('en-US')}`);
    }
    // Hovering a county shows its tooltip.
    await page.locator(`path[data-code="${counties.items[0].code}"]`).hover();
    await expect.poll(() => page.locator('.tooltip').innerText()).toContain(counties.items[0].name);

    const compare = await web.api<{ values: Record<string, { mom: { change: number | null } }> }>(`/api/metrics/compare?region=510000&period=${lastMonth}&metrics=labour_force`);
    const change = compare.values.labour_force.mom.change;
    if (change !== null) {
      const text = `${change > 0 ? '+' : change < 0 ? '−' : '+'}${Math.abs(change).toLocaleString('en-US')}`;
      expect(await page.getByTestId('kpi-labour_force').innerText()).toContain(text);
    }
    await browser.screenshot('01-overview-province');
    expectNoProblems();
  });

  test('a cold load asks for each answer once: the figures are started with the data date, not after the page mounts', async () => {
    const asked: string[] = [];
    const onRequest = (r: { url(): string }) => {
      const u = new URL(r.url());
      if (u.pathname.startsWith('/api/')) asked.push(u.pathname + u.search);
    };
    page.on('request', onRequest);
    // The session check is held (up to 10 s) until the KPI request has gone out: without the
    // warm-up the page asks for figures only after the session check has answered.
    let figuresBeforeSession = false;
    await page.route('**/api/auth/me', async (route) => {
      const until = Date.now() + 10_000;
      while (!asked.some((u) => u.startsWith('/api/metrics/compare')) && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
      figuresBeforeSession = asked.some((u) => u.startsWith('/api/metrics/compare'));
      await route.continue();
    });
    try {
      await open('/');
      await expectTiles('510000', lastMonth, ['labour_force']);
    } finally {
      page.off('request', onRequest);
      await page.unroute('**/api/auth/me');
    }
    expect(figuresBeforeSession).toBe(true);
    const twice = asked.filter((u, i) => asked.indexOf(u) !== i);
    expect(twice, asked.join('\n')).toEqual([]);
    const paths = asked.map((u) => u.split('?')[0]).sort();
    // health, session, catalogue, region, children, county boundaries; KPIs, county map, children's ranking, trend
    expect(paths).toEqual(['/api/auth/me', '/api/geo/counties', '/api/health', '/api/metrics', '/api/metrics/compare', '/api/metrics/ranking', '/api/metrics/ranking', '/api/metrics/series', '/api/regions/510000', '/api/regions/510000/children']);
    expectNoProblems();
  });

  test('drill-down from the province to a village and back: picker, map click, breadcrumbs, Back', async () => {
    await open('/');
    await page.getByTestId('child-picker').selectOption('511700');
    await expect.poll(regionParam).toBe('511700');
    await settle();
    expect(await breadcrumbCodes()).toEqual(['510000', '511700']);
    await expectTiles('511700', lastMonth, ['labour_force', 'unemployment_rate']);

    // The city's map: a click on a county drills down to it.
    await page.locator('path[data-code="511702"]').click();
    await expect.poll(regionParam).toBe('511702');
    await settle();
    expect(await breadcrumbCodes()).toEqual(['510000', '511700', '511702']);
    await expectTiles('511702', lastMonth, ['labour_force', 'unemployment_rate']);

    const townships = await web.api<{ children: Region[] }>('/api/regions/511702/children');
    const township = townships.children[0];
    await page.getByTestId('child-picker').selectOption(township.code);
    await expect.poll(regionParam).toBe(township.code);
    await settle();
    await expectTiles(township.code, lastMonth, ['labour_force', 'employed']);

    const villages = await web.api<{ children: Region[] }>(`/api/regions/${township.code}/children`);
    const village = villages.children[0];
    await page.getByTestId('child-picker').selectOption(village.code);
    await expect.poll(regionParam).toBe(village.code);
    await settle();
    expect(await breadcrumbCodes()).toEqual(['510000', '511700', '511702', township.code, village.code]);
    await expectTiles(village.code, lastMonth, ['labour_force', 'employed', 'unemployed']);
    expect(await page.locator('path[data-code]').count()).toBe(0);
    await browser.screenshot('02-overview-village');

    // Up again through the breadcrumbs, then Back returns to the village.
    await page.locator('[data-testid=breadcrumbs] a[data-code="510000"]').click();
    await expect.poll(regionParam).toBe('510000');
    await settle();
    expect(await breadcrumbCodes()).toEqual(['510000']);
    await page.goBack();
    await expect.poll(regionParam).toBe(village.code);
    await settle();
    expect(await breadcrumbCodes()).toHaveLength(5);
    expectNoProblems();
  });
});

describe('URL state', () => {
  test('language, region, period and metric survive a reload; the language choice is remembered', async () => {
    await open('/?region=511700&period=2025-12&metric=unemployment_rate');
    expect(await page.locator('h1').innerText()).toBe('总览');
    await page.getByTestId('lang-switch').click();
    await expect.poll(() => new URL(page.url()).searchParams.get('lang')).toBe('en');
    await settle();
    expect(await page.locator('h1').innerText()).toBe('Overview');
    await page.reload();
    await settle();
    expect(await page.locator('h1').innerText()).toBe('Overview');
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    expect(await page.getByTestId('metric-picker').inputValue()).toBe('unemployment_rate');
    expect(await page.getByTestId('period-picker').inputValue()).toBe('2025-12');
    expect(await breadcrumbCodes()).toEqual(['510000', '511700']);
    await expectTiles('511700', '2025-12', ['unemployment_rate']);
    await browser.screenshot('03-overview-city-english');

    // A page opened without ?lang takes the remembered choice into its URL.
    await open('/festival');
    await expect.poll(() => new URL(page.url()).searchParams.get('lang')).toBe('en');
    expect(await page.locator('h1').innerText()).toBe('Spring Festival return to work');
    await page.getByTestId('lang-switch').click();
    await expect.poll(() => new URL(page.url()).searchParams.get('lang')).toBe('zh');
    expect(await page.locator('h1').innerText()).toBe('春节返岗');
    await settle();
    expectNoProblems();
  });

  test('explorer filters chosen in the page survive a reload', async () => {
    await open(`/explore?region=511700&level=county&periods=${lastMonth}&dims=age_band&measures=labour_force`);
    const before = Number(await page.getByTestId('explore-count').getAttribute('data-count'));
    await page.getByTestId('add-filter').selectOption('sex');
    await expect.poll(() => new URL(page.url()).searchParams.get('filters')).toMatch(/^sex:/);
    await settle();
    const filters = new URL(page.url()).searchParams.get('filters')!;
    const count = Number(await page.getByTestId('explore-count').getAttribute('data-count'));
    expect(count).toBeGreaterThan(0);
    await page.reload();
    await settle();
    expect(new URL(page.url()).searchParams.get('filters')).toBe(filters);
    await expect.poll(() => page.getByTestId('filter-sex').count()).toBe(1);
    expect(Number(await page.getByTestId('explore-count').getAttribute('data-count'))).toBe(count);
    // The filtered slice is the API's for the same request.
    const sex = filters.slice('sex:'.length).split('|');
    const res = await web.app.inject({
      method: 'POST',
      url: '/api/explore',
      headers: { cookie: (await browser.context.cookies()).map((c) => `${c.name}=${c.value}`).join('; '), 'x-csrf-token': await csrf() },
      payload: { level: 'county', region: '511700', periods: [lastMonth], dimensions: ['age_band'], measures: ['labour_force'], filters: { sex }, limit: 10000 },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().rows).toHaveLength(count);
    expect(before).toBeGreaterThanOrEqual(count);
    expectNoProblems();
  });
});

/** The CSRF token of the browser's session (GET /api/auth/me with its cookie). */
async function csrf(): Promise<string> {
  const cookie = (await browser.context.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
  const res = await web.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } });
  return res.json().csrfToken as string;
}

describe('Spring Festival', () => {
  test('target summary equals the API; the daily table downloads with the rows shown', async () => {
    await open('/festival?region=510000&years=2025,2026&day=15&target=95');
    const api = await web.api<{ days: number[]; series: { year: number; returnRate: (number | null)[] }[] }>('/api/festival?region=510000&years=2025,2026');
    const day15 = api.days.indexOf(15);
    for (const s of api.series) {
      const rate = s.returnRate[day15];
      if (rate === null) continue;
      expect(Number(await page.locator(`[data-testid=festival-targets] li[data-year="${s.year}"]`).getAttribute('data-rate'))).toBe(rate);
    }
    const rows = page.locator('[data-testid=festival-table] tbody tr');
    expect(await rows.count()).toBe(api.days.length);
    const shown = await rows.evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent?.trim() ?? '')));

    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid=festival-table] [data-testid=export-csv]').click()]);
    const csv = parseCsv(readFileSync((await download.path())!, 'utf8'));
    expect(csv[0]).toEqual(['距春节天数', '2025', '2026']);
    expect(csv.slice(1)).toHaveLength(shown.length);
    csv.slice(1).forEach((r, i) => {
      expect(Number(r[0])).toBe(Number(shown[i][0]));
      api.series.forEach((s, j) => {
        const v = s.returnRate[i];
        expect(r[j + 1]).toBe(v === null ? '' : String(v));
      });
    });
    await browser.screenshot('04-festival');

    // Grouped by destination province: one row per group, chart of the first.
    await page.getByTestId('festival-dimension').selectOption('dest_province');
    await expect.poll(() => new URL(page.url()).searchParams.get('dim')).toBe('dest_province');
    await settle();
    const grouped = await web.api<{ series: { group: string }[] }>('/api/festival?region=510000&years=2025,2026&dimension=dest_province');
    expect(await page.locator('[data-testid=festival-groups] tbody tr').count()).toBe(new Set(grouped.series.map((s) => s.group)).size);
    await browser.screenshot('05-festival-by-destination');
    expectNoProblems();
  });
});

describe('explorer', () => {
  test('pivot total equals the metric API; CSV and XLSX exports hold the rows shown', async () => {
    await open(`/explore?region=511700&level=county&periods=${lastMonth}&dims=sex&measures=labour_force,unemployment_rate`);
    const count = Number(await page.getByTestId('explore-count').getAttribute('data-count'));
    const body = { level: 'county', region: '511700', periods: [lastMonth], dimensions: ['sex'], measures: ['labour_force', 'unemployment_rate'], filters: {}, limit: 10000 };
    const cookie = (await browser.context.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
    const json = (await web.app.inject({ method: 'POST', url: '/api/explore', headers: { cookie, 'x-csrf-token': await csrf() }, payload: body })).json() as {
      columns: { name: string }[];
      rows: Record<string, string | number | null>[];
    };
    expect(count).toBe(json.rows.length);
    expect(await page.locator('[data-testid=explore-rows] tbody tr').count()).toBe(json.rows.length);
    // The pivot (counties × sex) sums to the city's registered labour force of the metric API.
    const city = await values('511700', lastMonth, ['labour_force']);
    expect(await page.getByTestId('pivot-total').innerText()).toBe(city.labour_force.value!.toLocaleString('en-US'));

    const [csvDownload] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-explore-csv').click()]);
    const csv = parseCsv(readFileSync((await csvDownload.path())!, 'utf8'));
    expect(csv[0]).toEqual(json.columns.map((c) => c.name));
    expect(csv.slice(1)).toHaveLength(count);
    csv.slice(1).forEach((r, i) => json.columns.forEach((c, j) => expect(r[j]).toBe(json.rows[i][c.name] === null ? '' : String(json.rows[i][c.name]))));

    const [xlsxDownload] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-explore-xlsx').click()]);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile((await xlsxDownload.path())!);
    const sheet = workbook.worksheets[0];
    expect(sheet.rowCount).toBe(count + 1);
    for (let i = 0; i < count; i++) {
      const r = sheet.getRow(i + 2);
      expect(r.getCell(json.columns.findIndex((c) => c.name === 'region_code') + 1).value).toBe(json.rows[i].region_code);
      expect(r.getCell(json.columns.findIndex((c) => c.name === 'labour_force') + 1).value).toBe(json.rows[i].labour_force);
    }
    await browser.screenshot('06-explorer');
    expectNoProblems();
  });
});

describe('other pages', () => {
  test('collection points show the API figures (rates, timeliness of the children)', async () => {
    await open(`/points?region=511700`);
    await expectTiles('511700', lastMonth, ['point_coverage', 'point_update_rate', 'point_on_time_rate']);
    const timeliness = await web.api<{ children: { code: string; updateRate: number | null }[] }>(`/api/data-quality/timeliness?region=511700&month=${lastMonth}`);
    expect(await page.locator('[data-testid=timeliness-children] tbody tr').count()).toBe(timeliness.children.length);
    await browser.screenshot('07-points-city');
    expectNoProblems();
  });

  test('data quality shows the API figures and drills down', async () => {
    await open('/quality');
    await expectTiles('510000', lastMonth, ['quality_score', 'point_coverage']);
    const cities = await web.api<{ items: { code: string; value: number | null }[] }>(`/api/metrics/ranking?region=510000&period=${lastMonth}&metric=quality_score`);
    expect(await page.locator('[data-testid=quality-children] tbody tr').count()).toBe(cities.items.length);
    const quarantine = await web.api<{ total: number }>('/api/quality/quarantine?region=510000');
    expect(Number(await page.getByTestId('quarantine-total').getAttribute('data-value'))).toBe(quarantine.total);
    const reconciliation = await web.api<{ total: number }>('/api/quality/reconciliation?region=510000');
    expect(Number(await page.getByTestId('reconciliation-total').getAttribute('data-value'))).toBe(reconciliation.total);
    await browser.screenshot('08-quality-province');
    // A county row drills down.
    await page.locator('[data-testid=quality-children] tbody tr button').first().click();
    await expect.poll(regionParam).toBe(cities.items.map((c) => c.code).sort()[0]);
    await settle();
    expectNoProblems();
  });

  test('operations lists the refresh runs and a run’s files', async () => {
    const runs = await web.api<{ runs: { runId: string }[] }>('/api/refresh/runs');
    await open('/operations');
    expect(await page.locator('[data-testid=runs] tbody tr').count()).toBe(runs.runs.length);
    await page.locator('[data-testid=runs] tbody tr button').first().click();
    await expect.poll(() => new URL(page.url()).searchParams.get('run')).toBe(runs.runs[0].runId);
    await settle();
    const run = await web.api<{ files: unknown[]; steps: unknown[] }>(`/api/refresh/runs/${runs.runs[0].runId}`);
    expect(await page.locator('[data-testid=run-files] tbody tr').count()).toBe(run.files.length);
    expect(await page.locator('[data-testid=run-steps] tbody tr').count()).toBe(run.steps.length);
    await browser.screenshot('09-operations');
    expectNoProblems();
  });

  test('alerts: inbox, map counts and detail equal the API; the responsible user acknowledges and comments', async () => {
    interface ApiAlert {
      id: number;
      rule: string;
      region: string;
      level: string;
      county: string | null;
      state: string;
    }
    const all = await web.api<{ alerts: ApiAlert[] }>('/api/alerts?region=510000');
    expect(all.alerts.length).toBeGreaterThan(0);
    await open('/alerts');
    expect(await page.locator('[data-testid=alerts] tbody tr').count()).toBe(all.alerts.length);
    const open_ = all.alerts.filter((a) => a.state === 'pending' || a.state === 'firing');
    expect(await page.locator('[data-testid=alerts-by-rule] tbody tr').count()).toBe(new Set(open_.map((a) => a.rule)).size);
    for (const county of new Set(open_.map((a) => a.county).filter((c): c is string => c !== null))) {
      expect(await page.locator(`path[data-code="${county}"]`).getAttribute('aria-label')).toMatch(new RegExp(`: ${open_.filter((a) => a.county === county).length}$`));
    }
    const firing = await web.api<{ alerts: ApiAlert[] }>('/api/alerts?region=510000&state=firing');
    await page.getByTestId('alert-state').selectOption('firing');
    await settle();
    expect(await page.locator('[data-testid=alerts] tbody tr').count()).toBe(firing.alerts.length);
    await page.getByTestId('alert-state').selectOption('');
    await settle();

    const target = all.alerts[0];
    await page.locator('[data-testid=alerts] tbody tr button', { hasText: String(target.id) }).first().click();
    await expect.poll(() => new URL(page.url()).searchParams.get('alert')).toBe(String(target.id));
    await settle();
    const detail = await web.api<{ evidence: { signals?: unknown[] }; history: unknown[] }>(`/api/alerts/${target.id}`);
    expect(await page.locator('[data-testid=alert-history] li').count()).toBe(detail.history.length);
    if (detail.evidence.signals?.length) expect(await page.locator('h3', { hasText: '证据' }).count()).toBe(1);
    // The analyst may read but not act: no action buttons.
    expect(await page.getByTestId('alert-acknowledge').count()).toBe(0);
    await browser.screenshot('10-alerts');
    expectNoProblems();

    // The user responsible for the alert's region acknowledges it and comments.
    const role = target.level === 'city' ? 'city_staff' : target.level === 'county' ? 'county_staff' : 'township_reviewer';
    const username = `web-alert-${target.region}`;
    if (!web.app.users.get(username)) await web.app.users.add({ username, password: 'Web-Test-Password-7', role, region: target.region });
    await page.getByRole('button', { name: '退出登录' }).click();
    await page.waitForURL((u) => u.pathname === '/login');
    await browser.login(username, `/alerts?alert=${target.id}`);
    await settle();
    await page.getByTestId('alert-acknowledge').click();
    await expect.poll(async () => (await web.api<{ alert: { workflow: string } }>(`/api/alerts/${target.id}`)).alert.workflow).toBe('acknowledged');
    await page.locator('textarea').fill('已电话核实，正在跟进。');
    await page.getByTestId('alert-comment').click();
    await expect.poll(async () => (await web.api<{ history: { action: string; actor: string | null }[] }>(`/api/alerts/${target.id}`)).history.filter((h) => h.actor === username).map((h) => h.action)).toEqual(['acknowledged', 'comment']);
    await settle();
    await expect.poll(() => page.locator('[data-testid=alert-history] li').count()).toBe(detail.history.length + 2);
    await browser.screenshot('10b-alert-acknowledged');
    await page.getByRole('button', { name: '退出登录' }).click();
    await page.waitForURL((u) => u.pathname === '/login');
    await browser.login('web-analyst');
    await settle();
    expectNoProblems();
  });

  test('a county user lands on their county; without a session the login page returns to the address asked for', async () => {
    await page.getByRole('button', { name: '退出登录' }).click();
    await page.waitForURL((u) => u.pathname === '/login');
    await page.goto('/festival?region=511702&day=20');
    await page.waitForURL((u) => u.pathname === '/login');
    expect(new URL(page.url()).searchParams.get('next')).toBe('/festival?region=511702&day=20');
    // The only failure allowed here: the session check (GET /api/auth/me) answering 401 before login.
    const problems = browser.takeProblems();
    expect(problems.length).toBeGreaterThan(0);
    for (const p of problems) {
      if (p.kind === 'http') expect(p.text).toMatch(/^401 http:\/\/127\.0\.0\.1:\d+\/api\/auth\/me$/);
      else expect(p).toMatchObject({ kind: 'console', text: expect.stringContaining('401') });
    }
    await page.fill('input[name=username]', 'web-county');
    await page.fill('input[name=password]', 'Web-Test-Password-7');
    await page.click('button[type=submit]');
    await page.waitForURL((u) => u.pathname === '/festival');
    expect(new URL(page.url()).searchParams.get('day')).toBe('20');
    await settle();
    await open('/');
    expect((await breadcrumbCodes()).at(-1)).toBe('511702');
    await expectTiles('511702', lastMonth, ['labour_force', 'unemployment_rate'], 'web-county');
    await browser.screenshot('12-overview-county-user');
    expectNoProblems();
  });
});
