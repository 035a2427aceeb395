import { describe, expect, it } from 'vitest';
import { ingressOpenToWorld, openWorldIngress, openWorldPorts, ruleCoversPort } from '../../../../src/rules/functions/network.js';

const rule = (over: Record<string, unknown>) => ({ protocol: 'tcp', fromPort: 22, toPort: 22, ipv4Ranges: [], ipv6Ranges: [], referencedGroups: [], ...over });

describe('ruleCoversPort', () => {
  it.each([
    [{ protocol: '-1', fromPort: null, toPort: null }, 22, true],
    [{ protocol: 'tcp', fromPort: 22, toPort: 22 }, 22, true],
    [{ protocol: 'tcp', fromPort: 0, toPort: 65535 }, 3389, true],
    [{ protocol: 'tcp', fromPort: 1000, toPort: 2000 }, 22, false],
    [{ protocol: 'udp', fromPort: 3389, toPort: 3389 }, 3389, true],
    [{ protocol: '6', fromPort: 20, toPort: 25 }, 22, true],
    [{ protocol: 'icmp', fromPort: -1, toPort: -1 }, 22, false],
    [{ protocol: 'tcp', fromPort: null, toPort: null }, 22, true],
  ])('%o covers %i = %s', (r, port, want) => {
    expect(ruleCoversPort(rule(r), port)).toBe(want);
  });
});

describe('openWorldIngress', () => {
  const rules = [
    rule({ fromPort: 22, toPort: 22, ipv4Ranges: ['0.0.0.0/0'] }),
    rule({ fromPort: 3389, toPort: 3389, ipv6Ranges: ['::/0'] }),
    rule({ fromPort: 443, toPort: 443, ipv4Ranges: ['0.0.0.0/0'], ipv6Ranges: ['::/0'] }),
    rule({ fromPort: 22, toPort: 22, ipv4Ranges: ['10.0.0.0/8'] }),
  ];

  it('separates IPv4 (EC2.53) from IPv6 (EC2.54)', () => {
    expect(openWorldIngress(rules, [22, 3389], 'IPv4')).toEqual(['tcp 22 from 0.0.0.0/0']);
    expect(openWorldIngress(rules, [22, 3389], 'IPv6')).toEqual(['tcp 3389 from ::/0']);
    expect(openWorldIngress(rules, [22, 3389], 'any')).toEqual(['tcp 22 from 0.0.0.0/0', 'tcp 3389 from ::/0']);
  });

  it('treats protocol -1 as every port and names ranges', () => {
    expect(openWorldIngress([rule({ protocol: '-1', fromPort: null, toPort: null, ipv4Ranges: ['0.0.0.0/0'] })], [22], 'any')).toEqual([
      'port 22 via all traffic from 0.0.0.0/0',
    ]);
    expect(openWorldIngress([rule({ fromPort: 1, toPort: 5000, ipv6Ranges: ['::/0'] })], 3389, 'IPv6')).toEqual(['port 3389 via tcp 1-5000 from ::/0']);
  });

  it('accepts CEL ints (bigint) and case-insensitive ipType', () => {
    expect(openWorldPorts(rules, [22n, 3389n], 'ipv4')).toEqual([22]);
    expect(ingressOpenToWorld(rules, 22n, 'IPV6')).toBe(false);
    expect(ingressOpenToWorld(rules, 3389, 'ipv6')).toBe(true);
  });

  it('ignores referenced groups, private ranges and non-lists', () => {
    expect(openWorldIngress([rule({ ipv4Ranges: [], referencedGroups: ['sg-1'] })], [22], 'any')).toEqual([]);
    expect(openWorldIngress(null, [22], 'any')).toEqual([]);
  });

  it('rejects an unknown ipType or a non-numeric port', () => {
    expect(() => openWorldIngress(rules, [22], 'IPv5')).toThrow(/ipType/);
    expect(() => openWorldIngress(rules, ['ssh'], 'any')).toThrow(/port/);
  });
});
