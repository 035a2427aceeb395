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
];
