import type { ResourceResult, Severity, Status } from '../../../src/core/types.js';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { writeManifest, type Manifest } from '../../../src/locker/pack.js';
import type { ControlResult, ResultsDocument } from '../../../src/results/types.js';
import { countStatuses } from '../../../src/score/score.js';

/** Small results documents for diff tests: only the fields the diff reads are meaningful. */

const DIGEST = `sha256:${'0'.repeat(64)}`;

/**
 * Writes the files of a small pack and seals it as auditpack does (every file listed with its hash), so the diff
 * and history readers, which verify a pack before reading it, accept it.
 */
export async function sealedPack(dir: string, finishedAt: string, files: Record<string, string>): Promise<string> {
  await mkdir(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, name)), { recursive: true });
    await writeFile(join(dir, name), text);
  }
  const { schemaVersion: _version, files: _files, ...meta } = manifest(finishedAt, []);
  await writeManifest(dir, meta);
  return dir;
}

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
    run: { id: runId, startedAt, finishedAt, tool: { name: 'auditpack', version: '0.0.0' }, accounts: ['111111111111'], regions: ['us-east-1'], catalog: { digest: DIGEST, frameworks: {} } },
    summary: {
      score,
      byStatus: countStatuses(controls.map((c) => c.status)),
      resultsByStatus: countStatuses(controls.flatMap((c) => c.results.map((r) => r.status))),
      bySeverity: Object.fromEntries(['critical', 'high', 'medium', 'low', 'informational'].map((k) => [k, { byStatus: countStatuses([]), score: null }])),
      byResponsibility: Object.fromEntries(['customer', 'shared', 'aws'].map((k) => [k, { byStatus: countStatuses([]), score: null }])),
      wellArchitected: { version: '2024-11-06', formerVersion: '2023-10-03', retiredIds: [], questions: [] },
      sharedResponsibility: { version: '1', items: [] },
      frameworks: { 'security-hub': { version: '1', requirements: [] }, 'cis-aws-3.0': { version: '3.0', requirements: [] } },
      waivers: [],
      attestations: [],
    },
    controls,
  } as unknown as ResultsDocument;
}

export function manifest(finishedAt: string, files: Manifest['files']): Manifest {
  return {
    schemaVersion: '1',
    tool: { name: 'auditpack', version: '0.0.0' },
    run: { id: 'r', startedAt: finishedAt, finishedAt, accounts: [], regions: [] },
    catalog: { digest: DIGEST },
    files,
  };
}
