import type { Collector } from '../core/collector.js';

/** Calls the engine itself makes, outside any collector (scope discovery). */
export const ENGINE_PERMISSIONS = ['ec2:DescribeRegions', 'organizations:ListAccounts', 'sts:GetCallerIdentity'];

/**
 * The engine's reads of AWS Config as an evidence source (--source auto|config, src/collect/config-source.ts):
 * listings and batch gets per account, their aggregator forms, and the recorder settings `auto` decides with.
 */
export const CONFIG_SOURCE_PERMISSIONS = [
  'config:BatchGetAggregateResourceConfig',
  'config:BatchGetResourceConfig',
  'config:DescribeConfigurationAggregatorSourcesStatus',
  'config:DescribeConfigurationRecorderStatus',
  'config:DescribeConfigurationRecorders',
  'config:ListAggregateDiscoveredResources',
  'config:ListDiscoveredResources',
];

export interface IamPolicy {
  Version: '2012-10-17';
  Statement: { Sid: string; Effect: 'Allow'; Action: string[]; Resource: '*' }[];
}

/** The least-privilege, read-only policy for the audit role: the union of what the collectors declare. */
export function auditorPolicy(collectors: readonly Collector[]): IamPolicy {
  const actions = new Set<string>([...ENGINE_PERMISSIONS, ...CONFIG_SOURCE_PERMISSIONS]);
  for (const c of collectors) for (const p of c.permissions) actions.add(p);
  return {
    Version: '2012-10-17',
    Statement: [{ Sid: 'AuditpackReadOnlyEvidence', Effect: 'Allow', Action: [...actions].sort(), Resource: '*' }],
  };
}

/** Guard for the collectors' declarations: only read-style actions belong in an auditor's policy. */
export function nonReadOnlyActions(collectors: readonly Collector[]): string[] {
  const readOnly = /^[a-z0-9-]+:(Get|List|Describe|Generate|Search|Lookup|BatchGet)[A-Za-z0-9]*$/;
  return collectors.flatMap((c) => c.permissions).filter((p) => !readOnly.test(p));
}

/** The separate, write-capable policy for pushing findings (never part of the read-only audit role). */
export function securityHubPushPolicy(): IamPolicy {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'AuditpackSecurityHubPush',
        Effect: 'Allow',
        Action: ['securityhub:BatchImportFindings', 'securityhub:BatchUpdateFindings', 'securityhub:GetFindings', 'sts:GetCallerIdentity'],
        Resource: '*',
      },
    ],
  };
}
