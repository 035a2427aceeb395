import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectors } from '../../../collectors/index.js';
import { loadCatalog, type Catalog } from '../../../src/catalog/load.js';
import type { ControlOutcome } from '../../../src/evaluate/evaluate.js';
import type { Manifest } from '../../../src/locker/pack.js';
import { buildReportView } from '../../../src/report/build-view.js';
import { loadReportDefinition, type ReportDefinition } from '../../../src/report/definition.js';
import { renderHtml } from '../../../src/report/html.js';
import { renderPdf } from '../../../src/report/pdf/render.js';
import type { RefusalView, ReportView } from '../../../src/report/view-model.js';
import { buildResults } from '../../../src/results/build.js';
import type { RefusedScope, RunInfo } from '../../../src/results/types.js';
import { XSS_ATTRIBUTE, XSS_SCRIPT, sampleView } from '../../fixtures/report/views.js';

const ACCOUNT = '111111111111';

const REGION_REFUSED: RefusedScope = {
  account: ACCOUNT,
  region: 'eu-west-1',
  cause: 'region-not-enabled',
  collectors: ['ec2.volumes', 'guardduty.detectors'],
  fix: '--regions us-east-1, or enable the region',
  message: `${ACCOUNT} eu-west-1 — region not enabled (2 collector runs; fix: --regions us-east-1, or enable the region)`,
};

const SCP_REFUSED: RefusedScope = {
  account: ACCOUNT,
  region: 'us-east-1',
  service: 'guardduty',
  cause: 'scp-deny',
  collectors: ['guardduty.detectors'],
  fix: 'have the organisation exempt the audit role from the SCP for guardduty, or --regions eu-west-1',
  message: `${ACCOUNT} us-east-1 guardduty — denied by a service control policy (1 collector run; fix: …)`,
};

describe('buildReportView: refused scopes', () => {
  let catalog: Catalog;
  let definition: ReportDefinition;
  const info: RunInfo = {
    id: 'run-1',
    startedAt: '2026-11-23T18:46:33.000Z',
    finishedAt: '2026-11-23T18:46:37.000Z',
    tool: { name: 'auditpack', version: '0.0.0' },
    accounts: [ACCOUNT],
    regions: ['eu-west-1', 'us-east-1'],
    catalog: { digest: `sha256:${'a'.repeat(64)}`, frameworks: {} },
  };
  const manifest: Manifest = { schemaVersion: '1', tool: info.tool, run: { ...info }, files: [] };

  beforeAll(async () => {
    catalog = await loadCatalog(undefined, collectors);
    definition = await loadReportDefinition();
  });

  /** One ERROR outcome per catalog control that reads the collector. */
  function outcomesReading(collector: string): ControlOutcome[] {
    return catalog.controls.filter((c) => c.definition.evidence.includes(collector)).map((c) => ({ definition: c.definition, status: 'ERROR', results: [], params: {} }));
  }

  it('lists each refused scope with the report controls that needed it, and leaves out those no control needed', () => {
    const outcomes = outcomesReading('guardduty.detectors');
    expect(outcomes.length).toBeGreaterThan(0);
    const unrelated: RefusedScope = { ...SCP_REFUSED, service: 'lambda', collectors: ['lambda.functions'] };
    const results = buildResults(info, outcomes, catalog.frameworks, undefined, [REGION_REFUSED, SCP_REFUSED, unrelated]);
    const view = buildReportView(results, manifest, 'd'.repeat(64), definition);
    const ids = outcomes.map((o) => o.definition.id).sort();
    expect(view.refusals?.map((r) => [r.region, r.service, r.causeText, r.controls])).toEqual([
      ['eu-west-1', undefined, 'region not enabled', ids],
      ['us-east-1', 'guardduty', 'denied by a service control policy', ids],
    ]);
  });

  it('has no refusals when results.json has none (older results included)', () => {
    const view = buildReportView(buildResults(info, outcomesReading('guardduty.detectors'), catalog.frameworks), manifest, 'd'.repeat(64), definition);
    expect('refusals' in view).toBe(false);
  });
});

