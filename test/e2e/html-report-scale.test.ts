import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectors } from '../../collectors/index.js';
import { loadCatalog } from '../../src/catalog/load.js';
import { buildReportView } from '../../src/report/build-view.js';
import { loadReportDefinition } from '../../src/report/definition.js';
import { renderHtml } from '../../src/report/html.js';
import type { ReportView } from '../../src/report/view-model.js';
import { accountId, orgResults } from '../fixtures/report/org-results.js';

/** A capped organisation report in headless Chromium: K rows per control, the accounts section, hostile account ids. */

const CHROMIUM = '/usr/bin/chromium';
const skip = !existsSync(CHROMIUM) && !process.env.CI;
if (skip) console.warn(`html-report-scale e2e skipped: ${CHROMIUM} not found (install Debian "chromium"; in CI this test fails instead)`);

const HOSTILE = ['<script>window.__pwned=1</script>', '"><img src=x onerror="window.__pwned=2">', '\u202e210987654321', "</code></td></tr></table><svg onload='window.__pwned=3'>"];

describe.skipIf(skip)('capped organisation report in headless Chromium', () => {
  let browser: Browser;
  let page: Page;
  let dir: string;
  let view: ReportView;
  const problems: string[] = [];
  const external: string[] = [];

  beforeAll(async () => {
    const catalog = await loadCatalog(undefined, collectors);
    const definition = await loadReportDefinition();
    const accounts = [...HOSTILE, ...Array.from({ length: 20 }, (_, i) => accountId(i))];
    const { results, manifest } = orgResults(catalog, { accounts: accounts.length, accountIds: accounts, controls: 4, perAccount: 30 });
    view = buildReportView(results, manifest, 'd'.repeat(64), { ...definition, limits: { resultsPerControl: 25, accounts: 8, appendixFiles: 5 } });
    dir = await mkdtemp(join(tmpdir(), 'auditpack-html-scale-'));
    const file = join(dir, 'report.html');
    await writeFile(file, renderHtml(view));
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] });
    const context = await browser.newContext({ viewport: { width: 1200, height: 900 }, offline: true });
    const local = (url: string): boolean => url.startsWith('file:') || url.startsWith('data:');
    context.on('request', (request) => {
      if (!local(request.url())) external.push(request.url());
    });
    await context.route((url) => !local(url.href), (route) => route.abort());
    page = await context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`console.${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  });

  afterAll(async () => {
    await browser?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('loads offline with no errors, and no hostile account id runs or becomes markup', async () => {
    expect(external).toEqual([]);
    expect(problems).toEqual([]);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
    expect(await page.locator('img, main svg[onload]').count()).toBe(0);
  });

  it('lists K rows per control with the "showing K of N" line, and counts every result', async () => {
    const total = 24 * 30;
    for (const control of view.controls) {
      const article = page.locator(`article[data-id="${control.id}"]`);
      if ((await article.locator('details.results').getAttribute('open')) === null) await article.locator('details.results > summary').click();
      expect(await article.locator('tr[data-st]').count()).toBe(25);
      expect(await article.locator('tr[data-st]:visible').count()).toBe(25);
      await expect.poll(() => article.locator('p.capped').first().innerText()).toBe(`Showing 25 of ${total} results (errors and failures first); the full list is in results.csv and results.json.`);
      expect(await article.locator('details.results > summary').innerText()).toContain(`Resource results (${total})`);
    }
  });

  it('shows the accounts section worst first, hostile ids as plain text, and the line for the rest', async () => {
    const rows = page.locator('section#accounts tbody tr');
    expect(await rows.count()).toBe(8);
    const shown = await rows.evaluateAll((trs) => trs.map((tr) => tr.querySelector('code')?.textContent ?? ''));
    expect(shown).toEqual(view.accounts!.rows.map((r) => r.account));
    expect(HOSTILE.filter((h) => shown.includes(h)).length).toBeGreaterThan(0);
    for (const id of HOSTILE.filter((h) => shown.includes(h))) expect(await page.locator('section#accounts code', { hasText: id }).count()).toBeGreaterThan(0);
    expect(await page.locator('section#accounts p.capped').innerText()).toBe('16 more accounts — see results.csv (one row per control and resource, with its account) and results.json.');
    // The worst-control links lead to the control details.
    const href = await page.locator('section#accounts tbody tr a').first().getAttribute('href');
    expect(href).toMatch(/^#control-/);
    expect(await page.locator(href!).count()).toBe(1);
  });
});
