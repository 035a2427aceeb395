import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../src/core/json.js';
import type { ResourceResult, Status } from '../../../src/core/types.js';
import { buildAssessmentResults, OSCAL_FILE } from '../../../src/export/oscal/assessment-results.js';
import { AUDITPACK_NS } from '../../../src/export/oscal/props.js';
import type { OscalAssessmentResultsDocument, OscalFinding } from '../../../src/export/oscal/types.js';
import { oscalValidator } from '../../../src/export/oscal/validate.js';
import type { Manifest, ManifestFile } from '../../../src/locker/pack.js';
import type { ControlResult, ResultsDocument, Rollup } from '../../../src/results/types.js';
import { countStatuses } from '../../../src/score/score.js';

const ACCOUNT = '111122223333';
const RUN = '20250101T000000Z-abcdef';
const hash = (c: string) => c.repeat(64);
const FILES: Record<'buckets' | 'summary' | 'trails', ManifestFile> = {
  buckets: { path: `evidence/${ACCOUNT}/us-east-1/s3.buckets.json`, sha256: hash('a'), bytes: 100, collectedAt: '2025-01-01T00:00:05.000Z' },
  summary: { path: `evidence/${ACCOUNT}/global/iam.account-summary.json`, sha256: hash('b'), bytes: 200, collectedAt: '2025-01-01T00:00:03.000Z' },
  trails: { path: `evidence/${ACCOUNT}/us-east-1/cloudtrail.trails.json`, sha256: hash('c'), bytes: 300 },
};

function result(status: Status, overrides: Partial<ResourceResult> = {}): ResourceResult {
  return { resourceId: `arn:aws:s3:::bucket-${status.toLowerCase()}`, resourceType: 'AWS::S3::Bucket', account: ACCOUNT, region: 'us-east-1', status, message: `bucket is ${status}`, evidence: [`sha256:${FILES.buckets.sha256}`], ...overrides };
}

