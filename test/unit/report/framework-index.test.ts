import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadFrameworks, type Frameworks } from '../../../src/catalog/frameworks.js';
import type { ControlDefinition, Mappings, Status } from '../../../src/core/types.js';
import type { ControlOutcome } from '../../../src/evaluate/evaluate.js';
import type { Manifest } from '../../../src/locker/pack.js';
import { buildReportView, waCoverageBaseline } from '../../../src/report/build-view.js';
import { loadReportDefinition, type ReportDefinition } from '../../../src/report/definition.js';
import { compareRequirementIds, frameworkIndexView, loadFrameworkReference } from '../../../src/report/framework-index.js';
import { renderHtml } from '../../../src/report/html.js';
import { renderPdf } from '../../../src/report/pdf/render.js';
import { buildResults } from '../../../src/results/build.js';
import type { ResultsDocument, RunInfo } from '../../../src/results/types.js';
import { DEFAULT_CONTROLS_DIR } from '../../../src/core/defaults.js';
import { XSS_ATTRIBUTE, XSS_SCRIPT } from '../../fixtures/report/views.js';

const ACCOUNT = '111111111111';
const run = promisify(execFile);

const info: RunInfo = {
  id: 'run-cis',
  startedAt: '2026-11-23T18:46:33.000Z',
  finishedAt: '2026-11-23T18:46:37.000Z',
  tool: { name: 'auditpack', version: '0.0.0' },
  accounts: [ACCOUNT],
  regions: ['eu-west-1'],
  catalog: { digest: `sha256:${'a'.repeat(64)}`, frameworks: { 'cis-aws-3.0': '3.0.0' } },
};
const manifest: Manifest = { schemaVersion: '1', tool: info.tool, run: { ...info }, files: [] };

function outcome(id: string, kind: ControlDefinition['kind'], status: Status, mappings: Mappings, title = `Title of ${id}`): ControlOutcome {
  const results = kind === 'automated' ? [{ resourceId: `res-${id}`, resourceType: 'AWS::::Account', account: ACCOUNT, region: 'global', status, message: `${id} is ${status}`, evidence: [] }] : [];
  return {
    definition: { id, title, description: `Description of ${id}`, severity: 'medium', kind, responsibility: 'customer', mappings, evidence: [], params: {}, remediation: { text: 'fix it' }, tests: [], source: `controls/x/${id}.yaml` },
    status,
    results,
    params: {},
  };
}

/** A small estate: CIS 1.10 passes, 1.2 fails, 1.1 is a manual attestation, 2.1.1 errors; 1.9 has two controls. */
function outcomes(): ControlOutcome[] {
  return [
    outcome('mfa-users', 'automated', 'PASS', { 'well-architected': ['SEC02-BP01'], 'shared-responsibility': ['customer.iam'], 'cis-aws-3.0': ['1.10'] }),
    outcome('security-contact', 'automated', 'FAIL', { 'well-architected': ['SEC10-BP01'], 'shared-responsibility': ['customer.iam'], 'cis-aws-3.0': ['1.2'] }),
    outcome('manual-contact', 'manual', 'MANUAL', { 'well-architected': ['SEC10-BP01'], 'shared-responsibility': ['customer.iam'], 'cis-aws-3.0': ['1.1'] }, `contact ${XSS_SCRIPT}`),
    outcome('s3-tls', 'automated', 'ERROR', { 'well-architected': ['SEC09-BP02'], 'shared-responsibility': ['customer.data'], 'cis-aws-3.0': ['2.1.1'] }),
    outcome('reuse-a', 'automated', 'PASS', { 'well-architected': ['SEC02-BP01'], 'shared-responsibility': ['customer.iam'], 'cis-aws-3.0': ['1.9'] }),
    outcome('reuse-b', 'automated', 'FAIL', { 'well-architected': ['SEC02-BP01'], 'shared-responsibility': ['customer.iam'], 'cis-aws-3.0': ['1.9'] }),
    outcome('not-cis', 'automated', 'PASS', { 'well-architected': ['SEC08-BP02'], 'shared-responsibility': ['customer.data'] }),
  ];
}

