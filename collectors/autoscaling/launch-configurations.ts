import { AutoScalingClient, paginateDescribeLaunchConfigurations, type LaunchConfiguration } from '@aws-sdk/client-auto-scaling';
import type { Resource } from '../../src/core/types.js';
import { collectPages, stripMetadata, type Collector } from '../types.js';
import { resourceShape, s } from '../resource-schema.js';

/** A launch configuration as DescribeLaunchConfigurations returns it → the resource autoscaling.launch-configurations emits. */
export function normaliseLaunchConfiguration(lc: LaunchConfiguration, account: string, region: string): Resource {
  const name = lc.LaunchConfigurationName ?? '';
  return {
    id: lc.LaunchConfigurationARN ?? `arn:aws:autoscaling:${region}:${account}:launchConfiguration:*:launchConfigurationName/${name}`,
    type: 'AWS::AutoScaling::LaunchConfiguration',
    name,
    region,
    imageId: lc.ImageId ?? null,
    // null when the configuration does not say (the instance then gets the subnet's default).
    associatePublicIpAddress: lc.AssociatePublicIpAddress ?? null,
    // "required" = IMDSv2 only; null when the configuration sets no metadata options (IMDSv1 allowed).
    httpTokens: lc.MetadataOptions?.HttpTokens ?? null,
    httpEndpoint: lc.MetadataOptions?.HttpEndpoint ?? null,
  };
}

/** Auto Scaling DescribeLaunchConfigurations: instance metadata options and public IP association. */
export const autoscalingLaunchConfigurations: Collector = {
  id: 'autoscaling.launch-configurations',
  version: '1',
  title: 'EC2 Auto Scaling launch configurations',
  scope: 'region',
  permissions: ['autoscaling:DescribeLaunchConfigurations'],
  resourceSchema: resourceShape(
    'AWS::AutoScaling::LaunchConfiguration',
    {
      imageId: s.nullable(s.string),
      associatePublicIpAddress: s.nullable(s.boolean),
      httpTokens: s.nullable(s.string),
      httpEndpoint: s.nullable(s.string),
    }, { region: true },
  ),
  async collect(ctx) {
    const client = ctx.clients.get(AutoScalingClient);
    const { items, pages } = await collectPages(paginateDescribeLaunchConfigurations({ client, pageSize: 100 }, {}), (p) => p.LaunchConfigurations);
    return { raw: { DescribeLaunchConfigurations: pages.map(stripMetadata) }, resources: items.map((lc) => normaliseLaunchConfiguration(lc, ctx.account, ctx.region)) };
  },
};
