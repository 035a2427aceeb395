import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { collectors } from '../../../collectors/index.js';
import { loadCatalog, type Catalog } from '../../../src/catalog/load.js';
import { STATUSES, type Status } from '../../../src/core/types.js';
import { accountsView } from '../../../src/report/accounts.js';
import { buildReportView } from '../../../src/report/build-view.js';
import { renderCsv } from '../../../src/report/csv.js';
import { loadReportDefinition, type ReportDefinition } from '../../../src/report/definition.js';
import { renderHtml } from '../../../src/report/html.js';
import { renderPdf } from '../../../src/report/pdf/render.js';
import { MAX_CELL_CHARS } from '../../../src/report/result-cap.js';
import type { ReportView } from '../../../src/report/view-model.js';
import type { ResultsDocument } from '../../../src/results/types.js';
import { weightedScore } from '../../../src/score/score.js';
import { accountId, fixtureStatus, orgResults } from '../../fixtures/report/org-results.js';

/** Reports of a many-account organisation: capped control tables, the per-account section, and hostile strings in both. */

const ACCOUNTS = 30;
const CONTROLS = 6;
const PER_ACCOUNT = 40;
const TOTAL = ACCOUNTS * PER_ACCOUNT; // results per control

const haveTools = !spawnSync('pdftotext', ['-v']).error;
if (!haveTools && !process.env.CI) console.warn('org-scale PDF checks skipped: pdftotext not found (apt-get install poppler-utils); in CI they fail instead');

