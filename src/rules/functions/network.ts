import type { CelFunction } from './types.js';

/**
 * Security group reasoning for EC2.13 / EC2.14 / EC2.53 / EC2.54. Rules are the normalised shape the
 * `ec2.security-groups` collector emits: `{protocol, fromPort, toPort, ipv4Ranges, ipv6Ranges, referencedGroups}`.
 */
export interface SecurityGroupRule {
  protocol: string;
  fromPort?: number | null;
  toPort?: number | null;
  ipv4Ranges?: string[];
  ipv6Ranges?: string[];
  referencedGroups?: string[];
}

export type IpType = 'IPv4' | 'IPv6' | 'any';

/** Protocols that carry ports; '-1' (all traffic) carries every port. Numbers are IANA protocol numbers. */
const PORT_PROTOCOLS = new Set(['tcp', 'udp', '6', '17']);
const ALL_TRAFFIC = new Set(['-1', 'all']);

function asNumber(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'bigint') return Number(value);
  return undefined;
}

/** True when an ingress rule lets traffic reach `port` (all-traffic rules, and tcp/udp ranges containing it). */
export function ruleCoversPort(rule: SecurityGroupRule, port: number): boolean {
  const protocol = String(rule.protocol ?? '').toLowerCase();
  if (ALL_TRAFFIC.has(protocol)) return true;
  if (!PORT_PROTOCOLS.has(protocol)) return false;
  const from = asNumber(rule.fromPort);
  const to = asNumber(rule.toPort);
  // A tcp/udp rule without ports (or -1) means every port.
  if (from === undefined || to === undefined || from === -1 || to === -1) return true;
  return from <= port && port <= to;
}

/** A CIDR with prefix length 0 is "the whole internet" (0.0.0.0/0, ::/0, ::0/0). */
function isWorldCidr(cidr: string): boolean {
  return /\/0$/.test(cidr.trim());
}

function worldCidrs(rule: SecurityGroupRule, ipType: IpType): string[] {
  const v4 = ipType === 'IPv6' ? [] : (rule.ipv4Ranges ?? []);
  const v6 = ipType === 'IPv4' ? [] : (rule.ipv6Ranges ?? []);
  return [...v4, ...v6].filter((c) => typeof c === 'string' && isWorldCidr(c));
}

function parseIpType(value: unknown): IpType {
  const v = String(value ?? 'any').toLowerCase();
  if (v === 'ipv4') return 'IPv4';
  if (v === 'ipv6') return 'IPv6';
  if (v === 'any' || v === 'both' || v === '') return 'any';
  throw new Error(`unknown ipType "${String(value)}": use IPv4, IPv6 or any`);
}

function parsePorts(value: unknown): number[] {
  const list = Array.isArray(value) ? value : [value];
  return list.map((p) => {
    const n = asNumber(p);
    if (n === undefined) throw new Error(`port must be a number, got ${JSON.stringify(p)}`);
    return n;
  });
}

function describeRule(rule: SecurityGroupRule): string {
  const protocol = String(rule.protocol);
  if (ALL_TRAFFIC.has(protocol)) return 'all traffic';
  const from = asNumber(rule.fromPort);
  const to = asNumber(rule.toPort);
  if (from === undefined || to === undefined) return `${protocol} all ports`;
  return from === to ? `${protocol} ${from}` : `${protocol} ${from}-${to}`;
}

/**
 * Ingress rules that open any of `ports` to the world, as readable strings ("tcp 22 from 0.0.0.0/0");
 * empty when none. `ipType` IPv4 looks at 0.0.0.0/0 only (EC2.53), IPv6 at ::/0 only (EC2.54), any at both.
 */
export function openWorldIngress(rules: unknown, ports: unknown, ipType: unknown = 'any'): string[] {
  if (!Array.isArray(rules)) return [];
  const wanted = parsePorts(ports);
  const type = parseIpType(ipType);
  const found = new Set<string>();
  for (const rule of rules as SecurityGroupRule[]) {
    const cidrs = worldCidrs(rule, type);
    if (cidrs.length === 0) continue;
    const open = wanted.filter((port) => ruleCoversPort(rule, port));
    const described = describeRule(rule);
    for (const port of open) {
      const what = described === `${rule.protocol} ${port}` ? described : `port ${port} via ${described}`;
      for (const cidr of cidrs) found.add(`${what} from ${cidr}`);
    }
  }
  return [...found].sort();
}

/** The subset of `ports` that some ingress rule opens to the world. */
export function openWorldPorts(rules: unknown, ports: unknown, ipType: unknown = 'any'): number[] {
  if (!Array.isArray(rules)) return [];
  const type = parseIpType(ipType);
  return parsePorts(ports).filter((port) => (rules as SecurityGroupRule[]).some((rule) => worldCidrs(rule, type).length > 0 && ruleCoversPort(rule, port)));
}

/** True when some ingress rule opens `port` to 0.0.0.0/0 or ::/0 (restricted by `ipType`). */
export function ingressOpenToWorld(rules: unknown, port: unknown, ipType: unknown = 'any'): boolean {
  return openWorldPorts(rules, [port], ipType).length > 0;
}

/**
 * A network ACL entry as `ec2.network-acls` emits it. Protocol is an IANA number as a string ("-1" = all,
 * "6" = TCP, "17" = UDP); a port range only applies to TCP and UDP.
 */
export interface NaclEntry {
  ruleNumber: number;
  egress: boolean;
  protocol: string;
  ruleAction: string;
  cidrBlock?: string | null;
  ipv6CidrBlock?: string | null;
  fromPort?: number | null;
  toPort?: number | null;
}

const NACL_PROTOCOLS: Record<string, string> = { '6': 'tcp', '17': 'udp' };

