import { DescribeHubCommand, SecurityHubClient, type DescribeHubCommandOutput } from '@aws-sdk/client-securityhub';
import type { Resource } from '../../src/core/types.js';
import { absentOn, accountResourceId, stripMetadata, type Collector } from '../types.js';
import { resourceShape, s } from '../resource-schema.js';

/** DescribeHub answers InvalidAccessException ("Account is not subscribed to AWS Security Hub") where it is not enabled. */
const NOT_ENABLED = ['InvalidAccessException'];

/** The account's Security Hub in one region, from DescribeHub (undefined: not enabled). */
export function hubResource(account: string, region: string, hub: DescribeHubCommandOutput | undefined): Resource {
  return {
    id: accountResourceId(account),
    type: 'AWS::::Account',
    name: account,
    region,
    enabled: hub !== undefined && Boolean(hub.HubArn),
    hubArn: hub?.HubArn ?? null,
    subscribedAt: hub?.SubscribedAt ?? null,
    autoEnableControls: hub?.AutoEnableControls ?? null,
  };
}

/** Whether Security Hub is enabled in one region (CIS 4.16), as an account-level fact per region. */
export const securityhubHub: Collector = {
  id: 'securityhub.hub',
  version: '1',
  title: 'Security Hub: enabled or not, per region',
  scope: 'region',
  permissions: ['securityhub:DescribeHub'],
  resourceSchema: resourceShape(
    'AWS::::Account',
    {
      enabled: s.boolean,
      hubArn: s.nullable(s.string),
      subscribedAt: s.nullable(s.string),
      autoEnableControls: s.oneOfTypes('boolean', 'null'),
    },
    { region: true },
  ),
  async collect(ctx) {
    const hub = await absentOn(NOT_ENABLED, () => ctx.clients.get(SecurityHubClient).send(new DescribeHubCommand({})));
    return {
      raw: { DescribeHub: hub ? stripMetadata(hub) : { absent: NOT_ENABLED[0] } },
      resources: [hubResource(ctx.account, ctx.region, hub)],
    };
  },
};
