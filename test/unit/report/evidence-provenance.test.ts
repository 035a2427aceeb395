import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadFrameworks, type Frameworks } from '../../../src/catalog/frameworks.js';
import { DEFAULT_CONTROLS_DIR } from '../../../src/core/defaults.js';
import { schemaValidator } from '../../../src/core/schema.js';
import type { ControlDefinition } from '../../../src/core/types.js';
import type { ControlOutcome } from '../../../src/evaluate/evaluate.js';
import type { Manifest } from '../../../src/locker/pack.js';
import { buildReportView } from '../../../src/report/build-view.js';
import { CSV_COLUMNS, renderCsv } from '../../../src/report/csv.js';
import { loadReportDefinition, type ReportDefinition } from '../../../src/report/definition.js';
import { evidenceProvenanceView, formatAge } from '../../../src/report/evidence-age.js';
import { renderHtml } from '../../../src/report/html.js';
import { renderPdf } from '../../../src/report/pdf/render.js';
import type { ReportView } from '../../../src/report/view-model.js';
import { buildResults } from '../../../src/results/build.js';
import type { ControlResult, ResultsDocument, RunInfo } from '../../../src/results/types.js';
import { XSS_SCRIPT, sampleView } from '../../fixtures/report/views.js';

const ACCOUNT = '111111111111';
const MIXED = 'Evidence source: AWS Config + live API · oldest evidence 3 h 12 min old (captured 2026-11-23 15:34:21 UTC).';
const LIVE = 'Evidence source: live API · oldest evidence under 1 min old (captured 2026-11-23 18:46:33 UTC).';
const NOT_RECORDED = 'Evidence source and age: not recorded in these results (written before auditpack recorded them).';

/** A minimal automated control result, with the provenance fields given. */
function controlResult(fields: Partial<ControlResult> = {}): ControlResult {
  return {
    id: 'x',
    title: 'X',
    description: 'X.',
    severity: 'high',
    kind: 'automated',
    responsibility: 'customer',
    status: 'PASS',
    mappings: {},
    params: {},
    remediation: { text: 'Fix.' },
    source: 'controls/x.yaml',
    evidence: [],
    counts: { PASS: 0, FAIL: 0, ERROR: 0, NOT_APPLICABLE: 0, MANUAL: 0, INHERITED: 0, WAIVED: 0 },
    results: [],
    ...fields,
  };
}

describe('formatAge', () => {
  it('states whole units with fixed wording', () => {
    expect([0, 59, 60, 3599, 3600, 11_553, 86_400, 187_200, 90_000].map(formatAge)).toEqual([
      'under 1 min',
      'under 1 min',
      '1 min',
      '59 min',
      '1 h',
      '3 h 12 min',
      '1 d',
      '2 d 4 h',
      '1 d 1 h',
    ]);
  });

  it('is undefined for anything that is not an age', () => {
    for (const v of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, '60', null, undefined, 2 ** 60]) expect(formatAge(v)).toBeUndefined();
  });
});

describe('evidenceProvenanceView', () => {
  it('states the sources, the age and the capture time of the oldest evidence', () => {
    expect(evidenceProvenanceView(controlResult({ evidenceSources: ['api', 'config'], oldestEvidence: '2026-11-23T15:34:21.000Z', evidenceAgeSeconds: 11_532 }))).toEqual({
      sources: ['api', 'config'],
      mixed: true,
      recorded: true,
      oldest: '2026-11-23 15:34:21 UTC',
      oldestAt: '2026-11-23T15:34:21.000Z',
      age: '3 h 12 min',
      ageSeconds: 11_532,
      text: MIXED,
    });
    expect(evidenceProvenanceView(controlResult({ evidenceSources: ['api'], oldestEvidence: '2026-11-23T18:46:33.000Z', evidenceAgeSeconds: 4 }))?.text).toBe(LIVE);
    expect(evidenceProvenanceView(controlResult({ evidenceSources: ['config'], oldestEvidence: '2026-11-23T18:46:33.000Z', evidenceAgeSeconds: 4 }))?.text).toMatch(/^Evidence source: AWS Config ·/);
  });

  it('says when no resource was judged, when provenance was unreadable, and when the age is unknown', () => {
    expect(evidenceProvenanceView(controlResult({ evidenceSources: [] }))?.text).toBe('Evidence source: none (no resource judged).');
    expect(evidenceProvenanceView(controlResult({ evidenceSources: ['api'], oldestEvidence: '2026-11-23T18:46:33.000Z', evidenceAgeSeconds: 0, unreadableProvenance: 2 }))?.text).toBe(
      'Evidence source: live API · oldest evidence under 1 min old (captured 2026-11-23 18:46:33 UTC) · provenance of 2 resources unreadable: counted as live API, true age unknown.',
    );
    expect(evidenceProvenanceView(controlResult({ evidenceSources: ['api'] }))?.text).toBe('Evidence source: live API · oldest evidence: unknown.');
    expect(evidenceProvenanceView(controlResult({ evidenceSources: ['api'], oldestEvidence: '2026-11-23T18:46:33.000Z' }))?.text).toBe(
      'Evidence source: live API · oldest evidence of unknown age (captured 2026-11-23 18:46:33 UTC).',
    );
  });

  it('shows hostile values as unknown, never as given', () => {
    const hostile = controlResult({ evidenceSources: ['api', XSS_SCRIPT] as never, oldestEvidence: XSS_SCRIPT, evidenceAgeSeconds: -5 });
    const view = evidenceProvenanceView(hostile);
    expect(view?.text).toBe('Evidence source: live API + unknown · oldest evidence: unknown.');
    expect(view?.oldestAt).toBeUndefined();
    expect(view?.ageSeconds).toBeUndefined();
  });

  it('says "not recorded" for older results, and nothing for manual and inherited controls', () => {
    expect(evidenceProvenanceView(controlResult())).toEqual({ sources: [], mixed: false, recorded: false, text: NOT_RECORDED });
    expect(evidenceProvenanceView(controlResult({ kind: 'manual' }))).toBeUndefined();
    expect(evidenceProvenanceView(controlResult({ kind: 'inherited' }))).toBeUndefined();
  });
});

