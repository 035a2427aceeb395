import { describe, expect, it } from 'vitest';
import { normaliseRule, normaliseSecurityGroup } from '../../../../collectors/ec2/security-groups.js';

describe('ec2.security-groups normalisers', () => {
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
});
