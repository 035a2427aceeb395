import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storageNetworkCollectors } from '../../collectors/storage-network.js';
import type { Collector } from '../../collectors/types.js';
import { clientsFor } from '../../src/collect/aws-access.js';
import { runCollector } from '../../src/collect/run-collector.js';
import type { EvidenceRecord, Resource } from '../../src/core/types.js';
import { buildDemoEstate, DEMO_REGIONS, DEMO_ROLE, type DemoEstate } from '../../src/demo/estate.js';
import { compareExpectations, formatMismatch } from '../../src/demo/expectations.js';
import { motoEnv, startMoto, type MotoServer } from '../../src/demo/moto.js';
import { storageNetworkSeeders } from '../../src/demo/seed/storage-network.js';
import { collectAndAssess } from '../../src/pipeline/run.js';

const [US, EU] = DEMO_REGIONS as [string, string];
const CONTROL_IDS = [
  's3-account-public-access-block',
  's3-bucket-public-access-block',
  's3-bucket-public-read',
  's3-bucket-public-write',
  's3-bucket-ssl-only',
  's3-bucket-default-encryption',
  's3-bucket-versioning',
  's3-bucket-access-logging',
  'ec2-ebs-default-encryption',
  'ec2-attached-volumes-encrypted',
  'ec2-snapshots-not-public',
  'vpc-default-security-group-closed',
  'ec2-sg-no-open-ssh',
  'ec2-sg-no-open-rdp',
  'ec2-sg-no-open-admin-ports-ipv4',
  'ec2-sg-no-open-admin-ports-ipv6',
  'vpc-flow-logs-enabled',
  'ec2-imdsv2-required',
];

/**
 * Seeds the demo organisation (management + one member account reached through OrganizationAccountAccessRole)
 * with the storage/network seeders in us-east-1 and eu-west-1, runs the real collectors against moto and checks
 * the normalised evidence, then the whole pipeline against every seeded expectation.
 */
