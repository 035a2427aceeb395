import {
  AttachVolumeCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateFlowLogsCommand,
  CreateSecurityGroupCommand,
  CreateSnapshotCommand,
  CreateSubnetCommand,
  CreateVolumeCommand,
  CreateVpcCommand,
  DescribeSecurityGroupsCommand,
  DescribeVpcsCommand,
  EC2Client,
  EnableEbsEncryptionByDefaultCommand,
  ModifySnapshotAttributeCommand,
  RevokeSecurityGroupEgressCommand,
  RevokeSecurityGroupIngressCommand,
  RunInstancesCommand,
  StopInstancesCommand,
  type IpPermission,
  type TrafficType,
} from '@aws-sdk/client-ec2';
import type { Status } from '../../../core/types.js';
import type { Expectation, SeedTarget } from '../types.js';

/** An AMI moto ships in every region and account. */
const DEMO_AMI = 'ami-12c6146b';

// Written out independently of collectors/ec2/arn.ts so a wrong ARN format in a collector shows up as a mismatch.
const ARN = {
  vpc: (r: string, a: string, id: string) => `arn:aws:ec2:${r}:${a}:vpc/${id}`,
  sg: (r: string, a: string, id: string) => `arn:aws:ec2:${r}:${a}:security-group/${id}`,
  volume: (r: string, a: string, id: string) => `arn:aws:ec2:${r}:${a}:volume/${id}`,
  instance: (r: string, a: string, id: string) => `arn:aws:ec2:${r}:${a}:instance/${id}`,
  snapshot: (r: string, id: string) => `arn:aws:ec2:${r}::snapshot/${id}`,
};

const tags = (resource: 'vpc' | 'security-group' | 'volume' | 'instance' | 'snapshot' | 'subnet', name: string) => [{ ResourceType: resource, Tags: [{ Key: 'Name', Value: name }] }];

/** EC2.13 / EC2.14 / EC2.53 / EC2.54 expectations of one security group, in that order. */
type PortVerdicts = [Status, Status, Status, Status];
const PORT_CONTROLS = ['ec2-sg-no-open-ssh', 'ec2-sg-no-open-rdp', 'ec2-sg-no-open-admin-ports-ipv4', 'ec2-sg-no-open-admin-ports-ipv6'];
const CLOSED: PortVerdicts = ['PASS', 'PASS', 'PASS', 'PASS'];

interface SgSpec {
  name: string;
  ingress: IpPermission[];
  verdicts: PortVerdicts;
}

function securityGroupSpecs(primary: boolean): SgSpec[] {
  const specs: SgSpec[] = [
    { name: 'ssh-from-anywhere', ingress: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0', Description: 'bastion' }] }], verdicts: ['FAIL', 'PASS', 'FAIL', 'PASS'] },
    { name: 'rdp-from-anywhere-v6', ingress: [{ IpProtocol: 'tcp', FromPort: 3389, ToPort: 3389, Ipv6Ranges: [{ CidrIpv6: '::/0' }] }], verdicts: ['PASS', 'FAIL', 'PASS', 'FAIL'] },
    {
      name: 'web-restricted-admin',
      ingress: [
        { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '0.0.0.0/0' }], Ipv6Ranges: [{ CidrIpv6: '::/0' }] },
        { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '10.0.0.0/8' }] },
      ],
      verdicts: CLOSED,
    },
  ];
  if (!primary) specs.push({ name: 'all-traffic-v4', ingress: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }], verdicts: ['FAIL', 'FAIL', 'FAIL', 'PASS'] });
  return specs;
}