/** The PDF's text as poppler reads it (layout order), whitespace collapsed. */
async function pdfText(pdf: Buffer): Promise<{ text: string; pages: number }> {
  const dir = await mkdtemp(join(tmpdir(), 'auditpack-org-pdf-'));
  try {
    const file = join(dir, 'report.pdf');
    await writeFile(file, pdf);
    const text = execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-'], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
    return { text: text.replace(/\s+/g, ' '), pages: Number(/Pages:\s+(\d+)/.exec(info)?.[1]) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Every word's box on every page (pdftotext -bbox), to check that nothing is drawn off the page. */
async function wordBoxes(pdf: Buffer): Promise<{ page: { width: number; height: number }; words: { xMin: number; yMin: number; xMax: number; yMax: number }[] }[]> {
  const dir = await mkdtemp(join(tmpdir(), 'auditpack-org-bbox-'));
  try {
    const file = join(dir, 'report.pdf');
    await writeFile(file, pdf);
    const xhtml = execFileSync('pdftotext', ['-bbox', file, '-'], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    return xhtml.split('<page ').slice(1).map((chunk) => ({
      page: { width: Number(/width="([\d.]+)"/.exec(chunk)?.[1]), height: Number(/height="([\d.]+)"/.exec(chunk)?.[1]) },
      words: [...chunk.matchAll(/<word xMin="([\d.-]+)" yMin="([\d.-]+)" xMax="([\d.-]+)" yMax="([\d.-]+)"/g)].map((m) => ({ xMin: Number(m[1]), yMin: Number(m[2]), xMax: Number(m[3]), yMax: Number(m[4]) })),
    }));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The fixture's per-account score, from its status rule and the controls' severities (not from the view). */
function expectedScore(results: ResultsDocument, a: number): number | null {
  return weightedScore(
    results.controls.map((control) => {
      const c = Number(/-(\d+)-\d+$/.exec(control.results.find((r) => r.account === accountId(a))!.resourceId)?.[1]);
      const statuses = Array.from({ length: PER_ACCOUNT }, (_, r) => fixtureStatus(a, c, r));
      const status: Status = statuses.includes('ERROR') ? 'ERROR' : statuses.includes('FAIL') ? 'FAIL' : statuses.includes('PASS') ? 'PASS' : 'NOT_APPLICABLE';
      return { severity: control.severity, status };
    }),
  );
}

describe('reports of a large organisation', () => {
  let catalog: Catalog;
  let definition: ReportDefinition;
  let results: ResultsDocument;
  let manifest: ReturnType<typeof orgResults>['manifest'];
  let view: ReportView;
  let html: string;

  beforeAll(async () => {
    catalog = await loadCatalog(undefined, collectors);
    const loaded = await loadReportDefinition();
    definition = { ...loaded, limits: { resultsPerControl: 50, accounts: 10, appendixFiles: 12 } };
    ({ results, manifest } = orgResults(catalog, { accounts: ACCOUNTS, controls: CONTROLS, perAccount: PER_ACCOUNT }));
    view = buildReportView(results, manifest, 'd'.repeat(64), definition);
    html = renderHtml(view);
  });

  it('the default definition has the accounts section and the default limits', async () => {
    const loaded = await loadReportDefinition();
    expect(loaded.sections.slice(0, 3)).toEqual(['cover', 'summary', 'accounts']);
    expect(loaded.limits).toEqual({ resultsPerControl: 50, accounts: 200, appendixFiles: 1000 });
  });

  it('caps each control at the limit, errors and failures first, and counts every result', () => {
    expect(view.controls).toHaveLength(CONTROLS);
    for (const control of view.controls) {
      const source = results.controls.find((c) => c.id === control.id)!;
      expect(control.results).toHaveLength(50);
      expect(control.omittedResults).toBe(TOTAL - 50);
      expect(Object.values(control.counts).reduce((n, c) => n + c, 0)).toBe(TOTAL);
      expect(control.counts).toEqual(source.counts);
      // Worst first: no shown row is better than a row left out.
      const rank = (s: Status): number => ['ERROR', 'FAIL', 'WAIVED', 'MANUAL', 'INHERITED', 'NOT_APPLICABLE', 'PASS'].indexOf(s);
      const worstLeftOut = Math.min(...source.results.filter((r) => !control.results.some((x) => x.resourceId === r.resourceId)).map((r) => rank(r.status)));
      expect(Math.max(...control.results.map((r) => rank(r.status)))).toBeLessThanOrEqual(worstLeftOut);
      // Each evidence reference points at a file the rows cite.
      for (const r of control.results) for (const i of r.evidence) expect(control.evidenceFiles[i]?.account).toBe(r.account);
    }
    expect(view.summary.totalResults).toBe(CONTROLS * TOTAL);
    expect(view.summary.resultCounts.reduce((n, c) => n + c.count, 0)).toBe(CONTROLS * TOTAL);
    expect(view.summary.topRisks.every((r) => r.total === TOTAL)).toBe(true);
  });

  it('keeps every result, in results.json order, for the CSV', () => {
    const full = buildReportView(results, manifest, '', definition, undefined, { allResults: true });
    for (const control of full.controls) {
      expect(control.omittedResults).toBeUndefined();
      expect(control.results.map((r) => r.resourceId)).toEqual(results.controls.find((c) => c.id === control.id)!.results.map((r) => r.resourceId));
    }
    expect(renderCsv(full).split('\r\n').filter(Boolean)).toHaveLength(CONTROLS * TOTAL + 1);
  });

  it('summarises per account, worst score first then by account id, capped with a line for the rest', () => {
    const accounts = view.accounts!;
    expect(accounts).toMatchObject({ total: ACCOUNTS, omitted: ACCOUNTS - 10 });
    expect(accounts.rows).toHaveLength(10);
    const all = accountsView(results.run.accounts, results.controls, 1000);
    const expected = Array.from({ length: ACCOUNTS }, (_, a) => ({ account: accountId(a), score: expectedScore(results, a) })).sort(
      (x, y) => (x.score ?? 101) - (y.score ?? 101) || x.account.localeCompare(y.account),
    );
    expect(all.rows.map((r) => ({ account: r.account, score: r.score }))).toEqual(expected);
    expect(accounts.rows).toEqual(all.rows.slice(0, 10));
    // Counts are over every result: per account PER_ACCOUNT × CONTROLS, and all accounts add up to the run.
    for (const row of all.rows) expect(row.results).toBe(PER_ACCOUNT * CONTROLS);
    for (const s of STATUSES) expect(all.rows.reduce((n, r) => n + r.counts[s], 0)).toBe(results.summary.resultsByStatus[s]);
    // The worst account errs (account 0, 7, ...) or fails three controls; its worst controls are named.
    const first = accounts.rows[0]!;
    expect(first.failingControls).toBeGreaterThan(0);
    expect(first.worst.length).toBe(Math.min(3, first.failingControls));
  });

  it('leaves the section out for a single account, and the order does not depend on the input order', () => {
    const single = orgResults(catalog, { accounts: 1, controls: 2, perAccount: 3 });
    const one = buildReportView(single.results, single.manifest, 'd'.repeat(64), definition);
    expect(one.sections).not.toContain('accounts');
    expect(one.accounts).toBeUndefined();
    expect(renderHtml(one)).not.toContain('id="accounts"');
    const shuffled: ResultsDocument = {
      ...results,
      controls: results.controls.map((c) => ({ ...c, results: [...c.results].reverse() })),
    };
    expect(renderHtml(buildReportView(shuffled, manifest, 'd'.repeat(64), definition))).toBe(html);
  });

  it('HTML: says "showing K of N" per control, lists K rows, and the accounts table in order with the "more accounts" line', () => {
    expect(html.match(/Showing 50 of 1,200 results \(errors and failures first\); the full list is in results\.csv and results\.json\./g)).toHaveLength(CONTROLS);
    expect(html).toContain('Resource results (1,200)');
    for (const control of view.controls) {
      const article = html.slice(html.indexOf(`<article id="control-${control.id}"`), html.indexOf('</article>', html.indexOf(`<article id="control-${control.id}"`)));
      expect(article.match(/<tr data-st=/g)).toHaveLength(50);
    }
    const accountRows = [...html.matchAll(/<tr data-account="(\d+)">/g)].map((m) => m[1]);
    expect(accountRows).toEqual(view.accounts!.rows.map((r) => r.account));
    expect(html).toContain('20 more accounts — see results.csv');
    expect(html).toContain(`Showing the first 12 of ${ACCOUNTS} files`);
    expect(renderHtml(buildReportView(results, manifest, 'd'.repeat(64), definition))).toBe(html);
  });

  it('caps the refused scopes too, saying how many there are', () => {
    const collector = results.controls[0]!.evidence[0]!;
    const refusals = Array.from({ length: 15 }, (_, i) => ({
      account: accountId(i),
      region: 'eu-south-2',
      cause: 'region-not-enabled' as const,
      collectors: [collector],
      fix: '--regions us-east-1, or enable the region',
      message: `${accountId(i)} eu-south-2 — region not enabled`,
    }));
    const refused = buildReportView({ ...results, summary: { ...results.summary, refusals } }, manifest, 'd'.repeat(64), definition);
    expect(refused.refusals).toHaveLength(10);
    expect(refused.refusalsTotal).toBe(15);
    expect(renderHtml(refused)).toContain('Refused scopes (15)</h3>\n<p class="capped">Showing 10 of 15 refused scopes; results.json (summary.refusals) lists them all.</p>');
  });

  it.skipIf(!haveTools && !process.env.CI)('PDF: the same wording and order, counts over all results, the same bytes twice', async () => {
    const pdf = await renderPdf(view);
    const { text, pages } = await pdfText(pdf);
    expect(text.split('Showing 50 of 1,200 results (errors and failures first); the full list is in results.csv and results.json.').length - 1).toBe(CONTROLS);
    expect(text).toContain('1,200 results:');
    expect(text).toContain('and 1,150 more results, not listed here; see results.csv and results.json.');
    expect(text).toContain('20 more accounts — see results.csv');
    expect(text).toContain(`Showing the first 12 of ${ACCOUNTS} files`);
    const positions = view.accounts!.rows.map((r) => text.indexOf(` ${r.account} `, text.indexOf('worst score first')));
    expect(positions.every((p) => p > 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(pages).toBeLessThan(40);
    expect((await renderPdf(view)).equals(pdf)).toBe(true);
  });
});

describe('hostile strings in the per-account section and capped tables', () => {
  const RLO = '\u202e';
  const LONG = `arn:aws:s3:::${'A'.repeat(200_000)}`;
  const hostileAccounts = ['<script>window.__pwned=1</script>', `${RLO}999999999999`, '"><img src=x onerror=alert(1)>', 'nul\u0000bell\u0007tab\tline\nbreak'];
  let view: ReportView;
  let html: string;

  beforeAll(async () => {
    const catalog = await loadCatalog(undefined, collectors);
    const definition = await loadReportDefinition();
    // Account ids bypass the results schema (which allows 12 digits only) to test the renderers' own escaping.
    const { results, manifest } = orgResults(catalog, {
      accounts: hostileAccounts.length,
      accountIds: hostileAccounts,
      controls: 2,
      perAccount: 3,
      resourceId: (account, c, r) => (r === 0 ? LONG : `arn:aws:s3:::${RLO}gnp.exe-${c}-${r}<b>${account}`),
      region: (_account, _c, r) => (r === 2 ? `eu-${'west-'.repeat(2000)}1` : 'us-east-1'),
      resourceType: (_account, _c, r) => (r === 2 ? `AWS::${'Nested::'.repeat(3000)}Bucket` : 'AWS::S3::Bucket'),
      message: (_account, _c, r) => (r === 1 ? `${'x'.repeat(60_000)} </td></tr></table><script>window.__pwned=2</script>` : `${RLO}evil\u0000\u0008 ]) Tj ET (`),
    });
    view = buildReportView(results, manifest, 'd'.repeat(64), { ...definition, limits: { resultsPerControl: 5, accounts: 3, appendixFiles: 2 } });
    html = renderHtml(view);
  });

  it('escapes them in HTML text and attributes, in the new section too', () => {
    expect(view.accounts).toMatchObject({ total: hostileAccounts.length, omitted: 1 });
    for (const row of view.accounts!.rows) expect(hostileAccounts).toContain(row.account);
    expect(html).not.toContain('<script>window');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<b>');
    expect(html).toContain('&lt;script&gt;window.__pwned&#x3D;1&lt;/script&gt;');
    expect(html).toContain('data-account="&quot;&gt;&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;"');
    expect(html.match(/<script\b/g)).toHaveLength(1);
    expect(html).toContain('1 more accounts — see results.csv');
  });

  it('cuts very long strings to a bounded length in both reports, saying so', async () => {
    const longRow = view.controls[0]!.results.find((r) => r.resourceId.startsWith('arn:aws:s3:::AAAA'))!;
    expect(longRow.resourceId.length).toBeLessThan(MAX_CELL_CHARS + 80);
    expect(longRow.resourceId).toContain(`… (${LONG.length - MAX_CELL_CHARS} more characters; see results.csv)`);
    expect(html.length).toBeLessThan(1_000_000);
    const started = performance.now();
    const pdf = await renderPdf(view);
    expect(performance.now() - started).toBeLessThan(20_000);
    if (!haveTools && !process.env.CI) return;
    const { text, pages } = await pdfText(pdf);
    expect(pages).toBeLessThan(30);
    expect(text).not.toContain(RLO);
    expect(text).toContain('?999999999999');
    expect(text).toContain('more characters; see results.csv');
    // Layout holds: every word of every page lies on the page (no row pushed past the foot, no line past the edge).
    const pagesWithWords = await wordBoxes(pdf);
    expect(pagesWithWords.length).toBe(pages);
    expect(pagesWithWords.flatMap((p) => p.words).length).toBeGreaterThan(500);
    for (const { page, words } of pagesWithWords)
      for (const w of words) expect(w.xMin >= 0 && w.yMin >= 0 && w.xMax <= page.width + 0.5 && w.yMax <= page.height + 0.5, JSON.stringify(w)).toBe(true);
    // Between the body's foot (page height - 64) and the footer rule (page height - 46) nothing is drawn on a framed
    // page: a row taller than the space left would run through there (and on through the footer, off the page).
    const gap = pagesWithWords.slice(1).flatMap(({ page, words }, i) => words.filter((w) => w.yMin > page.height - 63 && w.yMin < page.height - 47).map((w) => ({ page: i + 2, ...w })));
    expect(gap).toEqual([]);
  });
});