describe('framework index: CIS AWS 3.0', () => {
  let frameworks: Frameworks;
  let definition: ReportDefinition;
  let results: ResultsDocument;

  beforeAll(async () => {
    frameworks = await loadFrameworks(join(DEFAULT_CONTROLS_DIR, 'frameworks'));
    definition = await loadReportDefinition('reports/cis-aws-3.0.yaml');
    results = buildResults(info, outcomes(), frameworks);
  });

  it('loads the CIS definition, and refuses a framework-index section without its framework', async () => {
    expect(definition).toMatchObject({ framework: 'cis-aws-3.0', controls: { mappedTo: ['cis-aws-3.0'] } });
    expect(definition.sections).toContain('framework-index');
    const dir = await mkdtemp(join(tmpdir(), 'auditpack-def-'));
    try {
      const path = join(dir, 'bad.yaml');
      await writeFile(path, 'id: bad\ntitle: Bad one\norganisation: X\nperiod: auto\nsections: [framework-index]\noutputs: [html]\n');
      await expect(loadReportDefinition(path)).rejects.toThrow(/framework/);
      await writeFile(path, 'id: bad\ntitle: Bad one\norganisation: X\nperiod: auto\nframework: nist\nsections: [framework-index]\noutputs: [html]\n');
      await expect(loadReportDefinition(path)).rejects.toThrow(/framework/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('orders dotted ids numerically', () => {
    expect(['1.10', '2.1.1', '1.2', '10.1', '1.1', '2.2.1', '1.9'].sort(compareRequirementIds)).toEqual(['1.1', '1.2', '1.9', '1.10', '2.1.1', '2.2.1', '10.1']);
  });

  it('lists every recommendation of the catalog once, in CIS order, with level and assessment from the catalog', () => {
    const view = buildReportView(results, manifest, 'd'.repeat(64), definition);
    const index = view.frameworkIndex!;
    const rows = index.groups.flatMap((g) => g.requirements);
    expect(rows.map((r) => r.id)).toEqual([...frameworks.cis.recommendations.keys()].sort(compareRequirementIds));
    expect(rows).toHaveLength(frameworks.cis.recommendations.size);
    for (const r of rows) {
      const rec = frameworks.cis.recommendations.get(r.id)!;
      expect([r.title, r.level, r.assessment], r.id).toEqual([rec.title, rec.level, rec.assessment]);
    }
    expect(rows.findIndex((r) => r.id === '1.9')).toBeLessThan(rows.findIndex((r) => r.id === '1.10'));
    expect(index.groups.map((g) => g.title)[0]).toBe('1 Identity and Access Management');
    expect(index.totals.byLevel.reduce((n, l) => n + l.count, 0)).toBe(frameworks.cis.recommendations.size);
    expect('assessedVersion' in index).toBe(false);
  });

  it('takes the worst status of the mapped controls, and NOT_COVERED where none maps', () => {
    const rows = new Map(buildReportView(results, manifest, 'd'.repeat(64), definition).frameworkIndex!.groups.flatMap((g) => g.requirements).map((r) => [r.id, r]));
    expect(rows.get('1.10')!.status).toBe('PASS');
    expect(rows.get('1.2')!.status).toBe('FAIL');
    expect(rows.get('1.1')!.status).toBe('MANUAL');
    expect(rows.get('2.1.1')!.status).toBe('ERROR');
    expect(rows.get('1.9')!).toMatchObject({ status: 'FAIL', controls: [{ id: 'reuse-a', status: 'PASS' }, { id: 'reuse-b', status: 'FAIL' }] });
    expect(rows.get('1.3')!).toMatchObject({ status: 'NOT_COVERED', controls: [] });
  });

  it('keeps control detail to CIS-mapped controls (controls.mappedTo)', () => {
    const view = buildReportView(results, manifest, 'd'.repeat(64), definition);
    expect(view.controls.map((c) => c.id)).not.toContain('not-cis');
    expect(view.controls.map((c) => c.id)).toContain('manual-contact');
  });

  it('shows a mapped id the reference lacks, and states a differing assessed version', () => {
    const reference = { ...loadFrameworkReference('cis-aws-3.0'), version: '9.9.9' };
    const odd = buildResults(info, [outcome('x', 'automated', 'PASS', { 'cis-aws-3.0': ['9.1'] })], frameworks);
    const index = frameworkIndexView(reference, odd.controls, '3.0.0');
    expect(index.assessedVersion).toBe('3.0.0');
    expect(index.groups.at(-1)).toMatchObject({ title: 'Other', requirements: [{ id: '9.1', status: 'PASS' }] });
  });

  it('renders the index in HTML: CIS order, levels, assessment, statuses, everything escaped', () => {
    const view = buildReportView(results, manifest, 'd'.repeat(64), definition);
    view.frameworkIndex!.groups[0]!.requirements[0]!.title = `hostile ${XSS_ATTRIBUTE}`;
    const html = renderHtml(view);
    expect(html).not.toContain(XSS_SCRIPT);
    expect(html).not.toContain(XSS_ATTRIBUTE);
    expect(html).toContain('hostile &quot;&gt;&lt;img');
    const rows = [...html.matchAll(/<tr class="fx-row" data-id="([^"]+)"><td><code class="fx-id">[^<]*<\/code><\/td><td>[^<]*<\/td><td class="fx-level">(L[12])<\/td><td class="fx-assessment">(Automated|Manual)<\/td><td><b class="s s-([A-Z_]+)">/g)].map((m) => [m[1], m[2], m[3], m[4]]);
    expect(rows.map((r) => r[0])).toEqual([...frameworks.cis.recommendations.keys()].sort(compareRequirementIds));
    const byId = new Map(rows.map((r) => [r[0], r]));
    expect(byId.get('1.1')).toEqual(['1.1', 'L1', 'Manual', 'MANUAL']);
    expect(byId.get('1.6')).toEqual(['1.6', 'L2', 'Automated', 'NOT_COVERED']);
    expect(byId.get('1.10')).toEqual(['1.10', 'L1', 'Automated', 'PASS']);
    expect(byId.get('2.1.1')).toEqual(['2.1.1', 'L2', 'Automated', 'ERROR']);
    expect(html).toContain('<a href="#framework-index">CIS AWS 3.0 index</a>');
    expect(html).toContain('not covered</span>');
  });

  describe('PDF (pdftotext)', () => {
    let dir: string;
    let text: string;
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'auditpack-cis-'));
      const view = buildReportView(results, manifest, 'd'.repeat(64), definition);
      await writeFile(join(dir, 'report.pdf'), await renderPdf(view));
      text = (await run('pdftotext', ['-layout', join(dir, 'report.pdf'), '-'], { maxBuffer: 32 * 1024 * 1024 })).stdout;
    }, 60_000);
    afterAll(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('lists the recommendations in CIS order with level, assessment and status', () => {
      const start = text.indexOf('CIS Amazon Web Services Foundations Benchmark v3.0.0: every recommendation');
      expect(start).toBeGreaterThan(0);
      const section = text.slice(start);
      const rows = [...section.matchAll(/^\s*(\d+(?:\.\d+)+)\s+.*?\s(L[12])\s+(Automated|Manual)\b.*?(PASS|FAIL|ERROR|MANUAL|NOT COVERED)\s*$/gm)].map((m) => [m[1], m[2], m[3], m[4]]);
      const ids = rows.map((r) => r[0]);
      expect(ids).toEqual([...frameworks.cis.recommendations.keys()].sort(compareRequirementIds));
      const byId = new Map(rows.map((r) => [r[0], r]));
      expect(byId.get('1.1')).toEqual(['1.1', 'L1', 'Manual', 'MANUAL']);
      expect(byId.get('1.2')).toEqual(['1.2', 'L1', 'Manual', 'FAIL']);
      expect(byId.get('1.10')).toEqual(['1.10', 'L1', 'Automated', 'PASS']);
      expect(byId.get('3.3')).toEqual(['3.3', 'L2', 'Automated', 'NOT COVERED']);
    });
  });

  describe('Well-Architected matrix: manual to automated', () => {
    it('states per best practice whether coverage is automated or manual only', () => {
      const quarterly: ReportDefinition = { ...definition, controls: { include: ['*'], exclude: [] }, sections: ['well-architected'] };
      const view = buildReportView(results, manifest, 'd'.repeat(64), quarterly);
      const bps = new Map(view.wellArchitected.questions.flatMap((q) => q.bestPractices).map((bp) => [bp.id, bp]));
      expect(bps.get('SEC10-BP01')!.automation).toBe('automated');
      expect(bps.get('SEC01-BP01')!.automation).toBe('not-covered');
      expect(view.wellArchitected.baseline).toBeUndefined();
      expect(view.wellArchitected.automation!.automated).toBe(4);
      const html = renderHtml(view);
      expect(html).toContain('Best practices by coverage: 4 automated, 0 manual only');
    });

    it('marks best practices newly automated since the previous pack, in HTML and PDF', async () => {
      // The previous run had only the manual control for SEC10-BP01: now an automated one covers it too.
      const before = buildResults({ ...info, id: 'run-old', startedAt: '2026-08-01T00:00:00.000Z' }, outcomes().filter((o) => o.definition.id !== 'security-contact'), frameworks);
      const quarterly: ReportDefinition = { ...definition, controls: { include: ['*'], exclude: [] }, sections: ['well-architected'] };
      const view = buildReportView(results, manifest, 'd'.repeat(64), quarterly, { trend: [], previousWellArchitected: waCoverageBaseline(before) });
      expect(view.wellArchitected.baseline).toMatchObject({ runId: 'run-old', newlyAutomated: [{ id: 'SEC10-BP01', before: 'manual-only', after: 'automated' }], noLongerAutomated: [] });
      const bp = view.wellArchitected.questions.flatMap((q) => q.bestPractices).find((b) => b.id === 'SEC10-BP01')!;
      expect(bp.previous).toEqual({ automation: 'manual-only', newlyAutomated: true });
      const html = renderHtml(view);
      expect(html).toMatch(/<td class="wa-cell c-FAIL wa-moved" title="SEC10-BP01 [^"]*">.*?newly automated<\/span><\/td>/);
      expect(html).toMatch(/<tr class="wa-newly"><td><code>SEC10-BP01<\/code><\/td><td>[^<]*<\/td><td>manual only<\/td><td>automated<\/td><\/tr>/);
      const dir = await mkdtemp(join(tmpdir(), 'auditpack-wa-'));
      try {
        await writeFile(join(dir, 'r.pdf'), await renderPdf(view));
        const text = (await run('pdftotext', ['-layout', join(dir, 'r.pdf'), '-'])).stdout;
        expect(text).toContain('Moved to automated coverage since run run-old');
        expect(text).toMatch(/SEC10-BP01\s+Identify key personnel and external resources\s+manual only\s+automated/);
        expect(text).toMatch(/SEC10-BP01\s+Identify key personnel and external resources\s+automated,[\s\S]{0,400}\(newly[\s\S]{0,200}automated; was[\s\S]{0,200}manual only\)/);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    }, 60_000);

    it('counts only the selected controls, now and in the baseline (controls.mappedTo)', () => {
      const view = buildReportView(results, manifest, 'd'.repeat(64), definition, { trend: [], previousWellArchitected: waCoverageBaseline(results) });
      const bp = view.wellArchitected.questions.flatMap((q) => q.bestPractices).find((b) => b.id === 'SEC08-BP02')!;
      expect(bp).toMatchObject({ automation: 'not-covered', previous: { automation: 'not-covered', newlyAutomated: false } });
    });

    it('with no change in automation, says that no best practice moved', () => {
      const quarterly: ReportDefinition = { ...definition, controls: { include: ['*'], exclude: [] }, sections: ['well-architected'] };
      const view = buildReportView(results, manifest, 'd'.repeat(64), quarterly, { trend: [], previousWellArchitected: waCoverageBaseline(results) });
      expect(view.wellArchitected.baseline).toMatchObject({ newlyAutomated: [], noLongerAutomated: [] });
      expect(renderHtml(view)).toContain('No best practice moved to automated coverage.');
    });
  });
});