describe('results.json → report view', () => {
  let frameworks: Frameworks;
  let definition: ReportDefinition;
  const info: RunInfo = {
    id: 'run-1',
    startedAt: '2026-11-23T18:46:30.000Z',
    finishedAt: '2026-11-23T18:46:37.000Z',
    tool: { name: 'auditpack', version: '0.0.0' },
    accounts: [ACCOUNT],
    regions: ['us-east-1'],
    catalog: { digest: `sha256:${'a'.repeat(64)}`, frameworks: {} },
  };
  const manifest: Manifest = { schemaVersion: '1', tool: info.tool, run: { ...info }, files: [] };

  beforeAll(async () => {
    frameworks = await loadFrameworks(join(DEFAULT_CONTROLS_DIR, 'frameworks'));
    definition = await loadReportDefinition();
  });

  function document(): ResultsDocument {
    const control = (id: string): ControlDefinition => ({
      id,
      title: `Title of ${id}`,
      description: 'Checks things.',
      severity: 'high',
      kind: 'automated',
      responsibility: 'customer',
      mappings: {},
      evidence: ['s3.buckets'],
      params: {},
      remediation: { text: 'Fix.' },
      tests: [],
      source: `controls/s3/${id}.yaml`,
    });
    const result = { resourceId: 'arn:aws:s3:::b', resourceType: 'AWS::S3::Bucket', account: ACCOUNT, region: 'us-east-1', status: 'PASS' as const, message: 'ok', evidence: [] };
    const outcomes: ControlOutcome[] = [
      { definition: control('s3-live'), status: 'PASS', results: [result], params: {}, provenance: { sources: ['api'], oldest: '2026-11-23T18:46:33.000Z', ageSeconds: 4, unreadable: 0 } },
      { definition: control('s3-mixed'), status: 'PASS', results: [result], params: {}, provenance: { sources: ['api', 'config'], oldest: '2026-11-23T15:34:21.000Z', ageSeconds: 11_532, unreadable: 1 } },
      { definition: control('s3-none'), status: 'NOT_APPLICABLE', results: [], params: {}, provenance: { sources: [], unreadable: 0 } },
    ];
    return buildResults(info, outcomes, frameworks);
  }

  it('writes the fields per control, valid against the schema', () => {
    const doc = document();
    const validate = schemaValidator('results.schema.json');
    expect(validate(JSON.parse(JSON.stringify(doc))), JSON.stringify(validate.errors)).toBe(true);
    expect(doc.controls.map((c) => [c.evidenceSources, c.oldestEvidence, c.evidenceAgeSeconds, c.unreadableProvenance])).toEqual(
      expect.arrayContaining([
        [['api'], '2026-11-23T18:46:33.000Z', 4, undefined],
        [['api', 'config'], '2026-11-23T15:34:21.000Z', 11_532, 1],
        [[], undefined, undefined, undefined],
      ]),
    );
  });

  it('refuses values outside the contract', () => {
    const validate = schemaValidator('results.schema.json');
    for (const bad of [{ evidenceSources: ['ftp'] }, { oldestEvidence: 'yesterday' }, { evidenceAgeSeconds: -1 }, { unreadableProvenance: 0 }]) {
      const doc = JSON.parse(JSON.stringify(document())) as ResultsDocument;
      Object.assign(doc.controls[0]!, bad);
      expect({ bad, valid: validate(doc) }).toEqual({ bad, valid: false });
    }
  });

  it('an older document without the fields still validates and renders, saying they were not recorded', async () => {
    const doc = JSON.parse(JSON.stringify(document())) as ResultsDocument;
    for (const c of doc.controls) {
      delete c.evidenceSources;
      delete c.oldestEvidence;
      delete c.evidenceAgeSeconds;
      delete c.unreadableProvenance;
    }
    expect(schemaValidator('results.schema.json')(doc)).toBe(true);
    const view = buildReportView(doc, manifest, 'd'.repeat(64), definition);
    const automated = view.controls.filter((c) => c.kind === 'automated');
    expect(automated.length).toBeGreaterThan(0);
    for (const c of automated) expect(c.evidenceProvenance?.text).toBe(NOT_RECORDED);
    expect(renderHtml(view)).toContain(NOT_RECORDED);
    expect((await renderPdf(view)).subarray(0, 8).toString('latin1')).toBe('%PDF-1.7');
    const csv = renderCsv(view);
    expect(csv.split('\r\n')[1]).toMatch(/,"","",""$/);
  });

  it('puts the statement on each automated control of the view', () => {
    const view = buildReportView(document(), manifest, 'd'.repeat(64), definition);
    const texts = view.controls.map((c) => c.evidenceProvenance?.text).filter((t) => t !== undefined && t !== NOT_RECORDED);
    expect(texts).toEqual(expect.arrayContaining([LIVE, 'Evidence source: none (no resource judged).']));
    expect(texts.some((t) => t?.startsWith('Evidence source: AWS Config + live API · oldest evidence 3 h 12 min old') && t.includes('provenance of 1 resource unreadable'))).toBe(true);
  });
});