function naclEntryCovers(entry: NaclEntry, protocol: '6' | '17', port: number): boolean {
  const p = String(entry.protocol ?? '').toLowerCase();
  if (ALL_TRAFFIC.has(p)) return true;
  if (p !== protocol && NACL_PROTOCOLS[p] !== NACL_PROTOCOLS[protocol]) return false;
  const from = asNumber(entry.fromPort);
  const to = asNumber(entry.toPort);
  if (from === undefined || to === undefined) return true;
  return from <= port && port <= to;
}

/**
 * Inbound traffic from the whole internet (0.0.0.0/0 over IPv4, ::/0 over IPv6) that a network ACL lets reach
 * any of `ports` over TCP or UDP, as readable strings ("port 22/tcp from 0.0.0.0/0 (rule 100 allow)"); empty when
 * none. Evaluated as AWS does: ingress entries in ascending rule number, the first entry that matches decides. An
 * entry decides for the whole internet only when its CIDR is /0: a lower-numbered /0 DENY covering the port
 * closes it, a lower-numbered DENY of a narrower range does not (the rest of the internet still gets through to a
 * later /0 ALLOW). Security Hub EC2.21 / CIS 5.1.
 */
export function naclWorldOpenPorts(entries: unknown, ports: unknown): string[] {
  if (!Array.isArray(entries)) return [];
  const wanted = parsePorts(ports);
  const inbound = (entries as NaclEntry[]).filter((e) => e && e.egress !== true).sort((a, b) => Number(asNumber(a.ruleNumber) ?? 0) - Number(asNumber(b.ruleNumber) ?? 0));
  const found: string[] = [];
  for (const family of ['IPv4', 'IPv6'] as const) {
    for (const port of wanted) {
      for (const protocol of ['6', '17'] as const) {
        for (const entry of inbound) {
          const cidr = family === 'IPv4' ? entry.cidrBlock : entry.ipv6CidrBlock;
          if (typeof cidr !== 'string' || !isWorldCidr(cidr)) continue;
          if (!naclEntryCovers(entry, protocol, port)) continue;
          if (String(entry.ruleAction).toLowerCase() === 'allow') found.push(`port ${port}/${NACL_PROTOCOLS[protocol]} from ${cidr} (rule ${String(entry.ruleNumber)} allow)`);
          break;
        }
      }
    }
  }
  return found;
}

/** A route as `ec2.route-tables` emits it (the fields read here). */
export interface RouteEntry {
  destinationCidrBlock?: string | null;
  destinationIpv6CidrBlock?: string | null;
  vpcPeeringConnectionId?: string | null;
}

function prefixLength(cidr: string): number | undefined {
  const m = /\/(\d{1,3})$/.exec(cidr.trim());
  return m ? Number(m[1]) : undefined;
}

/**
 * VPC peering routes (a route with a VpcPeeringConnectionId) whose destination is broader than the given prefix
 * lengths, as readable strings ("0.0.0.0/0 via pcx-1"). A VPC's IPv4 block is at most a /16 and its IPv6 block a
 * /56, so a broader peering route sends more than the peer VPC could ever hold (CIS 5.5 "least access"). Prefix
 * list destinations are not judged.
 */
export function broadPeeringRoutes(routes: unknown, minIpv4Prefix: unknown, minIpv6Prefix: unknown): string[] {
  if (!Array.isArray(routes)) return [];
  const v4 = asNumber(minIpv4Prefix) ?? 16;
  const v6 = asNumber(minIpv6Prefix) ?? 56;
  const found: string[] = [];
  for (const route of routes as RouteEntry[]) {
    if (!route?.vpcPeeringConnectionId) continue;
    for (const [cidr, min] of [[route.destinationCidrBlock, v4], [route.destinationIpv6CidrBlock, v6]] as const) {
      if (typeof cidr !== 'string') continue;
      const length = prefixLength(cidr);
      if (length === undefined || length < min) found.push(`${cidr} via ${route.vpcPeeringConnectionId}`);
    }
  }
  return found;
}

export const networkFunctions: CelFunction[] = [
  {
    signature: 'openWorldIngress(dyn, dyn, dyn): list<string>',
    description:
      'Ingress rules opening any of the ports (int or list) to the world, as readable strings; ipType "IPv4" (0.0.0.0/0), "IPv6" (::/0) or "any". Protocol -1 and port ranges count.',
    handler: openWorldIngress as CelFunction['handler'],
  },
  {
    signature: 'openWorldPorts(dyn, dyn, dyn): list',
    description: 'The subset of the ports that some ingress rule opens to the world (ipType "IPv4", "IPv6" or "any")',
    handler: openWorldPorts as CelFunction['handler'],
  },
  {
    signature: 'ingressOpenToWorld(dyn, dyn, dyn): bool',
    description: 'True when some ingress rule opens the port to the world (ipType "IPv4", "IPv6" or "any")',
    handler: ingressOpenToWorld as CelFunction['handler'],
  },
  {
    signature: 'naclWorldOpenPorts(dyn, dyn): list<string>',
    description:
      'Network ACL entries (ec2.network-acls) evaluated in rule-number order: the ports that TCP or UDP traffic from 0.0.0.0/0 or ::/0 can reach, as readable strings (a lower-numbered /0 deny wins)',
    handler: naclWorldOpenPorts as CelFunction['handler'],
  },
  {
    signature: 'broadPeeringRoutes(dyn, dyn, dyn): list<string>',
    description: 'VPC peering routes (ec2.route-tables) broader than the IPv4 / IPv6 prefix lengths given, as readable strings',
    handler: broadPeeringRoutes as CelFunction['handler'],
  },
];
