/** ec2 Config item normalisers (issue 11): item and equivalent API answer give the same resource. moto gap: moto serves no EC2 Config types. */
import { describe, expect, it } from 'vitest';
import { instanceFromConfig } from '../../../../collectors/ec2/instance-config-item.js';
import { normaliseInstance } from '../../../../collectors/ec2/instances.js';
import { securityGroupFromConfig } from '../../../../collectors/ec2/security-group-config-item.js';
import { normaliseSecurityGroup } from '../../../../collectors/ec2/security-groups.js';
import { volumeFromConfig } from '../../../../collectors/ec2/volume-config-item.js';
import { normaliseVolume } from '../../../../collectors/ec2/volumes.js';
import { ACCOUNT, REGION, configItem, expectHostileSafe, without } from '../config/config-item-helpers.js';

// Shape: AWS Config developer guide Get-CFGAggregateResourceConfig example; aws-config-rdk AWS_EC2_SecurityGroup.json.
const SG_ITEM = configItem('AWS::EC2::SecurityGroup', 'sg-0a1b2c3d', {
  description: 'ssh',
  groupName: 'ap-ssh',
  ipPermissions: [
    { fromPort: 22, ipProtocol: 'tcp', ipv6Ranges: [{ cidrIpv6: '::/0' }], prefixListIds: [], toPort: 22, userIdGroupPairs: [], ipv4Ranges: [{ cidrIp: '0.0.0.0/0', description: 'anyone' }], ipRanges: ['0.0.0.0/0'] },
    { ipProtocol: '6', fromPort: 443, toPort: 443, ipv6Ranges: [], prefixListIds: [{ prefixListId: 'pl-1' }], userIdGroupPairs: [{ groupId: 'sg-9', userId: ACCOUNT }], ipv4Ranges: [], ipRanges: [] },
  ],
  ownerId: ACCOUNT,
  groupId: 'sg-0a1b2c3d',
  ipPermissionsEgress: [{ ipProtocol: '-1', ipv6Ranges: [], prefixListIds: [], userIdGroupPairs: [], ipv4Ranges: [{ cidrIp: '0.0.0.0/0' }], ipRanges: ['0.0.0.0/0'] }],
  vpcId: 'vpc-1',
  tags: [],
});
const SG_LIVE = normaliseSecurityGroup(
  {
    GroupId: 'sg-0a1b2c3d',
    GroupName: 'ap-ssh',
    VpcId: 'vpc-1',
    OwnerId: ACCOUNT,
    IpPermissions: [
      { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0', Description: 'anyone' }], Ipv6Ranges: [{ CidrIpv6: '::/0' }], PrefixListIds: [], UserIdGroupPairs: [] },
      { IpProtocol: '6', FromPort: 443, ToPort: 443, IpRanges: [], Ipv6Ranges: [], PrefixListIds: [{ PrefixListId: 'pl-1' }], UserIdGroupPairs: [{ GroupId: 'sg-9', UserId: ACCOUNT }] },
    ],
    IpPermissionsEgress: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }], Ipv6Ranges: [], PrefixListIds: [], UserIdGroupPairs: [] }],
  },
  ACCOUNT,
  REGION,
);

// Shape: aws-config-resource-schema AWS::EC2::Volume (state.value) and the 2017 rdk example (state as a string).
const VOLUME_ITEM = configItem('AWS::EC2::Volume', 'vol-1', {
  attachments: [{ attachTime: '2026-11-01T10:00:00.000Z', device: '/dev/xvda', instanceId: 'i-1', state: 'attached', volumeId: 'vol-1', deleteOnTermination: true }],
  availabilityZone: 'us-east-1a',
  createTime: '2026-11-01T09:59:00.000Z',
  encrypted: true,
  kmsKeyId: 'arn:aws:kms:us-east-1:123456789012:key/k1',
  size: 8,
  snapshotId: '',
  state: { value: 'in-use' },
  volumeId: 'vol-1',
  iops: 3000,
  tags: [{ key: 'Name', value: 'root' }],
  volumeType: 'gp3',
});
const VOLUME_LIVE = normaliseVolume(
  {
    VolumeId: 'vol-1',
    Attachments: [{ Device: '/dev/xvda', InstanceId: 'i-1', State: 'attached', VolumeId: 'vol-1', DeleteOnTermination: true }],
    Encrypted: true,
    KmsKeyId: 'arn:aws:kms:us-east-1:123456789012:key/k1',
    Size: 8,
    State: 'in-use',
    Tags: [{ Key: 'Name', Value: 'root' }],
    VolumeType: 'gp3',
  },
  ACCOUNT,
  REGION,
);

