import { createHash } from 'node:crypto';
import { SEVERITIES, type Severity, type Status } from '../src/core/types.js';
import type { Manifest } from '../src/locker/pack.js';
import type { ControlResult, ResultsDocument } from '../src/results/types.js';
import { countStatuses } from '../src/score/score.js';

const hex = (s: string): string => createHash('sha256').update(s).digest('hex');

/** A results document of `controls` × `perControl` resource results with a matching manifest, for the benchmarks. */
export function syntheticPack(controls = 100, perControl = 200, template: ResultsDocument): { results: ResultsDocument; manifest: Manifest } {
  const files = Array.from({ length: 60 }, (_, i) => ({ path: `evidence/1234567890${String(i % 2).padStart(2, '0')}/us-east-1/bench.c${i}.json`, sha256: hex(`f${i}`), bytes: 10_000 + i, collectedAt: '2026-10-01T00:00:00.000Z' }));
  const out: ControlResult[] = Array.from({ length: controls }, (_, c) => {
    const severity: Severity = SEVERITIES[c % 4]!;
    const results = Array.from({ length: perControl }, (_, r) => {
      const status: Status = r % 7 === 0 ? 'FAIL' : r % 53 === 0 ? 'ERROR' : 'PASS';
      return {
        resourceId: `arn:aws:s3:::bench-bucket-${c}-${r}`,
        resourceType: 'AWS::S3::Bucket',
        account: `1234567890${String(r % 2).padStart(2, '0')}`,
        region: 'us-east-1',
        status,
        message: status === 'PASS' ? 'compliant' : `bucket bench-bucket-${c}-${r} has no default encryption with an AWS KMS key (algorithm AES256)`,
        evidence: [`sha256:${files[(c + r) % files.length]!.sha256}`],
      };
    });
    const counts = countStatuses(results.map((r) => r.status));
    return {
      id: `bench-control-${String(c).padStart(3, '0')}`,
      title: `Benchmark control ${c}: S3 buckets are encrypted with AWS KMS keys`,
      description: 'A synthetic control for the rendering benchmark.',
      rationale: 'Rendering must stay fast and small for large estates.',
      severity,
      kind: 'automated',
      responsibility: 'customer',
      status: counts.ERROR ? 'ERROR' : counts.FAIL ? 'FAIL' : 'PASS',
      mappings: { 'well-architected': ['SEC08-BP02'], 'shared-responsibility': ['customer.data'], 'security-hub': ['S3.17'] },
      params: {},
      remediation: { text: 'Enable default encryption with an AWS KMS key on the bucket.' },
      source: 'bench',
      evidence: ['bench.c'],
      counts,
      results,
    };
  });
  const results: ResultsDocument = {
    ...template,
    controls: out,
    summary: { ...template.summary, byStatus: countStatuses(out.map((c) => c.status)), resultsByStatus: countStatuses(out.flatMap((c) => c.results.map((r) => r.status))) },
  };
  return { results, manifest: { schemaVersion: '1', tool: { name: 'auditpack', version: 'bench' }, run: { id: 'bench', startedAt: template.run.startedAt, finishedAt: template.run.finishedAt, accounts: template.run.accounts, regions: template.run.regions }, catalog: { digest: template.run.catalog.digest }, files } };
}