function control(id: string, status: Status, results: ResourceResult[], overrides: Partial<ControlResult> = {}): ControlResult {
  return {
    id,
    title: `Title of ${id}`,
    description: `Description of ${id}.`,
    severity: 'high',
    kind: 'automated',
    responsibility: 'customer',
    status,
    mappings: { 'well-architected': ['SEC08-BP02'], 'security-hub': ['S3.4'], 'cis-aws-3.0': ['2.1.1'], 'shared-responsibility': ['customer.data'] },
    params: {},
    remediation: { text: 'Fix it.', cli: 'aws s3api put-bucket-encryption --bucket <b>', url: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/' },
    source: `controls/s3/${id}.yaml`,
    evidence: ['s3.buckets'],
    counts: countStatuses(results.map((r) => r.status)),
    results,
    ...overrides,
  };
}

const rollup = (): Rollup => ({ byStatus: countStatuses([]), score: null });

function fixture(runId = RUN): { results: ResultsDocument; manifest: Manifest } {
  const controls: ControlResult[] = [
    control('s3-bucket-encryption', 'FAIL', [result('PASS'), result('FAIL', { message: 'bucket has\nno default encryption  ' })]),
    control('s3-bucket-versioning', 'PASS', [result('PASS')]),
    control('iam-root-mfa', 'ERROR', [result('ERROR', { resourceId: `AWS::::Account:${ACCOUNT}`, region: 'global', evidence: [`sha256:${FILES.summary.sha256}`] })], { evidence: ['iam.account-summary'] }),
    control('ir-plan-tested', 'MANUAL', [], { kind: 'manual', evidence: [] }),
    control('aws-physical-security', 'INHERITED', [], { kind: 'inherited', responsibility: 'aws', evidence: [], inherited: { source: 'AWS Artifact', reports: [{ name: 'SOC 2 Type II', period: '2024-04-01/2024-09-30', sha256: hash('d') }] } }),
    control('s3-public-access', 'WAIVED', [
      result('WAIVED', { originalStatus: 'FAIL', waiver: { id: 'public-site', justification: 'Static website bucket, public by design.', approver: 'CISO', expires: '2025-06-30' } }),
    ]),
    control('cloudtrail-multi-region', 'NOT_APPLICABLE', [], { evidence: ['cloudtrail.trails'] }),
  ];
  const run = { id: runId, startedAt: '2025-01-01T00:00:00.000Z', finishedAt: '2025-01-01T00:01:00.000Z', tool: { name: 'auditpack' as const, version: '0.1.0' }, accounts: [ACCOUNT], regions: ['us-east-1'] };
  const results: ResultsDocument = {
    schemaVersion: '1',
    run: { ...run, catalog: { digest: 'sha256:' + hash('e'), frameworks: { 'well-architected': '2024-06-27' } } },
    summary: {
      ...rollup(),
      score: 72,
      resultsByStatus: countStatuses([]),
      bySeverity: { critical: rollup(), high: rollup(), medium: rollup(), low: rollup(), informational: rollup() },
      byResponsibility: { customer: rollup(), shared: rollup(), aws: rollup() },
      wellArchitected: { version: '2024-06-27', formerVersion: '2023-10-03', retiredIds: [], questions: [] },
      sharedResponsibility: { version: '1', items: [] },
      frameworks: { 'security-hub': { version: '1', requirements: [] }, 'cis-aws-3.0': { version: '3.0.0', requirements: [] } },
      waivers: [],
      attestations: [],
    },
    controls,
  };
  const manifest: Manifest = {
    schemaVersion: '1',
    tool: run.tool,
    run,
    catalog: { digest: results.run.catalog.digest },
    files: [{ path: 'results.json', sha256: hash('f'), bytes: 10 }, { path: 'run.json', sha256: hash('1'), bytes: 10 }, ...Object.values(FILES)],
  };
  return { results, manifest };
}

function build(runId = RUN): OscalAssessmentResultsDocument {
  const { results, manifest } = fixture(runId);
  return buildAssessmentResults(results, manifest);
}

function finding(doc: OscalAssessmentResultsDocument, id: string): OscalFinding {
  const f = doc['assessment-results'].results[0]?.findings?.find((x) => x.target['target-id'] === id);
  if (!f) throw new Error(`no finding for ${id}`);
  return f;
}

function expectValid(doc: unknown): void {
  const validate = oscalValidator();
  const ok = validate(doc);
  expect(ok, JSON.stringify(validate.errors?.slice(0, 5), null, 2)).toBe(true);
}

describe('OSCAL assessment-results export', () => {
  it('names the pack file', () => {
    expect(OSCAL_FILE).toBe('assessment-results.oscal.json');
  });

  it('is valid against NIST\'s OSCAL 1.0.4 assessment-results schema', () => {
    const doc = build();
    expectValid(doc);
    const ar = doc['assessment-results'];
    expect(ar.metadata['oscal-version']).toBe('1.0.4');
    expect(ar.metadata['last-modified']).toBe('2025-01-01T00:01:00.000Z');
    expect(ar.metadata.version).toBe('0.1.0');
    expect(ar.results[0]?.start).toBe('2025-01-01T00:00:00.000Z');
    expect(ar.results[0]?.end).toBe('2025-01-01T00:01:00.000Z');
  });

  it('imports the assessment plan from a back-matter stub inside the document', () => {
    const ar = build()['assessment-results'];
    const ref = ar['import-ap'].href;
    expect(ref).toMatch(/^#/);
    expect(ar['back-matter']?.resources.some((r) => `#${r.uuid}` === ref)).toBe(true);
  });

  it('is deterministic: same input, same bytes; another run, other UUIDs', () => {
    expect(canonicalJson(build())).toBe(canonicalJson(build()));
    const a = build()['assessment-results'];
    const b = build('20250401T000000Z-123456')['assessment-results'];
    expect(a.uuid).not.toBe(b.uuid);
    expect(a.results[0]?.uuid).not.toBe(b.results[0]?.uuid);
  });

  it('gives every object a distinct UUID and every reference resolves', () => {
    const text = canonicalJson(build());
    const doc = JSON.parse(text) as OscalAssessmentResultsDocument;
    const ar = doc['assessment-results'];
    const r = ar.results[0];
    const defined = [ar.uuid, r?.uuid, ...(r?.observations ?? []).map((o) => o.uuid), ...(r?.findings ?? []).map((f) => f.uuid), ...(ar['back-matter']?.resources ?? []).map((x) => x.uuid)];
    expect(new Set(defined).size).toBe(defined.length);
    const observations = new Set((r?.observations ?? []).map((o) => o.uuid));
    for (const f of r?.findings ?? []) for (const ro of f['related-observations'] ?? []) expect(observations.has(ro['observation-uuid'])).toBe(true);
    const resources = new Set((ar['back-matter']?.resources ?? []).map((x) => `#${x.uuid}`));
    for (const o of r?.observations ?? []) for (const e of o['relevant-evidence'] ?? []) for (const l of e.links ?? []) expect(resources.has(l.href)).toBe(true);
  });

  it('has one observation per evidence file carrying its path and SHA-256', () => {
    const ar = build()['assessment-results'];
    const observations = ar.results[0]?.observations ?? [];
    expect(observations).toHaveLength(Object.keys(FILES).length);
    for (const file of Object.values(FILES)) {
      const o = observations.find((x) => x['relevant-evidence']?.[0]?.href === file.path);
      expect(o, file.path).toBeDefined();
      expect(o?.['relevant-evidence']?.[0]?.props).toContainEqual({ name: 'sha256', ns: AUDITPACK_NS, value: file.sha256 });
      expect(o?.methods).toEqual(['TEST']);
      expect(o?.collected).toBe(file.collectedAt ?? '2025-01-01T00:00:00.000Z');
      const resource = ar['back-matter']?.resources.find((x) => x.rlinks?.[0]?.href === file.path);
      expect(resource?.rlinks?.[0]?.hashes).toEqual([{ algorithm: 'SHA-256', value: file.sha256 }]);
    }
    // Pack files that are not evidence (results.json, run.json) are not observations.
    expect(observations.some((o) => o['relevant-evidence']?.[0]?.href === 'results.json')).toBe(false);
  });

  it('maps each control to one finding targeting its id, and reviews exactly those controls', () => {
    const { results } = fixture();
    const doc = build();
    const r = doc['assessment-results'].results[0];
    const ids = results.controls.map((c) => c.id);
    expect(r?.findings?.map((f) => f.target['target-id'])).toEqual(ids);
    for (const f of r?.findings ?? []) expect(f.target.type).toBe('objective-id');
    expect(r?.['reviewed-controls']['control-selections'][0]?.['include-controls']?.map((c) => c['control-id'])).toEqual(ids);
  });

  it('never shows FAIL, ERROR, MANUAL or WAIVED as satisfied', () => {
    const doc = build();
    const state = (id: string) => finding(doc, id).target.status.state;
    expect(state('s3-bucket-encryption')).toBe('not-satisfied');
    expect(finding(doc, 's3-bucket-encryption').target.status.reason).toBe('fail');
    expect(state('iam-root-mfa')).toBe('not-satisfied');
    expect(state('ir-plan-tested')).toBe('not-satisfied');
    expect(state('s3-public-access')).toBe('not-satisfied');
    expect(finding(doc, 'iam-root-mfa').target.status.remarks).toMatch(/^ERROR/);
    expect(finding(doc, 'ir-plan-tested').target.status.remarks).toMatch(/^MANUAL/);
    expect(state('s3-bucket-versioning')).toBe('satisfied');
    expect(state('cloudtrail-multi-region')).toBe('satisfied');
    expect(finding(doc, 'cloudtrail-multi-region').target['implementation-status']).toEqual({ state: 'not-applicable' });
    expect(finding(doc, 'aws-physical-security').target.status.remarks).toContain('SOC 2 Type II');
  });

  it('carries our status, severity and framework ids as props, and lists failing resources', () => {
    const f = finding(build(), 's3-bucket-encryption');
    const value = (name: string) => f.props?.filter((p) => p.name === name).map((p) => p.value);
    expect(value('status')).toEqual(['FAIL']);
    expect(value('severity')).toEqual(['high']);
    expect(value('well-architected')).toEqual(['SEC08-BP02']);
    expect(value('security-hub')).toEqual(['S3.4']);
    expect(value('cis-aws-3.0')).toEqual(['2.1.1']);
    expect(f.props?.filter((p) => p.name === 'result-count')).toEqual([
      { name: 'result-count', ns: AUDITPACK_NS, value: '1', class: 'PASS' },
      { name: 'result-count', ns: AUDITPACK_NS, value: '1', class: 'FAIL' },
    ]);
    expect(f.description).toContain('- FAIL arn:aws:s3:::bucket-fail (account 111122223333, us-east-1): bucket has no default encryption');
    expect(f.description).not.toContain('bucket-pass');
    expect(f.remarks).toContain('Remediation: Fix it.');
  });

  it('links each finding to the observations of the evidence it used', () => {
    const doc = build();
    const observations = doc['assessment-results'].results[0]?.observations ?? [];
    const uuidOf = (path: string) => observations.find((o) => o['relevant-evidence']?.[0]?.href === path)?.uuid;
    const related = (id: string) => (finding(doc, id)['related-observations'] ?? []).map((r) => r['observation-uuid']);
    expect(related('s3-bucket-encryption')).toEqual([uuidOf(FILES.buckets.path)]);
    expect(related('iam-root-mfa')).toEqual([uuidOf(FILES.summary.path)]);
    // No resource in scope: the evidence that shows it is still linked.
    expect(related('cloudtrail-multi-region')).toEqual([uuidOf(FILES.trails.path)]);
    expect(finding(doc, 'ir-plan-tested')['related-observations']).toBeUndefined();
  });

  it('accepts extra observations (attestations) and links them to their controls', () => {
    const { results, manifest } = fixture();
    const attestation = `evidence/attestations/ir-plan-tested.pdf`;
    manifest.files.push({ path: attestation, sha256: hash('9'), bytes: 5000 });
    const observation = {
      uuid: '0f8fad5b-d9cb-469f-a165-70867728950e',
      title: 'Attestation: incident response plan tested',
      description: 'Jane Doe attests the plan was tested in a game day.',
      methods: ['EXAMINE'],
      collected: '2024-12-15T00:00:00Z',
      'relevant-evidence': [{ href: attestation, description: 'Signed game-day report' }],
    };
    const doc = buildAssessmentResults(results, manifest, { extraObservations: [{ observation, controls: ['ir-plan-tested'], paths: [attestation] }] });
    expectValid(doc);
    const observations = doc['assessment-results'].results[0]?.observations ?? [];
    expect(observations.filter((o) => o['relevant-evidence']?.some((e) => e.href === attestation))).toEqual([observation]);
    expect(finding(doc, 'ir-plan-tested')['related-observations']).toEqual([{ 'observation-uuid': observation.uuid }]);
  });

  it('does not change when the manifest also lists the OSCAL file itself', () => {
    const { results, manifest } = fixture();
    const before = canonicalJson(buildAssessmentResults(results, manifest));
    manifest.files.push({ path: OSCAL_FILE, sha256: hash('7'), bytes: 1234 });
    expect(canonicalJson(buildAssessmentResults(results, manifest))).toBe(before);
  });

  it('keeps the original status and the waiver of a waived result', () => {
    expect(finding(build(), 's3-public-access').description).toContain('[waived FAIL under waiver public-site, approved by CISO, expires 2025-06-30: Static website bucket, public by design.]');
  });

  it('turns attestations in results.json into EXAMINE observations; only a valid one supports its control', () => {
    const { results, manifest } = fixture();
    const record = 'attestations/ir-plan-tested/20241215T000000Z-ab12cd34.yaml';
    const document = 'attestations/ir-plan-tested/game-day-report.pdf';
    manifest.files.push({ path: record, sha256: hash('5'), bytes: 400 }, { path: document, sha256: hash('6'), bytes: 9000 });
    const base = { control: 'ir-plan-tested', by: 'Jane Doe', attestedAt: '2024-12-15T10:00:00Z', expires: '2025-12-15', result: 'PASS' as const, document: { name: 'game-day-report.pdf', sha256: hash('6') } };
    results.summary.attestations = [
      { ...base, file: record, state: 'valid' },
      { ...base, file: 'attestations/ir-plan-tested/20231215T000000Z-00000000.yaml', attestedAt: '2023-12-15', expires: '2024-12-15', state: 'expired' },
    ];
    const doc = buildAssessmentResults(results, manifest);
    expectValid(doc);
    const observations = doc['assessment-results'].results[0]?.observations ?? [];
    const attested = observations.filter((o) => o.methods.includes('EXAMINE'));
    expect(attested).toHaveLength(2);
    const valid = attested.find((o) => o.props?.some((p) => p.name === 'attestation-state' && p.value === 'valid'));
    expect(valid?.['relevant-evidence']?.map((e) => [e.href, e.props?.[0]?.value])).toEqual([
      [record, hash('5')],
      [document, hash('6')],
    ]);
    expect(valid?.expires).toBe('2025-12-15T00:00:00Z');
    expect(finding(doc, 'ir-plan-tested')['related-observations']).toEqual([{ 'observation-uuid': valid?.uuid }]);
  });

  it('rejects a control id that is not an OSCAL token', () => {
    const { results, manifest } = fixture();
    results.controls.push(control('9 bad id', 'PASS', []));
    expect(() => buildAssessmentResults(results, manifest)).toThrow(/not an OSCAL token/);
  });

  it('uses a validator that actually rejects invalid documents', () => {
    const doc = build();
    const broken = JSON.parse(canonicalJson(doc)) as OscalAssessmentResultsDocument;
    broken['assessment-results'].uuid = 'not-a-uuid';
    expect(oscalValidator()(broken)).toBe(false);
    const noState = JSON.parse(canonicalJson(doc)) as { 'assessment-results': { results: { findings: { target: { status: { state: string } } }[] }[] } };
    const first = noState['assessment-results'].results[0]?.findings[0];
    if (first) first.target.status.state = 'passed';
    expect(oscalValidator()(noState)).toBe(false);
  });
});
