import { describe, expect, it } from 'vitest';
import { collectors } from '../../../../collectors/index.js';
import { networkAcls } from '../../../../collectors/ec2/network-acls.js';
import { routeTables } from '../../../../collectors/ec2/route-tables.js';
import { serverCertificates } from '../../../../collectors/iam/server-certificates.js';
import { ResourceSchemas } from '../../../../src/catalog/resource-schemas.js';
import { fakeClients } from '../../../helpers/fake-clients.js';

const schemas = new ResourceSchemas(collectors);

describe('ec2.network-acls', () => {
  it('normalises entries (ingress first, by rule number) and subnet associations', async () => {
    const { ctx } = fakeClients(
      {
        DescribeNetworkAcls: {
          NetworkAcls: [
            {
              NetworkAclId: 'acl-1',
              VpcId: 'vpc-1',
              IsDefault: true,
              OwnerId: '111111111111',
              Associations: [{ SubnetId: 'subnet-b' }, { SubnetId: 'subnet-a' }],
              Entries: [
                { RuleNumber: 32767, Egress: false, Protocol: '-1', RuleAction: 'deny', CidrBlock: '0.0.0.0/0' },
                { RuleNumber: 100, Egress: true, Protocol: '-1', RuleAction: 'allow', CidrBlock: '0.0.0.0/0' },
                { RuleNumber: 10, Egress: false, Protocol: '6', RuleAction: 'deny', Ipv6CidrBlock: '::/0', PortRange: { From: 22, To: 22 } },
              ],
            },
          ],
        },
      },
      { region: 'eu-west-1' },
    );
    const out = await networkAcls.collect(ctx);
    expect(out.resources).toEqual([
      {
        id: 'arn:aws:ec2:eu-west-1:111111111111:network-acl/acl-1',
        type: 'AWS::EC2::NetworkAcl',
        name: 'acl-1',
        region: 'eu-west-1',
        networkAclId: 'acl-1',
        vpcId: 'vpc-1',
        isDefault: true,
        subnetIds: ['subnet-a', 'subnet-b'],
        entries: [
          { ruleNumber: 10, egress: false, protocol: '6', ruleAction: 'deny', cidrBlock: null, ipv6CidrBlock: '::/0', fromPort: 22, toPort: 22 },
          { ruleNumber: 32767, egress: false, protocol: '-1', ruleAction: 'deny', cidrBlock: '0.0.0.0/0', ipv6CidrBlock: null, fromPort: null, toPort: null },
          { ruleNumber: 100, egress: true, protocol: '-1', ruleAction: 'allow', cidrBlock: '0.0.0.0/0', ipv6CidrBlock: null, fromPort: null, toPort: null },
        ],
      },
    ]);
    for (const r of out.resources) expect(schemas.outputProblem('ec2.network-acls', r)).toBeUndefined();
  });
});

describe('ec2.route-tables', () => {
  it('keeps every route with its peering connection', async () => {
    const { ctx } = fakeClients({
      DescribeRouteTables: {
        RouteTables: [{ RouteTableId: 'rtb-1', VpcId: 'vpc-1', Routes: [{ DestinationCidrBlock: '10.0.0.0/16', GatewayId: 'local', State: 'active' }, { DestinationCidrBlock: '0.0.0.0/0', VpcPeeringConnectionId: 'pcx-1', State: 'active' }] }],
      },
    });
    const out = await routeTables.collect(ctx);
    expect(out.resources[0]).toMatchObject({
      id: 'arn:aws:ec2:us-east-1:111111111111:route-table/rtb-1',
      routes: [
        { destinationCidrBlock: '10.0.0.0/16', vpcPeeringConnectionId: null, gatewayId: 'local' },
        { destinationCidrBlock: '0.0.0.0/0', vpcPeeringConnectionId: 'pcx-1', gatewayId: null },
      ],
    });
    for (const r of out.resources) expect(schemas.outputProblem('ec2.route-tables', r)).toBeUndefined();
  });
});

describe('iam.server-certificates', () => {
  it('lists certificates with their expiration', async () => {
    const { ctx } = fakeClients({
      ListServerCertificates: { ServerCertificateMetadataList: [{ ServerCertificateName: 'www', ServerCertificateId: 'ASCA1', Path: '/', Arn: 'arn:aws:iam::111111111111:server-certificate/www', Expiration: new Date('2030-01-01T00:00:00Z'), UploadDate: new Date('2025-01-01T00:00:00Z') }] },
    });
    const out = await serverCertificates.collect(ctx);
    expect(out.resources).toEqual([
      { id: 'arn:aws:iam::111111111111:server-certificate/www', type: 'AWS::IAM::ServerCertificate', name: 'www', serverCertificateId: 'ASCA1', path: '/', uploadDate: '2025-01-01T00:00:00.000Z', expiration: '2030-01-01T00:00:00.000Z' },
    ]);
    for (const r of out.resources) expect(schemas.outputProblem('iam.server-certificates', r)).toBeUndefined();
  });
});
