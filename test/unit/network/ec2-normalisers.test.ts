import { describe, expect, it, vi } from 'vitest';
import { normaliseInstance } from '../../../collectors/ec2/instances.js';
import { normaliseRule, normaliseSecurityGroup } from '../../../collectors/ec2/security-groups.js';
import { snapshots } from '../../../collectors/ec2/snapshots.js';
import { normaliseVolume } from '../../../collectors/ec2/volumes.js';
import { normaliseVpc } from '../../../collectors/ec2/vpcs-flow-logs.js';
import type { ClientConstructor, ClientProvider } from '../../../collectors/types.js';
import { runCollector } from '../../../src/collect/run-collector.js';

describe('EC2 normalisers', () => {
  it('normalises security group rules (protocol numbers, all traffic, ranges, groups)', () => {
    expect(normaliseRule({ IpProtocol: '-1', FromPort: -1, ToPort: -1, IpRanges: [{ CidrIp: '0.0.0.0/0' }] })).toEqual({
      protocol: '-1',
      fromPort: null,
      toPort: null,
      ipv4Ranges: ['0.0.0.0/0'],
      ipv6Ranges: [],
      referencedGroups: [],
      prefixLists: [],
    });
    expect(
      normaliseRule({ IpProtocol: '6', FromPort: 22, ToPort: 22, Ipv6Ranges: [{ CidrIpv6: '::/0' }], UserIdGroupPairs: [{ UserId: '1', GroupId: 'sg-2' }], PrefixListIds: [{ PrefixListId: 'pl-1' }] }),
    ).toEqual({ protocol: 'tcp', fromPort: 22, toPort: 22, ipv4Ranges: [], ipv6Ranges: ['::/0'], referencedGroups: ['1/sg-2'], prefixLists: ['pl-1'] });
    const sg = normaliseSecurityGroup({ GroupId: 'sg-1', GroupName: 'default', VpcId: 'vpc-1', IpPermissions: [], IpPermissionsEgress: [{ IpProtocol: '-1' }] }, '111111111111', 'eu-west-1');
    expect(sg).toMatchObject({ id: 'arn:aws:ec2:eu-west-1:111111111111:security-group/sg-1', isDefault: true, ingress: [], egress: [{ protocol: '-1' }] });
  });

  it('marks only settled attachments as attached', () => {
    const base = { VolumeId: 'vol-1', Encrypted: false };
    expect(normaliseVolume({ ...base, Attachments: [{ InstanceId: 'i-1', State: 'attached' }] }, '1', 'us-east-1')).toMatchObject({ attached: true, encrypted: false });
    expect(normaliseVolume({ ...base, Attachments: [{ InstanceId: 'i-1', State: 'detaching' }] }, '1', 'us-east-1')).toMatchObject({ attached: false });
    expect(normaliseVolume({ ...base, Tags: [{ Key: 'Name', Value: 'data' }] }, '1', 'us-east-1')).toMatchObject({
      id: 'arn:aws:ec2:us-east-1:1:volume/vol-1',
      name: 'data',
      attached: false,
    });
  });

  it('merges instance and network interface security groups and keeps IMDS options', () => {
    const instance = normaliseInstance(
      {
        InstanceId: 'i-1',
        State: { Name: 'stopped' },
        SecurityGroups: [{ GroupId: 'sg-b' }],
        NetworkInterfaces: [{ Groups: [{ GroupId: 'sg-a' }, { GroupId: 'sg-b' }] }],
        MetadataOptions: { HttpTokens: 'optional' },
      },
      '1',
      'us-east-1',
    );
    expect(instance).toMatchObject({ state: 'stopped', securityGroups: ['sg-a', 'sg-b'], metadataOptions: { httpTokens: 'optional', httpEndpoint: null } });
  });

  it('attaches only the VPC-level flow logs of each VPC', () => {
    const vpc = normaliseVpc({ VpcId: 'vpc-1', IsDefault: true }, [
      { FlowLogId: 'fl-1', ResourceId: 'vpc-1', TrafficType: 'REJECT', FlowLogStatus: 'ACTIVE', LogDestinationType: 's3', LogDestination: 'arn:aws:s3:::b' },
      { FlowLogId: 'fl-2', ResourceId: 'subnet-1', TrafficType: 'ALL', FlowLogStatus: 'ACTIVE' },
    ], '1', 'us-east-1');
    expect(vpc).toMatchObject({ isDefault: true, flowLogs: [{ id: 'fl-1', status: 'ACTIVE', trafficType: 'REJECT', destinationType: 's3', destination: 'arn:aws:s3:::b' }] });
    expect((vpc.flowLogs as unknown[]).length).toBe(1);
  });
});

describe('ec2.snapshots collector', () => {
  it('keeps own snapshots only and marks group "all" as public', async () => {
    const calls: string[] = [];
    const clients: ClientProvider = {
      get: <C>(ctor: ClientConstructor<C>): C =>
        Object.assign(new ctor({ region: 'us-east-1' }) as object, {
          send: vi.fn(async (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
            const name = command.constructor.name;
            calls.push(name);
            if (name === 'DescribeSnapshotsCommand') {
              expect(command.input.OwnerIds).toEqual(['self']);
              return { Snapshots: [{ SnapshotId: 'snap-1', OwnerId: '111111111111', VolumeId: 'vol-1' }, { SnapshotId: 'snap-ami', OwnerId: '999999999999' }, { SnapshotId: 'snap-2', OwnerId: '111111111111' }] };
            }
            return command.input.SnapshotId === 'snap-1' ? { CreateVolumePermissions: [{ Group: 'all' }] } : { CreateVolumePermissions: [{ UserId: '222222222222' }] };
          }),
        }) as C,
    };
    const record = await runCollector(snapshots, { account: '111111111111', region: 'us-east-1', clients });
    expect(record.status).toBe('ok');
    expect(record.resources.map((r) => [r.id, r.public, r.sharedWithAccounts])).toEqual([
      ['arn:aws:ec2:us-east-1::snapshot/snap-1', true, []],
      ['arn:aws:ec2:us-east-1::snapshot/snap-2', false, ['222222222222']],
    ]);
    expect(calls.filter((c) => c === 'DescribeSnapshotAttributeCommand')).toHaveLength(2);
  });
});