/** The sample view: its first control mixed (with a hostile capture text), its second live only, the rest as they were. */
function viewWithProvenance(): ReportView {
  const view = sampleView();
  const [mixed, live] = view.controls;
  mixed!.evidenceProvenance = { ...evidenceProvenanceView(controlResult({ evidenceSources: ['api', 'config'], oldestEvidence: '2026-11-23T15:34:21.000Z', evidenceAgeSeconds: 11_532 }))!, sources: ['api', 'config', XSS_SCRIPT] };
  mixed!.evidenceProvenance.text = `${MIXED} ${XSS_SCRIPT}`;
  live!.evidenceProvenance = evidenceProvenanceView(controlResult({ evidenceSources: ['api'], oldestEvidence: '2026-11-23T18:46:33.000Z', evidenceAgeSeconds: 4 }))!;
  return view;
}

describe('HTML report: evidence source and age per control', () => {
  const html = renderHtml(viewWithProvenance());
  const article = (id: string): string => {
    const start = html.indexOf(`<article id="control-${id}"`);
    return html.slice(start, html.indexOf('</article>', start));
  };

  it('shows a mixed control and a live-only one in their detail, escaped', () => {
    expect(article('s3-bucket-default-encryption')).toContain(
      `<p class="provenance mixed" data-sources="api config &lt;script&gt;window.__pwned&#x3D;1&lt;/script&gt;">${MIXED} &lt;script&gt;window.__pwned&#x3D;1&lt;/script&gt;</p>`,
    );
    expect(article('iam-root-mfa')).toContain(`<p class="provenance" data-sources="api">${LIVE}</p>`);
    expect(html).not.toContain(XSS_SCRIPT);
  });

  it('shows nothing for manual and inherited controls, or a view without it', () => {
    expect(article('manual-threat-model')).not.toContain('class="provenance');
    expect(renderHtml(sampleView())).not.toContain('class="provenance');
  });
});

describe('PDF report: evidence source and age per control', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'auditpack-provenance-pdf-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('states it in the control detail of a mixed and of a live-only control', async () => {
    const path = join(dir, 'report.pdf');
    await writeFile(path, await renderPdf(viewWithProvenance()));
    const { stdout } = await promisify(execFile)('pdftotext', [path, '-'], { timeout: 30_000 });
    const text = stdout.replace(/\s+/g, ' ');
    const detail = text.slice(text.lastIndexOf('S3 buckets are encrypted at rest'));
    expect(detail).toContain('Evidence source: AWS Config + live API · oldest evidence 3 h 12 min old (captured 2026-11-23 15:34:21 UTC).');
    expect(detail).toContain('<script>window.__pwned=1</script>');
    expect(text.slice(text.lastIndexOf('Root user has MFA enabled'))).toContain(LIVE);
  });
});

describe('CSV: evidence columns', () => {
  const rows = renderCsv(viewWithProvenance()).split('\r\n');
  const cells = (row: string | undefined): string[] => (row ?? '').slice(1, -1).split('","');

  it('ends with the control’s sources, oldest evidence and age in seconds', () => {
    expect(CSV_COLUMNS.slice(-3)).toEqual(['evidence_sources', 'oldest_evidence', 'evidence_age_seconds']);
    const mixed = rows.find((r) => r.startsWith('"s3-bucket-default-encryption"'));
    expect(cells(mixed).slice(-3)).toEqual([`api; config; ${XSS_SCRIPT}`, '2026-11-23T15:34:21.000Z', '11532']);
    const live = rows.find((r) => r.startsWith('"iam-root-mfa"'));
    expect(cells(live).slice(-3)).toEqual(['api', '2026-11-23T18:46:33.000Z', '4']);
    const manual = rows.find((r) => r.startsWith('"manual-threat-model"'));
    expect(cells(manual).slice(-3)).toEqual(['', '', '']);
  });
});