describe('storage and network collectors against moto', () => {
  let moto: MotoServer;
  let endpoint: string;
  let estate: DemoEstate;
  const records = new Map<string, EvidenceRecord>();
  const key = (account: string, region: string, id: string) => `${account}|${region}|${id}`;
  const record = (account: string, region: string, id: string): EvidenceRecord => {
    const r = records.get(key(account, region, id));
    if (!r) throw new Error(`no evidence ${key(account, region, id)}`);
    return r;
  };
  const resources = (account: string, region: string, id: string): Resource[] => record(account, region, id).resources;
  const byName = (list: Resource[], name: string): Resource => {
    const found = list.find((r) => r.name === name);
    if (!found) throw new Error(`no resource named ${name} in ${list.map((r) => r.name).join(', ')}`);
    return found;
  };

  beforeAll(async () => {
    moto = await startMoto();
    endpoint = moto.endpoint;
    Object.assign(process.env, motoEnv(endpoint));
    estate = await buildDemoEstate(endpoint, DEMO_REGIONS, storageNetworkSeeders);
    for (const account of [estate.management, estate.member]) {
      const clients = clientsFor({ account, endpoint, maxAttempts: 2, roleName: account === estate.management ? undefined : DEMO_ROLE });
      const run = async (collector: Collector, region: string) => {
        const evidence = await runCollector(collector, { account, region, clients: clients.forRegion(region) });
        records.set(key(account, evidence.region, collector.id), evidence);
      };
      for (const collector of storageNetworkCollectors) {
        if (collector.scope === 'account') await run(collector, US);
        else for (const region of DEMO_REGIONS) await run(collector, region);
      }
    }
  }, 240_000);

  afterAll(async () => {
    await moto?.stop();
  });

  it('collects every source without error in both accounts', () => {
    expect(records.size).toBe(2 * (2 + 6 * 2));
    for (const r of records.values()) expect(r.status, `${r.collector.id} ${r.account}/${r.region}: ${r.error?.message}`).toBe('ok');
  });

  it('reads account Block Public Access: on in the management account, absent in the member', () => {
    expect(resources(estate.management, 'global', 's3.account-public-access-block')).toEqual([
      {
        id: `AWS::::Account:${estate.management}`,
        type: 'AWS::::Account',
        name: estate.management,
        configured: true,
        blockPublicAcls: true,
        ignorePublicAcls: true,
        blockPublicPolicy: true,
        restrictPublicBuckets: true,
      },
    ]);
    expect(resources(estate.member, 'global', 's3.account-public-access-block')[0]).toMatchObject({ configured: false, restrictPublicBuckets: false });
  });

  it('lists only the account\'s own buckets, each with its region and normalised settings', () => {
    const buckets = resources(estate.management, 'global', 's3.buckets');
    const prefix = (region: string) => `ap-${estate.management}-${region}`;
    expect(buckets.map((b) => [b.name, b.region])).toEqual(
      [
        [`${prefix(EU)}-objects-only-tls`, EU],
        [`${prefix(EU)}-public-acl`, EU],
        [`${prefix(EU)}-vpce-only`, EU],
        [`${prefix(US)}-logs`, US],
        [`${prefix(US)}-public-site`, US],
        [`${prefix(US)}-secure`, US],
      ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    );
    const secure = byName(buckets, `${prefix(US)}-secure`);
    expect(secure).toMatchObject({
      id: `arn:aws:s3:::${prefix(US)}-secure`,
      type: 'AWS::S3::Bucket',
      encryption: { enabled: true, algorithm: 'aws:kms', bucketKey: true },
      publicAccessBlockConfigured: true,
      publicAccessBlock: { blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: true, restrictPublicBuckets: true },
      versioning: 'Enabled',
      mfaDelete: 'Disabled',
      logging: { enabled: true, targetBucket: `${prefix(US)}-logs`, targetPrefix: `${prefix(US)}-secure/` },
    });
    expect(secure.policy).toMatchObject({ Statement: [{ Sid: 'DenyInsecureTransport', Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }] });
    const publicAcl = byName(buckets, `${prefix(EU)}-public-acl`);
    expect(publicAcl).toMatchObject({ versioning: 'Suspended', policy: null, publicAccessBlockConfigured: false, encryption: { algorithm: 'aws:kms' } });
    expect((publicAcl.aclGrants as { granteeUri: string | null; permission: string }[]).filter((g) => g.granteeUri?.endsWith('/AllUsers')).map((g) => g.permission).sort()).toEqual([
      'READ',
      'WRITE',
    ]);
    expect(byName(buckets, `${prefix(US)}-public-site`)).toMatchObject({ encryption: { algorithm: 'AES256' }, versioning: 'Disabled', logging: { enabled: false } });
    const memberBuckets = resources(estate.member, 'global', 's3.buckets');
    expect(memberBuckets).toHaveLength(6);
    expect(memberBuckets.every((b) => String(b.name).startsWith(`ap-${estate.member}-`))).toBe(true);
  });

  it('records bucket calls under their IAM action names', () => {
    const actions = new Set(record(estate.management, 'global', 's3.buckets').calls.map((c) => `${c.service}:${c.action}`));
    expect([...actions].sort()).toEqual(
      [
        's3:GetBucketAcl',
        's3:GetBucketLocation',
        's3:GetBucketLogging',
        's3:GetBucketPolicy',
        's3:GetBucketPublicAccessBlock',
        's3:GetBucketVersioning',
        's3:GetEncryptionConfiguration',
        's3:ListAllMyBuckets',
      ].sort(),
    );
    const permissions = new Set(storageNetworkCollectors.flatMap((c) => c.permissions));
    for (const r of records.values()) for (const c of r.calls) expect(permissions.has(`${c.service}:${c.action}`), `${c.service}:${c.action}`).toBe(true);
  });

  it('reads EBS encryption by default per region', () => {
    for (const account of [estate.management, estate.member]) {
      expect(resources(account, US, 'ec2.ebs-encryption-by-default')).toEqual([
        { id: `AWS::::Account:${account}`, type: 'AWS::::Account', name: account, region: US, ebsEncryptionByDefault: true },
      ]);
      expect(resources(account, EU, 'ec2.ebs-encryption-by-default')[0]).toMatchObject({ region: EU, ebsEncryptionByDefault: false });
    }
  });

  it('reads VPCs, including the default VPC, with their flow logs', () => {
    for (const [region, traffic] of [
      [US, 'REJECT'],
      [EU, 'ALL'],
    ] as const) {
      const vpcs = resources(estate.member, region, 'ec2.vpcs-flow-logs');
      expect(vpcs).toHaveLength(3);
      expect(vpcs.filter((v) => v.isDefault)).toHaveLength(1);
      expect(vpcs.find((v) => v.isDefault)?.flowLogs).toEqual([]);
      expect(byName(vpcs, 'app').flowLogs).toEqual([expect.objectContaining({ status: 'ACTIVE', trafficType: traffic, destinationType: 'cloud-watch-logs' })]);
      expect(byName(vpcs, 'app').id).toMatch(new RegExp(`^arn:aws:ec2:${region}:${estate.member}:vpc/vpc-`));
    }
    expect(byName(resources(estate.member, EU, 'ec2.vpcs-flow-logs'), 'legacy').flowLogs).toEqual([expect.objectContaining({ trafficType: 'ACCEPT' })]);
  });

  it('normalises security group rules', () => {
    const groups = resources(estate.management, EU, 'ec2.security-groups');
    expect(groups.filter((g) => g.isDefault)).toHaveLength(3);
    expect(byName(groups, 'ssh-from-anywhere').ingress).toEqual([
      { protocol: 'tcp', fromPort: 22, toPort: 22, ipv4Ranges: ['0.0.0.0/0'], ipv6Ranges: [], referencedGroups: [], prefixLists: [] },
    ]);
    expect(byName(groups, 'rdp-from-anywhere-v6').ingress).toEqual([expect.objectContaining({ protocol: 'tcp', fromPort: 3389, ipv6Ranges: ['::/0'] })]);
    expect(byName(groups, 'all-traffic-v4').ingress).toEqual([expect.objectContaining({ protocol: '-1', fromPort: null, toPort: null, ipv4Ranges: ['0.0.0.0/0'] })]);
    const closed = groups.filter((g) => g.isDefault && (g.egress as unknown[]).length === 0 && (g.ingress as unknown[]).length === 0);
    expect(closed).toHaveLength(1);
  });

  it('reads volumes with attachment state, and instances with IMDS options', () => {
    const volumes = resources(estate.member, EU, 'ec2.volumes');
    expect(volumes).toHaveLength(5);
    expect(volumes.filter((v) => v.attached)).toHaveLength(4);
    expect(byName(volumes, 'spare-unattached')).toMatchObject({ attached: false, encrypted: false, state: 'available' });
    expect(byName(volumes, 'data-encrypted')).toMatchObject({ attached: true, encrypted: true });
    const instances = resources(estate.member, EU, 'ec2.instances');
    expect(instances.map((i) => [i.name, i.state, (i.metadataOptions as { httpTokens: string }).httpTokens]).sort()).toEqual([
      ['app-imdsv2', 'running', 'required'],
      ['legacy-imdsv1', 'stopped', 'optional'],
    ]);
    expect((byName(instances, 'app-imdsv2').securityGroups as string[]).length).toBeGreaterThan(0);
  });

  it('reads only the account\'s own snapshots and who may restore them', () => {
    const snapshots = resources(estate.member, EU, 'ec2.snapshots');
    expect(snapshots.map((s) => [s.name, s.public, s.sharedWithAccounts]).sort()).toEqual([
      ['data-encrypted-backup', false, ['444455556666']],
      ['data-plain-backup', true, []],
    ]);
    expect(snapshots[0]?.id).toMatch(new RegExp(`^arn:aws:ec2:${EU}::snapshot/snap-`));
  });

  it('seeds an expectation for every storage and network control in both accounts', () => {
    for (const account of [estate.management, estate.member]) {
      const controls = new Set(estate.expectations.filter((e) => e.account === account).map((e) => e.control));
      expect([...controls].sort()).toEqual([...CONTROL_IDS].sort());
    }
    const statuses = new Set(estate.expectations.map((e) => e.status));
    expect([...statuses].sort()).toEqual(['FAIL', 'PASS']);
  });

  it('produces every seeded expectation through the full pipeline', async () => {
    const out = await mkdtemp(join(tmpdir(), 'auditpack-storage-network-'));
    const { results } = await collectAndAssess({
      out,
      organization: true,
      roleName: DEMO_ROLE,
      regions: DEMO_REGIONS,
      endpoint,
      maxAttempts: 2,
      controlIds: CONTROL_IDS,
    });
    expect(results.controls.map((c) => c.id).sort()).toEqual([...CONTROL_IDS].sort());
    expect(compareExpectations(results, estate.expectations).map(formatMismatch)).toEqual([]);
    for (const c of results.controls) for (const r of c.results) expect(r.status, `${c.id} ${r.resourceId}: ${r.message}`).not.toBe('ERROR');
  }, 180_000);
});
