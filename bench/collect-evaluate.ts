import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectors } from '../collectors/index.js';
import { loadCatalog } from '../src/catalog/load.js';
import type { EvidenceRecord, Resource } from '../src/core/types.js';
import { buildDemoEstate, DEMO_ROLE } from '../src/demo/estate.js';
import { motoEnv, startMoto } from '../src/demo/moto.js';
import { evaluateControl } from '../src/evaluate/evaluate.js';
import { EvidenceIndex } from '../src/evaluate/evidence-index.js';
import type { Manifest } from '../src/locker/pack.js';
import { collectAndAssess } from '../src/pipeline/run.js';

export interface Figure {
  name: string;
  value: number;
  unit: string;
}

/** Full audit of the seeded demo organisation against moto: wall time, API calls, calls per resource. */
export async function benchCollect(): Promise<Figure[]> {
  const moto = await startMoto();
  try {
    Object.assign(process.env, motoEnv(moto.endpoint));
    const estate = await buildDemoEstate(moto.endpoint);
    const out = await mkdtemp(join(tmpdir(), 'auditpack-bench-'));
    const started = performance.now();
    const { packDir } = await collectAndAssess({ out, organization: true, roleName: DEMO_ROLE, regions: estate.regions, endpoint: moto.endpoint, maxAttempts: 2 });
    const elapsed = performance.now() - started;
    const manifest = JSON.parse(await readFile(join(packDir, 'manifest.json'), 'utf8')) as Manifest;
    let calls = 0;
    let resources = 0;
    for (const f of manifest.files.filter((x) => x.path.startsWith('evidence/'))) {
      const record = JSON.parse(await readFile(join(packDir, f.path), 'utf8')) as EvidenceRecord;
      calls += record.calls.length;
      resources += record.resources.length;
    }
    return [
      { name: 'demo audit (2 accounts x 2 regions, collect + assess) wall time', value: Math.round(elapsed), unit: 'ms' },
      { name: 'API calls made', value: calls, unit: 'calls' },
      { name: 'normalised resources collected', value: resources, unit: 'resources' },
      { name: 'API calls per resource', value: Math.round((calls / Math.max(resources, 1)) * 100) / 100, unit: 'calls/resource' },
    ];
  } finally {
    await moto.stop();
  }
}

function record(collector: string, account: string, region: string, resources: Resource[]): EvidenceRecord {
  return { schemaVersion: '1', collector: { id: collector, version: '1' }, account, region, collectedAt: '2026-01-01T00:00:00Z', status: 'ok', calls: [], resources, raw: {} };
}

/** Evaluation alone over a synthetic locker: 20,000 buckets and 20,000 security groups in one account. */
export async function benchEvaluate(count = 20_000): Promise<Figure[]> {
  const catalog = await loadCatalog(undefined, collectors);
  const index = new EvidenceIndex();
  const account = '123456789012';
  const buckets: Resource[] = Array.from({ length: count }, (_, i) => ({
    id: `arn:aws:s3:::bench-${i}`,
    type: 'AWS::S3::Bucket',
    name: `bench-${i}`,
    region: 'us-east-1',
    createdAt: '2025-06-01T00:00:00.000Z',
    aclGrants: [
      { granteeId: 'owner', granteeType: 'CanonicalUser', granteeUri: null, permission: 'FULL_CONTROL' },
      ...(i % 50 === 0 ? [{ granteeId: null, granteeType: 'Group', granteeUri: 'http://acs.amazonaws.com/groups/global/AllUsers', permission: 'READ' }] : []),
    ],
    encryption: { algorithm: i % 3 ? 'aws:kms' : 'AES256', bucketKey: true, enabled: true, kmsKeyId: i % 3 ? 'arn:aws:kms:us-east-1:123456789012:key/k' : null },
    logging: { enabled: i % 4 !== 0, targetBucket: i % 4 ? 'logs' : null, targetPrefix: null },
    mfaDelete: 'Disabled',
    policy:
      i % 2
        ? { Version: '2012-10-17', Statement: [{ Sid: 'TLS', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: [`arn:aws:s3:::bench-${i}`, `arn:aws:s3:::bench-${i}/*`], Condition: { Bool: { 'aws:SecureTransport': 'false' } } }] }
        : null,
    publicAccessBlock: { blockPublicAcls: i % 5 !== 0, blockPublicPolicy: true, ignorePublicAcls: i % 5 !== 0, restrictPublicBuckets: true },
    publicAccessBlockConfigured: true,
    versioning: i % 2 ? 'Enabled' : 'Suspended',
  }));
  const scopes = new Map(collectors.map((c) => [c.id, c.scope] as const));
  index.add({ record: record('s3.buckets', account, 'global', buckets), path: 'x', sha256: '0'.repeat(64) });
  const s3 = catalog.controls.filter((c) => c.definition.evidence.every((e) => e.startsWith('s3.')) && c.definition.evidence.includes('s3.buckets'));
  index.add({ record: record('s3.account-public-access-block', account, 'global', [{ id: `AWS::::Account:${account}`, type: 'AWS::::Account', configured: false, blockPublicAcls: false, ignorePublicAcls: false, blockPublicPolicy: false, restrictPublicBuckets: false }]), path: 'y', sha256: '1'.repeat(64) });
  const started = performance.now();
  let results = 0;
  let errors = 0;
  for (const control of s3) {
    const outcome = evaluateControl(control, index, { accounts: [account], regions: ['us-east-1'] }, scopes);
    results += outcome.results.length;
    errors += outcome.results.filter((r) => r.status === 'ERROR').length;
  }
  const elapsed = performance.now() - started;
  return [
    { name: `rule evaluation, ${s3.length} S3 controls x ${count} buckets`, value: Math.round(elapsed), unit: 'ms' },
    { name: 'resource results per second', value: Math.round(results / (elapsed / 1000)), unit: 'results/s' },
    { name: 'results that were ERROR (must be 0: synthetic evidence has the real shape)', value: errors, unit: 'results' },
  ];
}
