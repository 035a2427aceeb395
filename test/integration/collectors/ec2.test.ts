import { beforeAll, describe, expect, it } from 'vitest';
import { collectorsOf } from '../../../collectors/index.js';
import { DEMO_REGIONS } from '../../../src/demo/estate.js';
import { byName, expectCleanCollection, useSeededEstate, type Evidence } from '../../helpers/estate.js';

const [US, EU] = DEMO_REGIONS as [string, string];
// Network ACLs and route tables have their own seeder and fixture (network), judged in cis-remaining.test.ts.
const ec2Collectors = collectorsOf('ec2').filter((c) => c.id !== 'ec2.network-acls' && c.id !== 'ec2.route-tables');

/**
 * EC2 and VPC against moto: the demo organisation seeded with the ec2 seeder (and the vpc seeder it needs) in both
 * regions, the real collectors' normalised evidence, then the pipeline for every control on EC2 evidence against
 * test/fixtures/estate/{vpc,ec2}.yaml.
 */
describe('ec2 collectors against moto', () => {
  const seeded = useSeededEstate('ec2');
  let evidence: Evidence;
  const resources = (account: string, region: string, id: string) => evidence.resources(id, account, region);

  beforeAll(async () => {
    evidence = await seeded.collect(ec2Collectors);
  }, 240_000);

  it('collects every source without error in both accounts', () => expectCleanCollection(evidence, ec2Collectors, DEMO_REGIONS));
  it('reads EBS encryption by default per region', () => {
    for (const account of [seeded.estate.management, seeded.estate.member]) {
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
      const vpcs = resources(seeded.estate.member, region, 'ec2.vpcs-flow-logs');
      expect(vpcs).toHaveLength(3);
      expect(vpcs.filter((v) => v.isDefault)).toHaveLength(1);
      expect(vpcs.find((v) => v.isDefault)?.flowLogs).toEqual([]);
      expect(byName(vpcs, 'app').flowLogs).toEqual([expect.objectContaining({ status: 'ACTIVE', trafficType: traffic, destinationType: 'cloud-watch-logs' })]);
      expect(byName(vpcs, 'app').id).toMatch(new RegExp(`^arn:aws:ec2:${region}:${seeded.estate.member}:vpc/vpc-`));
    }
    expect(byName(resources(seeded.estate.member, EU, 'ec2.vpcs-flow-logs'), 'legacy').flowLogs).toEqual([expect.objectContaining({ trafficType: 'ACCEPT' })]);
  });

  it('normalises security group rules', () => {
    const groups = resources(seeded.estate.management, EU, 'ec2.security-groups');
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
    const volumes = resources(seeded.estate.member, EU, 'ec2.volumes');
    expect(volumes).toHaveLength(5);
    expect(volumes.filter((v) => v.attached)).toHaveLength(4);
    expect(byName(volumes, 'spare-unattached')).toMatchObject({ attached: false, encrypted: false, state: 'available' });
    expect(byName(volumes, 'data-encrypted')).toMatchObject({ attached: true, encrypted: true });
    const instances = resources(seeded.estate.member, EU, 'ec2.instances');
    expect(instances.map((i) => [i.name, i.state, (i.metadataOptions as { httpTokens: string }).httpTokens]).sort()).toEqual([
      ['app-imdsv2', 'running', 'required'],
      ['legacy-imdsv1', 'stopped', 'optional'],
    ]);
    expect((byName(instances, 'app-imdsv2').securityGroups as string[]).length).toBeGreaterThan(0);
  });

  it('reads only the account\'s own snapshots and who may restore them', () => {
    const snapshots = resources(seeded.estate.member, EU, 'ec2.snapshots');
    expect(snapshots.map((s) => [s.name, s.public, s.sharedWithAccounts]).sort()).toEqual([
      ['data-encrypted-backup', false, ['444455556666']],
      ['data-plain-backup', true, []],
    ]);
    expect(snapshots[0]?.id).toMatch(new RegExp(`^arn:aws:ec2:${EU}::snapshot/snap-`));
  });


  it('reads subnets with public IPv4 auto-assignment, and transit gateways with their attachment acceptance (issue 12)', () => {
    const account = seeded.estate.management;
    const subnets = resources(account, US, 'ec2.subnets');
    expect(byName(subnets, 'app-a')).toMatchObject({ type: 'AWS::EC2::Subnet', region: US, defaultForAz: false, mapPublicIpOnLaunch: false, availabilityZone: `${US}a` });
    expect(byName(subnets, 'public-b')).toMatchObject({ mapPublicIpOnLaunch: true, availabilityZone: `${US}b` });
    const tgws = resources(account, EU, 'ec2.transit-gateways');
    expect(tgws.map((t) => t.autoAcceptSharedAttachments).sort()).toEqual(['disable', 'enable']);
    for (const t of tgws) expect(t.id).toBe(`arn:aws:ec2:${EU}:${account}:transit-gateway/${t.transitGatewayId as string}`);
    const endpoints = resources(account, US, 'ec2.vpc-endpoints');
    expect(endpoints.map((e) => [e.serviceName, e.state])).toEqual([[`com.amazonaws.${US}.ec2`, 'available']]);
  });

  it('produces every seeded expectation through the full pipeline, for every EC2 and VPC control in both accounts', async () => {
    const { controls, expected, mismatches, results } = await seeded.assessControlsOf(ec2Collectors);
    expect(results.controls.map((c) => c.id).sort()).toEqual([...controls].sort());
    expect(mismatches).toEqual([]);
    for (const c of results.controls) for (const r of c.results) expect(r.status, `${c.id} ${r.resourceId}: ${r.message}`).not.toBe('ERROR');
    for (const account of [seeded.estate.management, seeded.estate.member]) {
      expect([...new Set(expected.filter((e) => e.account === account).map((e) => e.control))].sort()).toEqual([...controls].sort());
    }
    expect([...new Set(expected.map((e) => e.status))].sort()).toEqual(['FAIL', 'PASS']);
  }, 180_000);
});
