import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateRoleCommand, IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { instances } from '../../collectors/ec2/instances.js';
import { securityGroups } from '../../collectors/ec2/security-groups.js';
import { volumes } from '../../collectors/ec2/volumes.js';
import { authorizationDetails } from '../../collectors/iam/authorization-details.js';
import { kmsKeys } from '../../collectors/kms/keys.js';
import { DEMO_ROLE } from '../../src/demo/estate.js';
import type { EvidenceRecord, Resource } from '../../src/core/types.js';
import { collectAndAssess } from '../../src/pipeline/run.js';
import type { ResultsDocument } from '../../src/results/types.js';
import { controlIdsOf, useSeededEstate } from '../helpers/estate.js';

/**
 * --source config for IAM, EC2 and KMS on moto (issue 11): the live listings stay authoritative, so the verdicts
 * are those of --source api. moto serves AWS::IAM::Role and ::Policy items (a role item's resourceId is the role's
 * NAME and its ARN drops the path; the collector tries the unique id and the name, the normaliser rebuilds the ARN):
 * those roles and policies carry provenance. The demo estate has no IAM roles but the Lambda seeder's, so a role with a
 * path is added per account. moto gap: moto lists no EC2 or KMS items, so every security group,
 * volume, instance and key is read live (no provenance, DescribeKey made for every key).
 */
const seeded = useSeededEstate('iam', 'ec2', 'kms');
const COLLECTORS = [authorizationDetails, securityGroups, volumes, instances, kmsKeys];
const out: string[] = [];
const TRUST = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
const INLINE = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] });
beforeAll(async () => {
  for (const account of [seeded.estate.management, seeded.estate.member]) {
    const iam = seeded.access(account).forRegion('us-east-1').get(IAMClient);
    await iam.send(new CreateRoleCommand({ RoleName: 'ap-config-role', Path: '/service/', AssumeRolePolicyDocument: TRUST }));
    await iam.send(new PutRolePolicyCommand({ RoleName: 'ap-config-role', PolicyName: 'read', PolicyDocument: INLINE }));
  }
});
afterAll(async () => {
  for (const dir of out) await rm(dir, { recursive: true, force: true });
});

async function audit(source: 'api' | 'config'): Promise<{ packDir: string; results: ResultsDocument }> {
  const dir = await mkdtemp(join(tmpdir(), 'auditpack-config-types-'));
  out.push(dir);
  return collectAndAssess({
    out: dir,
    organization: true,
    roleName: DEMO_ROLE,
    regions: seeded.estate.regions,
    endpoint: seeded.moto.endpoint,
    maxAttempts: 2,
    controlIds: await controlIdsOf(COLLECTORS),
    source,
  });
}

function verdicts(results: ResultsDocument): Map<string, string> {
  const map = new Map<string, string>();
  for (const c of results.controls) for (const r of c.results) map.set(`${c.id}|${r.account}|${r.region}|${r.resourceId}`, `${r.status}: ${r.message}`);
  return map;
}

async function record(packDir: string, account: string, region: string, collector: string): Promise<EvidenceRecord> {
  return JSON.parse(await readFile(join(packDir, 'evidence', account, region, `${collector}.json`), 'utf8')) as EvidenceRecord;
}

describe('--source config on the IAM, EC2 and KMS estate', () => {
  let api: Awaited<ReturnType<typeof audit>>;
  let config: Awaited<ReturnType<typeof audit>>;
  beforeAll(async () => {
    api = await audit('api');
    config = await audit('config');
  }, 300_000);

  it('gives the same verdicts as --source api', () => {
    const a = verdicts(api.results);
    expect(a.size).toBeGreaterThan(10);
    expect(verdicts(config.results)).toEqual(a);
  });

  it('IAM roles and customer-managed policies come from moto items (provenance), the same resources otherwise', async () => {
    for (const account of [seeded.estate.management, seeded.estate.member]) {
      const viaApi = await record(api.packDir, account, 'global', authorizationDetails.id);
      const viaConfig = await record(config.packDir, account, 'global', authorizationDetails.id);
      expect(viaConfig.status).toBe('ok');
      const marked = viaConfig.resources.filter((r) => r.provenance);
      // moto quirk: the role item's resourceId is the role's name and its ARN drops the path.
      expect(marked.find((r) => r.name === 'ap-config-role')).toMatchObject({ id: `arn:aws:iam::${account}:role/service/ap-config-role`, path: '/service/' });
      if (viaApi.resources.some((r) => r.type === 'AWS::IAM::Policy')) expect(marked.some((r) => r.type === 'AWS::IAM::Policy')).toBe(true);
      // moto gap: no AWS::IAM::User or ::Group items.
      expect(marked.every((r) => r.type === 'AWS::IAM::Role' || r.type === 'AWS::IAM::Policy')).toBe(true);
      for (const r of marked.filter((m) => m.type === 'AWS::IAM::Role')) expect(r.provenance?.liveFields).toContain('lastUsed');
      // lastUsed moves between the two runs (the auditor assumes OrganizationAccountAccessRole in the member).
      const same = ({ provenance: _p, lastUsed: _l, ...rest }: Resource): Resource => rest;
      expect(viaConfig.resources.map(same)).toEqual(viaApi.resources.map(same));
      expect(Object.keys(viaConfig.raw).filter((k) => k.startsWith('BatchGetResourceConfig:'))).toEqual(['BatchGetResourceConfig:0001']);
    }
  });

  it('moto gap: EC2 and KMS resources are all read live (moto lists no items), exactly as with --source api', async () => {
    const region = seeded.estate.regions[0] as string;
    for (const collector of [securityGroups, volumes, instances, kmsKeys]) {
      const viaApi = await record(api.packDir, seeded.estate.management, region, collector.id);
      const viaConfig = await record(config.packDir, seeded.estate.management, region, collector.id);
      expect(viaConfig.status).toBe('ok');
      expect(viaConfig.resources).toEqual(viaApi.resources);
      expect(viaConfig.resources.every((r) => r.provenance === undefined)).toBe(true);
    }
    const keys = await record(config.packDir, seeded.estate.management, region, kmsKeys.id);
    expect(keys.resources.length).toBeGreaterThan(0);
    expect(keys.calls.filter((c) => c.action === 'DescribeKey').length).toBe(keys.resources.length);
  });
});