/** The sample view with refused scopes whose pack-borne strings try to break out of HTML. */
function viewWithRefusals(): ReportView {
  const hostile: RefusalView = {
    ...REGION_REFUSED,
    causeText: 'region not enabled',
    fix: `--regions us-east-1 ${XSS_SCRIPT}`,
    collectors: [`ec2.volumes${XSS_ATTRIBUTE}`],
    controls: ['s3-bucket-default-encryption'],
  };
  const scp: RefusalView = { ...SCP_REFUSED, causeText: 'denied by a service control policy', controls: ['s3-bucket-default-encryption', 'iam-root-mfa'] };
  return { ...sampleView(), refusals: [hostile, scp] };
}

describe('HTML report: refused scopes', () => {
  const html = renderHtml(viewWithRefusals());

  it('shows the section once in the executive summary, one row per scope', () => {
    expect(html.match(/<h3 id="refusals">Refused scopes \(2\)<\/h3>/g)).toHaveLength(1);
    const summary = html.slice(html.indexOf('<section id="summary"'), html.indexOf('</section>', html.indexOf('<section id="summary"')));
    expect(summary).toContain('Refused scopes (2)');
    const rows = [...html.matchAll(/<tr data-cause="([a-z-]+)">([\s\S]*?)<\/tr>/g)];
    expect(rows.map((r) => r[1])).toEqual(['region-not-enabled', 'scp-deny']);
    const text = (row: string): string => row.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();
    expect(text(rows[0]![2]!)).toBe('111111111111 eu-west-1 all services region not enabled 1 s3-bucket-default-encryption --regions us-east-1 &lt;script&gt;window.__pwned&#x3D;1&lt;/script&gt;');
    expect(text(rows[1]![2]!)).toBe(
      '111111111111 us-east-1 guardduty denied by a service control policy 1 s3-bucket-default-encryption , iam-root-mfa have the organisation exempt the audit role from the SCP for guardduty, or --regions eu-west-1',
    );
  });

  it('escapes every pack-borne string, in text and in attributes', () => {
    expect(html).not.toContain(XSS_SCRIPT);
    expect(html).not.toContain('<img');
    expect(html).toContain('title="ec2.volumes&quot;&gt;&lt;img src&#x3D;x onerror&#x3D;&quot;window.__pwned&#x3D;1&quot;&gt;"');
  });

  it('links each control to its detail', () => {
    expect(html).toContain('<a href="#control-iam-root-mfa"><code>iam-root-mfa</code></a>');
  });

  it('shows nothing when there are no refusals', () => {
    expect(renderHtml(sampleView())).not.toContain('Refused scopes');
  });
});

describe('PDF report: refused scopes', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'auditpack-refusals-pdf-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function pdfText(view: ReportView): Promise<string> {
    const path = join(dir, `${Math.random().toString(36).slice(2)}.pdf`);
    await writeFile(path, await renderPdf(view));
    const { stdout } = await promisify(execFile)('pdftotext', ['-layout', path, '-'], { timeout: 30_000 });
    return stdout;
  }

  it('draws the table in the executive summary, with the cause, runs, controls and fix of each scope', async () => {
    const text = await pdfText(viewWithRefusals());
    expect(text.match(/Refused scopes \(2\)/g)).toHaveLength(1);
    const summary = text.slice(text.indexOf('Executive summary'));
    expect(summary.indexOf('Refused scopes (2)')).toBeGreaterThan(0);
    // Cells wrap inside their column, so look for what fits on one line of it.
    for (const s of ['Region / service', 'Controls in ERROR', 'region not enabled', 'all services', 'denied by a service', 'guardduty', 'iam-root-mfa', '--regions us-east-1', '<script>window.__pwned=']) expect(summary).toContain(s);
  });

  it('has no such table when there are no refusals', async () => {
    expect(await pdfText(sampleView())).not.toContain('Refused scopes');
  });
});