/** VPCs, security groups, instances, volumes, snapshots and EBS default encryption for one account and region. */
export async function seedEc2(target: SeedTarget): Promise<Expectation[]> {
  const { account, region, primary, clients } = target;
  const ec2 = clients.get(EC2Client);
  const out: Expectation[] = [];
  const expect = (control: string, resourceId: string, status: Status) => out.push({ control, account, region, resourceId, status });
  const az = `${region}a`;

  // --- VPCs: "app" (flow logs, closed default SG), "legacy" (no useful flow log), and moto's default VPC.
  const app = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.20.0.0/16', TagSpecifications: tags('vpc', 'app') }))).Vpc?.VpcId as string;
  const legacy = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.30.0.0/16', TagSpecifications: tags('vpc', 'legacy') }))).Vpc?.VpcId as string;
  const defaultVpc = (await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'is-default', Values: ['true'] }] }))).Vpcs?.[0]?.VpcId;
  const flowLog = (vpc: string, traffic: TrafficType) =>
    ec2.send(
      new CreateFlowLogsCommand({
        ResourceIds: [vpc],
        ResourceType: 'VPC',
        TrafficType: traffic,
        LogDestinationType: 'cloud-watch-logs',
        LogGroupName: `/auditpack-demo/flow-logs/${vpc}`,
        DeliverLogsPermissionArn: `arn:aws:iam::${account}:role/flow-logs-delivery`,
      }),
    );
  await flowLog(app, primary ? 'REJECT' : 'ALL');
  // An ACCEPT-only flow log misses the rejected traffic EC2.6 is about.
  if (!primary) await flowLog(legacy, 'ACCEPT');
  expect('vpc-flow-logs-enabled', ARN.vpc(region, account, app), 'PASS');
  expect('vpc-flow-logs-enabled', ARN.vpc(region, account, legacy), 'FAIL');
  if (defaultVpc) expect('vpc-flow-logs-enabled', ARN.vpc(region, account, defaultVpc), 'FAIL');

  // --- Default security groups: close the app VPC's; leave moto's defaults (allow-all egress) elsewhere.
  const vpcIds = [app, legacy, ...(defaultVpc ? [defaultVpc] : [])];
  const defaults = (
    await ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'group-name', Values: ['default'] }, { Name: 'vpc-id', Values: vpcIds }] }))
  ).SecurityGroups ?? [];
  for (const group of defaults) {
    const id = group.GroupId as string;
    const closed = group.VpcId === app;
    if (closed) {
      if (group.IpPermissionsEgress?.length) await ec2.send(new RevokeSecurityGroupEgressCommand({ GroupId: id, IpPermissions: group.IpPermissionsEgress }));
      if (group.IpPermissions?.length) await ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: id, IpPermissions: group.IpPermissions }));
    }
    expect('vpc-default-security-group-closed', ARN.sg(region, account, id), closed ? 'PASS' : 'FAIL');
    // Default groups never allow ingress from the internet, so the port controls pass for them.
    PORT_CONTROLS.forEach((control) => expect(control, ARN.sg(region, account, id), 'PASS'));
  }

  // --- Purpose-built security groups in the app VPC.
  let restrictedSg = '';
  for (const spec of securityGroupSpecs(primary)) {
    const id = (
      await ec2.send(new CreateSecurityGroupCommand({ GroupName: spec.name, Description: `auditpack demo: ${spec.name}`, VpcId: app, TagSpecifications: tags('security-group', spec.name) }))
    ).GroupId as string;
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: id, IpPermissions: spec.ingress }));
    spec.verdicts.forEach((status, i) => expect(PORT_CONTROLS[i] as string, ARN.sg(region, account, id), status));
    if (spec.name === 'web-restricted-admin') restrictedSg = id;
  }

  // --- Instances: IMDSv2 required with an encrypted root volume, and IMDSv1 allowed with a plain one.
  const subnet = (await ec2.send(new CreateSubnetCommand({ VpcId: app, CidrBlock: '10.20.1.0/24', AvailabilityZone: az, TagSpecifications: tags('subnet', 'app-a') }))).Subnet
    ?.SubnetId as string;
  const launch = async (name: string, tokens: 'required' | 'optional', encryptedRoot: boolean) => {
    const instance = (
      await ec2.send(
        new RunInstancesCommand({
          ImageId: DEMO_AMI,
          InstanceType: 't3.micro',
          MinCount: 1,
          MaxCount: 1,
          SubnetId: subnet,
          SecurityGroupIds: [restrictedSg],
          MetadataOptions: { HttpTokens: tokens, HttpEndpoint: 'enabled' },
          BlockDeviceMappings: [{ DeviceName: '/dev/sda1', Ebs: { VolumeSize: 8, Encrypted: encryptedRoot, DeleteOnTermination: true } }],
          TagSpecifications: tags('instance', name),
        }),
      )
    ).Instances?.[0];
    const instanceId = instance?.InstanceId as string;
    const rootVolume = instance?.BlockDeviceMappings?.[0]?.Ebs?.VolumeId as string;
    expect('ec2-imdsv2-required', ARN.instance(region, account, instanceId), tokens === 'required' ? 'PASS' : 'FAIL');
    expect('ec2-attached-volumes-encrypted', ARN.volume(region, account, rootVolume), encryptedRoot ? 'PASS' : 'FAIL');
    return instanceId;
  };
  const modern = await launch('app-imdsv2', 'required', true);
  const legacyInstance = await launch('legacy-imdsv1', 'optional', false);

  // --- Data volumes: one encrypted and one plain attached, one plain left unattached (out of EC2.3's scope).
  const volume = async (name: string, encrypted: boolean) =>
    (await ec2.send(new CreateVolumeCommand({ AvailabilityZone: az, Size: 10, VolumeType: 'gp3', Encrypted: encrypted, TagSpecifications: tags('volume', name) }))).VolumeId as string;
  const dataEncrypted = await volume('data-encrypted', true);
  const dataPlain = await volume('data-plain', false);
  await volume('spare-unattached', false);
  await ec2.send(new AttachVolumeCommand({ VolumeId: dataEncrypted, InstanceId: modern, Device: '/dev/sdf' }));
  await ec2.send(new AttachVolumeCommand({ VolumeId: dataPlain, InstanceId: legacyInstance, Device: '/dev/sdf' }));
  expect('ec2-attached-volumes-encrypted', ARN.volume(region, account, dataEncrypted), 'PASS');
  expect('ec2-attached-volumes-encrypted', ARN.volume(region, account, dataPlain), 'FAIL');
  // A stopped instance is still in EC2.8's scope.
  if (!primary) await ec2.send(new StopInstancesCommand({ InstanceIds: [legacyInstance] }));

  // --- Snapshots: the plain volume's is public (restorable by anyone), the encrypted one's private
  // (shared with one named account outside the primary region, which is still not public).
  const snapshot = async (volumeId: string, name: string) =>
    (await ec2.send(new CreateSnapshotCommand({ VolumeId: volumeId, Description: name, TagSpecifications: tags('snapshot', name) }))).SnapshotId as string;
  const privateSnap = await snapshot(dataEncrypted, 'data-encrypted-backup');
  const publicSnap = await snapshot(dataPlain, 'data-plain-backup');
  await ec2.send(new ModifySnapshotAttributeCommand({ SnapshotId: publicSnap, Attribute: 'createVolumePermission', OperationType: 'add', GroupNames: ['all'] }));
  if (!primary) {
    await ec2.send(new ModifySnapshotAttributeCommand({ SnapshotId: privateSnap, Attribute: 'createVolumePermission', OperationType: 'add', UserIds: ['444455556666'] }));
  }
  expect('ec2-snapshots-not-public', ARN.snapshot(region, privateSnap), 'PASS');
  expect('ec2-snapshots-not-public', ARN.snapshot(region, publicSnap), 'FAIL');

  // --- EBS encryption by default: on in the primary region only (turned on last, as a remediation would be).
  if (primary) await ec2.send(new EnableEbsEncryptionByDefaultCommand({}));
  expect('ec2-ebs-default-encryption', `AWS::::Account:${account}`, primary ? 'PASS' : 'FAIL');
  return out;
}
