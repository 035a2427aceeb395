import { STATUSES, type Severity, type Status } from '../../core/types.js';
import type { ControlView, EvidenceFileView, ReportView, StatusCount } from '../view-model.js';

/**
 * A synthetic, deterministic report view for tests and render benchmarks: `controls` automated controls with
 * `resultsPerControl` results each (every `failEvery`-th failing), one manual and one inherited control, and
 * resource names that contain markup, quotes and characters outside the PDF fonts' encoding.
 */
export function sampleReportView(options: { controls?: number; resultsPerControl?: number; failEvery?: number } = {}): ReportView {
  const controlCount = options.controls ?? 3;
  const perControl = options.resultsPerControl ?? 4;
  const failEvery = options.failEvery ?? 3;
  const severities: Severity[] = ['critical', 'high', 'medium', 'low'];
  const files: EvidenceFileView[] = Array.from({ length: 4 }, (_, i) => ({
    path: `evidence/123456789012/eu-west-1/s3.buckets-${i}.json`,
    sha256: String(i).repeat(64).slice(0, 64).replace(/./g, (c, j) => '0123456789abcdef'[(Number(c) + j) % 16] ?? '0'),
    bytes: 1000 + i,
    collectedAt: '2026-11-23T18:46:33.000Z',
    account: '123456789012',
    region: 'eu-west-1',
    collector: `s3.buckets-${i}`,
  }));
  const zero = (): Record<Status, number> => Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<Status, number>;
  const automated: ControlView[] = Array.from({ length: controlCount }, (_, c) => {
    const counts = zero();
    const results = Array.from({ length: perControl }, (_, r) => {
      const status: Status = r % failEvery === 0 ? 'FAIL' : 'PASS';
      counts[status]++;
      const name = r === 1 ? '<script>alert("x")</script> ☃ bucket\u0007' : `bucket-${c}-${r}`;
      return {
        resourceId: `arn:aws:s3:::${name}`,
        resourceType: 'AWS::S3::Bucket',
        account: '123456789012',
        region: 'eu-west-1',
        status,
        message: status === 'PASS' ? `bucket ${name} encrypts with aws:kms` : `bucket ${name} has no default encryption with an AWS KMS key`,
        evidence: [r % files.length],
      };
    });
    return {
      id: `s3-encryption-${String(c).padStart(3, '0')}`,
      title: `S3 buckets are encrypted with KMS keys (${c})`,
      description: 'Every S3 bucket has default encryption with an AWS KMS key.',
      rationale: 'Customer-managed keys let you audit and revoke access to the data.',
      severity: severities[c % severities.length] ?? 'medium',
      kind: 'automated',
      responsibility: 'customer',
      status: counts.FAIL ? 'FAIL' : 'PASS',
      mappings: [
        { framework: 'well-architected', label: 'Well-Architected', ids: ['SEC08-BP02'] },
        { framework: 'security-hub', label: 'Security Hub', ids: ['S3.17'] },
      ],
      params: [{ name: 'allowedAlgorithms', value: '["aws:kms"]' }],
      remediation: { text: 'Enable default encryption with a KMS key.', cli: 'aws s3api put-bucket-encryption --bucket <bucket> --server-side-encryption-configuration file://sse.json', url: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/default-bucket-encryption.html' },
      counts,
      results,
      evidenceFiles: files,
    };
  });
  const manual: ControlView = {
    id: 'manual-threat-model', title: 'Workloads have a current threat model', description: 'A threat model is reviewed each quarter.', severity: 'medium', kind: 'manual', responsibility: 'customer', status: 'MANUAL',
    mappings: [{ framework: 'well-architected', label: 'Well-Architected', ids: ['SEC01-BP07'] }], params: [], remediation: { text: 'Attest the review with `auditpack attest`.' }, counts: zero(), results: [], evidenceFiles: [],
  };
  const inherited: ControlView = {
    id: 'inherited-physical-security', title: 'Physical security of data centres', description: 'Operated by AWS.', severity: 'informational', kind: 'inherited', responsibility: 'aws', status: 'INHERITED',
    mappings: [], params: [], remediation: { text: 'Keep the AWS SOC 2 report.' }, inherited: { source: 'AWS Artifact', reports: [{ name: 'SOC 2 Type II', period: '2026-H1' }] }, counts: zero(), results: [], evidenceFiles: [],
  };
  const controls = [...automated, manual, inherited];
  const tally = (statuses: Status[]): StatusCount[] => {
    const counts = zero();
    for (const s of statuses) counts[s]++;
    return STATUSES.filter((s) => counts[s] > 0).map((status) => ({ status, count: counts[status], share: counts[status] / statuses.length }));
  };
  const allResults = controls.flatMap((c) => c.results.map((r) => r.status));
  return {
    meta: {
      title: 'Quarterly AWS Security Audit', organisation: 'Example Corp', period: { from: '2026-10-01', to: '2026-12-31' }, runId: '20261123T184632Z-abcdef',
      startedAt: '2026-11-23T18:46:32.239Z', finishedAt: '2026-11-23T18:46:37.226Z', accounts: ['123456789012'], regions: ['eu-west-1'], toolName: 'auditpack', toolVersion: '0.1.0',
      catalogDigest: `sha256:${'c'.repeat(64)}`, frameworkVersions: { 'well-architected': '2024-11-06' }, manifestSha256: 'a'.repeat(64), definitionId: 'quarterly-audit', frameworks: ['well-architected', 'security-hub'],
    },
    sections: ['cover', 'summary', 'well-architected', 'shared-responsibility', 'controls', 'register', 'appendix'],
    summary: {
      score: 42.5,
      controlCounts: tally(controls.map((c) => c.status)),
      resultCounts: tally(allResults),
      totalControls: controls.length,
      totalResults: allResults.length,
      bySeverity: (['critical', 'high', 'medium', 'low', 'informational'] as const).map((severity) => {
        const counts = zero();
        for (const c of controls.filter((x) => x.severity === severity)) counts[c.status]++;
        return { severity, counts, score: counts.FAIL ? 25 : null, failing: counts.FAIL };
      }),
      topRisks: automated.filter((c) => c.status === 'FAIL').map((c) => ({ id: c.id, title: c.title, severity: c.severity, status: c.status, failing: c.counts.FAIL, total: c.results.length })),
    },
    wellArchitected: {
      version: '2024-11-06',
      questions: [
        { id: 'SEC01', title: 'How do you securely operate your workload?', status: 'MANUAL', score: null, bestPractices: [{ id: 'SEC01-BP07', title: 'Identify threats', status: 'MANUAL', coverage: ['manual'], controls: ['manual-threat-model'] }, { id: 'SEC01-BP01', title: 'Separate workloads using accounts', status: 'NOT_COVERED', coverage: [], controls: [] }] },
        { id: 'SEC08', title: 'How do you protect your data at rest?', status: 'FAIL', score: 40, bestPractices: [{ id: 'SEC08-BP02', title: 'Enforce encryption at rest', status: 'FAIL', coverage: ['automated'], controls: automated.map((c) => c.id) }] },
      ],
    },
    sharedResponsibility: {
      version: '2024-11-06',
      owners: [
        { owner: 'customer', label: 'Customer', items: [{ id: 'customer.data', title: 'Customer data', status: 'FAIL', coveredBy: automated.map((c) => ({ id: c.id, kind: c.kind, status: c.status })) }] },
        { owner: 'shared', label: 'Shared', items: [{ id: 'shared.patch-management', title: 'Patch management', status: 'NOT_COVERED', coveredBy: [] }] },
        { owner: 'aws', label: 'AWS (inherited)', items: [{ id: 'aws.physical-facilities', title: 'Physical facilities', status: 'INHERITED', coveredBy: [{ id: inherited.id, kind: 'inherited', status: 'INHERITED' }] }] },
      ],
    },
    controls,
    register: {
      manual: [{ id: manual.id, title: manual.title, kind: 'manual', status: 'MANUAL', mappings: ['SEC01-BP07'], evidence: 'awaiting attestation' }],
      inherited: [{ id: inherited.id, title: inherited.title, kind: 'inherited', status: 'INHERITED', mappings: ['aws.physical-facilities'], evidence: 'AWS Artifact: SOC 2 Type II (2026-H1)' }],
    },
    appendix: { files, totalBytes: files.reduce((n, f) => n + f.bytes, 0), verification: [{ title: 'Check the PDF signature', command: 'pdfsig report.pdf' }] },
  };
}
