import type { ResourceResult, Severity, Status } from '../../../src/core/types.js';
import type { Manifest } from '../../../src/locker/pack.js';
import type { ControlResult, ResultsDocument } from '../../../src/results/types.js';
import { countStatuses } from '../../../src/score/score.js';

/** Small results documents for diff tests: only the fields the diff reads are meaningful. */

export function result(resourceId: string, status: Status, extra: Partial<ResourceResult> = {}): ResourceResult {
  return { resourceId, resourceType: 'AWS::S3::Bucket', account: '111111111111', region: 'us-east-1', status, message: `${resourceId} is ${status}`, evidence: [], ...extra };
}

export function control(id: string, results: ResourceResult[], severity: Severity = 'high'): ControlResult {
  const counts = countStatuses(results.map((r) => r.status));
  const status: Status = counts.ERROR ? 'ERROR' : counts.FAIL ? 'FAIL' : counts.PASS ? 'PASS' : 'NOT_APPLICABLE';
  return {
    id,
    title: `Title of ${id}`,
    description: '',
    severity,
    kind: 'automated',
    responsibility: 'customer',
    status,
    mappings: {},
    params: {},
    remediation: { text: '' },
    source: `controls/${id}.yaml`,
    evidence: [],
    counts,
    results,
  };
}

export function results(runId: string, startedAt: string, controls: ControlResult[], score: number | null = 50): ResultsDocument {
  const finishedAt = new Date(Date.parse(startedAt) + 60_000).toISOString();
  return {
    schemaVersion: '1',
    run: { id: runId, startedAt, finishedAt, tool: { name: 'auditpack', version: '0.0.0' }, accounts: ['111111111111'], regions: ['us-east-1'], catalog: { digest: 'sha256:x', frameworks: {} } },
    summary: { score, byStatus: countStatuses(controls.map((c) => c.status)) },
    controls,
  } as unknown as ResultsDocument;
}

export function manifest(finishedAt: string, files: Manifest['files']): Manifest {
  return {
    schemaVersion: '1',
    tool: { name: 'auditpack', version: '0.0.0' },
    run: { id: 'r', startedAt: finishedAt, finishedAt, accounts: [], regions: [] },
    catalog: { digest: 'sha256:x' },
    files,
  };
}
