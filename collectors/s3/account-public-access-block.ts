import { GetPublicAccessBlockCommand, S3ControlClient } from '@aws-sdk/client-s3-control';
import { absentOn, accountResourceId, stripMetadata, type Collector } from '../types.js';
import { resourceShape, s } from '../resource-schema.js';
import { configItemsRaw, provenanceOf } from '../../src/collect/config-source.js';
import type { ConfigItem, Provenance, Resource } from '../../src/core/types.js';

const KEYS = ['blockPublicAcls', 'ignorePublicAcls', 'blockPublicPolicy', 'restrictPublicBuckets'] as const;

/** The account's settings from an AWS::S3::AccountPublicAccessBlock item, or undefined when it has not that shape. */
export function accountBlockFromItem(item: ConfigItem): { BlockPublicAcls: boolean; IgnorePublicAcls: boolean; BlockPublicPolicy: boolean; RestrictPublicBuckets: boolean } | undefined {
  const c = item.configuration as Record<string, unknown> | null;
  if (c === null || typeof c !== 'object' || Array.isArray(c) || !KEYS.every((k) => c[k] === undefined || c[k] === null || typeof c[k] === 'boolean')) return undefined;
  return { BlockPublicAcls: c.blockPublicAcls === true, IgnorePublicAcls: c.ignorePublicAcls === true, BlockPublicPolicy: c.blockPublicPolicy === true, RestrictPublicBuckets: c.restrictPublicBuckets === true };
}

/** S3 Control GetPublicAccessBlock: the account-wide Block Public Access settings (S3.1). */
export const accountPublicAccessBlock: Collector = {
  id: 's3.account-public-access-block',
  version: '1',
  title: 'S3 account-level Block Public Access',
  scope: 'account',
  permissions: ['s3:GetAccountPublicAccessBlock'],
  resourceSchema: resourceShape(
    'AWS::::Account',
    {
      configured: s.boolean,
      blockPublicAcls: s.boolean,
      ignorePublicAcls: s.boolean,
      blockPublicPolicy: s.boolean,
      restrictPublicBuckets: s.boolean,
    },
  ),
  async collect(ctx) {
    // An item exists only while the account has the settings; without one (or a fresh one) the call says.
    const item = (await ctx.config?.items('AWS::S3::AccountPublicAccessBlock', [ctx.account]))?.get(ctx.account);
    const fromItem = item && accountBlockFromItem(item);
    if (item && fromItem) return { raw: configItemsRaw([item]), resources: [accountBlock(ctx.account, fromItem, provenanceOf(item, []))] };
    const response = await absentOn(['NoSuchPublicAccessBlockConfiguration'], () =>
      ctx.clients.get(S3ControlClient).send(new GetPublicAccessBlockCommand({ AccountId: ctx.account })),
    );
    const config = response?.PublicAccessBlockConfiguration;
    return {
      raw: { GetPublicAccessBlock: response ? stripMetadata(response) : { absent: 'NoSuchPublicAccessBlockConfiguration' } },
      resources: [accountBlock(ctx.account, config)],
    };
  },
};

function accountBlock(account: string, config: { BlockPublicAcls?: boolean; IgnorePublicAcls?: boolean; BlockPublicPolicy?: boolean; RestrictPublicBuckets?: boolean } | undefined, provenance?: Provenance): Resource {
  return {
    id: accountResourceId(account),
    type: 'AWS::::Account',
    name: account,
    configured: Boolean(config),
    blockPublicAcls: config?.BlockPublicAcls === true,
    ignorePublicAcls: config?.IgnorePublicAcls === true,
    blockPublicPolicy: config?.BlockPublicPolicy === true,
    restrictPublicBuckets: config?.RestrictPublicBuckets === true,
    ...(provenance ? { provenance } : {}),
  };
}
