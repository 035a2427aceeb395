import { describe, expect, it } from 'vitest';
import { broadPeeringRoutes, naclWorldOpenPorts } from '../../../../src/rules/functions/network.js';

const entry = (over: Record<string, unknown>) => ({ ruleNumber: 100, egress: false, protocol: '-1', ruleAction: 'allow', cidrBlock: '0.0.0.0/0', ipv6CidrBlock: null, fromPort: null, toPort: null, ...over });
const DEFAULT_DENY = entry({ ruleNumber: 32767, ruleAction: 'deny' });

describe('naclWorldOpenPorts (EC2.21 / CIS 5.1)', () => {
  it('an allow-all entry opens every port over TCP and UDP', () => {
    expect(naclWorldOpenPorts([entry({}), DEFAULT_DENY], [22])).toEqual(['port 22/tcp from 0.0.0.0/0 (rule 100 allow)', 'port 22/udp from 0.0.0.0/0 (rule 100 allow)']);
  });
  it('only the default deny: nothing is open', () => {
    expect(naclWorldOpenPorts([DEFAULT_DENY], [22, 3389])).toEqual([]);
  });
  it('a lower-numbered /0 deny covering the port wins, whatever the order in the list', () => {
    const entries = [entry({ ruleNumber: 200 }), entry({ ruleNumber: 50, protocol: '6', ruleAction: 'deny', fromPort: 0, toPort: 1024 }), entry({ ruleNumber: 60, protocol: '17', ruleAction: 'deny', fromPort: 22, toPort: 22 })];
    expect(naclWorldOpenPorts(entries, [22])).toEqual([]);
    expect(naclWorldOpenPorts(entries, [3389])).toEqual(['port 3389/tcp from 0.0.0.0/0 (rule 200 allow)', 'port 3389/udp from 0.0.0.0/0 (rule 200 allow)']);
  });
  it('a higher-numbered deny does not close a port an earlier allow opened', () => {
    expect(naclWorldOpenPorts([entry({ ruleNumber: 10, protocol: '6', fromPort: 22, toPort: 22 }), entry({ ruleNumber: 20, ruleAction: 'deny' })], [22])).toEqual(['port 22/tcp from 0.0.0.0/0 (rule 10 allow)']);
  });
  it('a deny of a narrower range does not close the port to the rest of the internet', () => {
    expect(naclWorldOpenPorts([entry({ ruleNumber: 10, ruleAction: 'deny', cidrBlock: '203.0.113.0/24' }), entry({ ruleNumber: 20, protocol: '6', fromPort: 3389, toPort: 3389 })], [3389])).toEqual([
      'port 3389/tcp from 0.0.0.0/0 (rule 20 allow)',
    ]);
  });
  it('allows from narrower sources, egress entries and other protocols do not count', () => {
    expect(
      naclWorldOpenPorts(
        [entry({ cidrBlock: '10.0.0.0/8' }), entry({ ruleNumber: 1, egress: true }), entry({ ruleNumber: 2, protocol: '1' }), entry({ ruleNumber: 3, protocol: '6', fromPort: 23, toPort: 1000 })],
        [22, 3389],
      ),
    ).toEqual([]);
  });
  it('IPv6 entries are judged on their own family', () => {
    const entries = [entry({ ruleNumber: 10, ruleAction: 'deny' }), entry({ ruleNumber: 20, cidrBlock: null, ipv6CidrBlock: '::/0', protocol: '6', fromPort: 0, toPort: 65535 })];
    expect(naclWorldOpenPorts(entries, [22])).toEqual(['port 22/tcp from ::/0 (rule 20 allow)']);
  });
  it('is empty for anything but a list', () => {
    expect(naclWorldOpenPorts(null, [22])).toEqual([]);
  });
});

describe('broadPeeringRoutes (CIS 5.5)', () => {
  const route = (over: Record<string, unknown>) => ({ destinationCidrBlock: null, destinationIpv6CidrBlock: null, destinationPrefixListId: null, vpcPeeringConnectionId: 'pcx-1', ...over });
  it('routes broader than the limits via peering are listed', () => {
    expect(
      broadPeeringRoutes(
        [route({ destinationCidrBlock: '0.0.0.0/0' }), route({ destinationCidrBlock: '10.0.0.0/8' }), route({ destinationCidrBlock: '10.1.0.0/16' }), route({ destinationIpv6CidrBlock: '2600:1f18::/40' }), route({ destinationIpv6CidrBlock: '2600:1f18:1::/56' })],
        16,
        56,
      ),
    ).toEqual(['0.0.0.0/0 via pcx-1', '10.0.0.0/8 via pcx-1', '2600:1f18::/40 via pcx-1']);
  });
  it('routes not through peering and prefix lists are not judged', () => {
    expect(broadPeeringRoutes([route({ destinationCidrBlock: '0.0.0.0/0', vpcPeeringConnectionId: null }), route({ destinationPrefixListId: 'pl-1' })], 16, 56)).toEqual([]);
  });
  it('the limits are parameters', () => {
    expect(broadPeeringRoutes([route({ destinationCidrBlock: '10.1.0.0/16' })], 24n, 64n)).toEqual(['10.1.0.0/16 via pcx-1']);
  });
});