// Shape: aws-config-rdk AWS_EC2_Instance.json (2026); aws-config-resource-schema AWS::EC2::Instance.
const INSTANCE_ITEM = configItem('AWS::EC2::Instance', 'i-1', {
  instanceId: 'i-1',
  imageId: 'ami-1',
  instanceType: 't3.micro',
  launchTime: '2026-11-01T10:00:00.000Z',
  metadataOptions: { state: 'applied', httpTokens: 'optional', httpPutResponseHopLimit: 1, httpEndpoint: 'enabled', httpProtocolIpv6: 'disabled', instanceMetadataTags: 'disabled' },
  networkInterfaces: [{ groups: [{ groupId: 'sg-2', groupName: 'b' }], association: { publicIp: '3.3.3.3' }, subnetId: 'subnet-1', vpcId: 'vpc-1' }],
  publicIpAddress: '3.3.3.3',
  securityGroups: [{ groupName: 'b', groupId: 'sg-2' }, { groupName: 'a', groupId: 'sg-1' }],
  state: { code: 16, name: 'running' },
  subnetId: 'subnet-1',
  tags: [{ key: 'Name', value: 'web' }],
  vpcId: 'vpc-1',
});
const INSTANCE_LIVE = normaliseInstance(
  {
    InstanceId: 'i-1',
    ImageId: 'ami-1',
    InstanceType: 't3.micro',
    LaunchTime: new Date('2026-11-01T10:00:00.000Z'),
    MetadataOptions: { HttpTokens: 'optional', HttpPutResponseHopLimit: 1, HttpEndpoint: 'enabled' },
    NetworkInterfaces: [{ Groups: [{ GroupId: 'sg-2', GroupName: 'b' }] }],
    PublicIpAddress: '3.3.3.3',
    SecurityGroups: [{ GroupName: 'a', GroupId: 'sg-1' }, { GroupName: 'b', GroupId: 'sg-2' }],
    State: { Code: 16, Name: 'running' },
    SubnetId: 'subnet-1',
    Tags: [{ Key: 'Name', Value: 'web' }],
    VpcId: 'vpc-1',
  },
  ACCOUNT,
  REGION,
);

describe('ec2 Config item normalisers', () => {
  it('security group: the item gives the live resource, nothing missing', () => {
    expect(securityGroupFromConfig(SG_ITEM)).toEqual({ resource: SG_LIVE, missing: [] });
  });

  it('security group: a 2017 item with only the ipRanges string list', () => {
    const config = SG_ITEM.configuration as Record<string, unknown>;
    const old = { ...config, ipPermissionsEgress: [{ ipProtocol: '-1', ipRanges: ['0.0.0.0/0'], ipv6Ranges: [], prefixListIds: [], userIdGroupPairs: [] }] };
    expect(securityGroupFromConfig({ ...SG_ITEM, configuration: old })?.resource).toEqual(SG_LIVE);
  });

  it('security group: odd rules and names are missing, never guessed', () => {
    const config = SG_ITEM.configuration as Record<string, unknown>;
    const out = securityGroupFromConfig({ ...SG_ITEM, configuration: { ...config, ipPermissions: [{ ipProtocol: 'tcp', fromPort: '22' }], groupName: 7 } });
    expect(out).toEqual({ resource: without(SG_LIVE, ['ingress', 'groupName', 'name', 'isDefault']), missing: ['groupName', 'ingress', 'isDefault', 'name'] });
    expect(securityGroupFromConfig({ ...SG_ITEM, resourceId: 'sg-other' })).toBeUndefined();
    expectHostileSafe(securityGroupFromConfig, SG_ITEM);
  });

  it('volume: the item gives the live resource; state as a string (2017) too', () => {
    expect(volumeFromConfig(VOLUME_ITEM)).toEqual({ resource: VOLUME_LIVE, missing: [] });
    const config = VOLUME_ITEM.configuration as Record<string, unknown>;
    expect(volumeFromConfig({ ...VOLUME_ITEM, configuration: { ...config, state: 'in-use' } })?.resource).toEqual(VOLUME_LIVE);
  });

  it('volume: an unencrypted volume (kmsKeyId null) and missing tags', () => {
    const config = VOLUME_ITEM.configuration as Record<string, unknown>;
    const out = volumeFromConfig({ ...VOLUME_ITEM, configuration: { ...config, encrypted: false, kmsKeyId: null, tags: undefined } });
    expect(out?.resource).toMatchObject({ encrypted: false, kmsKeyId: null });
    expect(out?.missing).toEqual(['name']);
    expectHostileSafe(volumeFromConfig, VOLUME_ITEM);
  });

  it('instance: the item gives the live resource (groups merged and sorted as live)', () => {
    expect(instanceFromConfig(INSTANCE_ITEM)).toEqual({ resource: INSTANCE_LIVE, missing: [] });
  });

  it('instance: odd metadata options and groups are missing', () => {
    const config = INSTANCE_ITEM.configuration as Record<string, unknown>;
    const out = instanceFromConfig({ ...INSTANCE_ITEM, configuration: { ...config, metadataOptions: { httpTokens: 5 }, securityGroups: [{}], launchTime: 'soon' } });
    expect(out).toEqual({ resource: without(INSTANCE_LIVE, ['metadataOptions', 'securityGroups', 'launchTime']), missing: ['launchTime', 'metadataOptions', 'securityGroups'] });
    expectHostileSafe(instanceFromConfig, INSTANCE_ITEM);
  });
});
