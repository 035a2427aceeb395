import {
  AcceptVpcPeeringConnectionCommand,
  CreateNetworkAclCommand,
  CreateNetworkAclEntryCommand,
  CreateRouteCommand,
  CreateRouteTableCommand,
  CreateVpcPeeringConnectionCommand,
  DescribeNetworkAclsCommand,
  EC2Client,
  type CreateNetworkAclEntryCommandInput,
} from '@aws-sdk/client-ec2';
import type { SeededIds, Seeder } from './types.js';

/**
 * Network ACLs and VPC peering routes in the vpc seeder's VPCs (CIS 5.1 / EC2.21 and 5.5):
 * - `acl/app/admin-closed`: a network ACL in the app VPC whose low-numbered entries deny TCP and UDP 22 and 3389
 *   from 0.0.0.0/0 and ::/0 before allowing everything (PASS); the VPCs' default ACLs allow all inbound traffic,
 *   as AWS creates them (`acl/<vpc>/default`, FAIL);
 * - a peering connection between app and legacy, a route table in app routing one legacy subnet through it
 *   (`rtb/app-peering`, PASS) and one in legacy routing 0.0.0.0/0 through it (`rtb/legacy-peering`, FAIL).
 */
export const networkSeeder: Seeder = {
  service: 'network',
  needs: ['vpc'],
  async seed(target) {
    const ec2 = target.clients.get(EC2Client);
    const app = target.seeded['vpc/app'];
    const legacy = target.seeded['vpc/legacy'];
    if (!app || !legacy) throw new Error('the network seeder needs vpc/app and vpc/legacy from the vpc seeder, which must run first');
    const ids: SeededIds = {};

    const defaults = (await ec2.send(new DescribeNetworkAclsCommand({ Filters: [{ Name: 'vpc-id', Values: [app, legacy] }, { Name: 'default', Values: ['true'] }] }))).NetworkAcls ?? [];
    for (const acl of defaults) ids[`acl/${acl.VpcId === app ? 'app' : 'legacy'}/default`] = acl.NetworkAclId as string;

    const closed = (await ec2.send(new CreateNetworkAclCommand({ VpcId: app }))).NetworkAcl?.NetworkAclId as string;
    ids['acl/app/admin-closed'] = closed;
    const entry = (input: Omit<CreateNetworkAclEntryCommandInput, 'NetworkAclId' | 'Egress'>) => ec2.send(new CreateNetworkAclEntryCommand({ NetworkAclId: closed, Egress: false, ...input }));
    let rule = 10;
    for (const port of [22, 3389]) {
      for (const protocol of ['6', '17']) {
        await entry({ RuleNumber: rule++, Protocol: protocol, RuleAction: 'deny', CidrBlock: '0.0.0.0/0', PortRange: { From: port, To: port } });
        await entry({ RuleNumber: rule++, Protocol: protocol, RuleAction: 'deny', Ipv6CidrBlock: '::/0', PortRange: { From: port, To: port } });
      }
    }
    await entry({ RuleNumber: 100, Protocol: '-1', RuleAction: 'allow', CidrBlock: '0.0.0.0/0' });
    await entry({ RuleNumber: 101, Protocol: '-1', RuleAction: 'allow', Ipv6CidrBlock: '::/0' });

    const peering = (await ec2.send(new CreateVpcPeeringConnectionCommand({ VpcId: app, PeerVpcId: legacy }))).VpcPeeringConnection?.VpcPeeringConnectionId as string;
    await ec2.send(new AcceptVpcPeeringConnectionCommand({ VpcPeeringConnectionId: peering }));
    const routeTable = async (vpc: string, destination: string): Promise<string> => {
      const id = (await ec2.send(new CreateRouteTableCommand({ VpcId: vpc }))).RouteTable?.RouteTableId as string;
      await ec2.send(new CreateRouteCommand({ RouteTableId: id, DestinationCidrBlock: destination, VpcPeeringConnectionId: peering }));
      return id;
    };
    ids['rtb/app-peering'] = await routeTable(app, '10.30.1.0/24');
    ids['rtb/legacy-peering'] = await routeTable(legacy, '0.0.0.0/0');
    return ids;
  },
};
