import {
  AuthorizeSecurityGroupIngressCommand,
  CreateFlowLogsCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateTransitGatewayCommand,
  CreateVpcEndpointCommand,
  CreateVpcCommand,
  DescribeSecurityGroupsCommand,
  DescribeVpcsCommand,
  EC2Client,
  ModifySubnetAttributeCommand,
  RevokeSecurityGroupEgressCommand,
  RevokeSecurityGroupIngressCommand,
  type IpPermission,
  type TrafficType,
} from '@aws-sdk/client-ec2';
import type { SeededIds, Seeder } from './types.js';

export const nameTag = (resource: 'vpc' | 'security-group' | 'volume' | 'instance' | 'snapshot' | 'subnet', name: string) => [
  { ResourceType: resource, Tags: [{ Key: 'Name', Value: name }] },
];

interface SgSpec {
  name: string;
  ingress: IpPermission[];
}

function securityGroupSpecs(primary: boolean): SgSpec[] {
  const specs: SgSpec[] = [
    { name: 'ssh-from-anywhere', ingress: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0', Description: 'bastion' }] }] },
    { name: 'rdp-from-anywhere-v6', ingress: [{ IpProtocol: 'tcp', FromPort: 3389, ToPort: 3389, Ipv6Ranges: [{ CidrIpv6: '::/0' }] }] },
    {
      name: 'web-restricted-admin',
      ingress: [
        { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '0.0.0.0/0' }], Ipv6Ranges: [{ CidrIpv6: '::/0' }] },
        { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '10.0.0.0/8' }] },
      ],
    },
  ];
  if (!primary) specs.push({ name: 'all-traffic-v4', ingress: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] });
  return specs;
}

/**
 * VPCs "app" (flow logs, closed default security group, a subnet) and "legacy" (no useful flow log) next to
 * moto's default VPC, and security groups in the app VPC: SSH open to the internet, RDP open over IPv6, a web
 * group with admin ports restricted, and (outside the primary region) everything open over IPv4.
 */
export const vpcSeeder: Seeder = {
  service: 'vpc',
  async seed(target) {
    const { account, region, primary, clients } = target;
    const ec2 = clients.get(EC2Client);
    const ids: SeededIds = {};
    const app = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.20.0.0/16', TagSpecifications: nameTag('vpc', 'app') }))).Vpc?.VpcId as string;
    const legacy = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.30.0.0/16', TagSpecifications: nameTag('vpc', 'legacy') }))).Vpc?.VpcId as string;
    const defaultVpc = (await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'is-default', Values: ['true'] }] }))).Vpcs?.[0]?.VpcId;
    Object.assign(ids, { 'vpc/app': app, 'vpc/legacy': legacy }, defaultVpc ? { 'vpc/default': defaultVpc } : {});
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

    // Default security groups: close the app VPC's; leave moto's defaults (allow-all egress) elsewhere.
    const vpcNames = new Map(Object.entries(ids).map(([name, id]) => [id, name.slice('vpc/'.length)]));
    const defaults = (
      await ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'group-name', Values: ['default'] }, { Name: 'vpc-id', Values: [...vpcNames.keys()] }] }))
    ).SecurityGroups ?? [];
    for (const group of defaults) {
      const id = group.GroupId as string;
      ids[`sg/${vpcNames.get(group.VpcId as string)}/default`] = id;
      const closed = group.VpcId === app;
      if (closed) {
        if (group.IpPermissionsEgress?.length) await ec2.send(new RevokeSecurityGroupEgressCommand({ GroupId: id, IpPermissions: group.IpPermissionsEgress }));
        if (group.IpPermissions?.length) await ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: id, IpPermissions: group.IpPermissions }));
      }
    }

    for (const spec of securityGroupSpecs(primary)) {
      const id = (
        await ec2.send(new CreateSecurityGroupCommand({ GroupName: spec.name, Description: `auditpack demo: ${spec.name}`, VpcId: app, TagSpecifications: nameTag('security-group', spec.name) }))
      ).GroupId as string;
      await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: id, IpPermissions: spec.ingress }));
      ids[`sg/${spec.name}`] = id;
    }
    ids['subnet/app-a'] = (
      await ec2.send(new CreateSubnetCommand({ VpcId: app, CidrBlock: '10.20.1.0/24', AvailabilityZone: `${region}a`, TagSpecifications: nameTag('subnet', 'app-a') }))
    ).Subnet?.SubnetId as string;
    // EC2.15: a subnet that gives every instance launched in it a public IPv4 address.
    const publicSubnet = (
      await ec2.send(new CreateSubnetCommand({ VpcId: app, CidrBlock: '10.20.2.0/24', AvailabilityZone: `${region}b`, TagSpecifications: nameTag('subnet', 'public-b') }))
    ).Subnet?.SubnetId as string;
    await ec2.send(new ModifySubnetAttributeCommand({ SubnetId: publicSubnet, MapPublicIpOnLaunch: { Value: true } }));
    ids['subnet/public-b'] = publicSubnet;
    // EC2.10: an interface endpoint for the EC2 API in the app VPC only.
    await ec2.send(new CreateVpcEndpointCommand({ VpcId: app, ServiceName: `com.amazonaws.${region}.ec2`, VpcEndpointType: 'Interface', SubnetIds: [publicSubnet] }));
    // EC2.23: a transit gateway that accepts shared attachments on its own, and one that asks its owner.
    for (const [name, accept] of [['tgw-auto-accept', 'enable'], ['tgw-manual-accept', 'disable']] as const) {
      const tgw = await ec2.send(new CreateTransitGatewayCommand({ Description: name, Options: { AutoAcceptSharedAttachments: accept } }));
      ids[`tgw/${name}`] = tgw.TransitGateway?.TransitGatewayId as string;
    }
    return ids;
  },
};
