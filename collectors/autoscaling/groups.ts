import { AutoScalingClient, paginateDescribeAutoScalingGroups, type AutoScalingGroup } from '@aws-sdk/client-auto-scaling';
import type { Resource } from '../../src/core/types.js';
import { collectPages, stripMetadata, type Collector } from '../types.js';
import { resourceShape, s } from '../resource-schema.js';

/** An Auto Scaling group as DescribeAutoScalingGroups returns it → the resource autoscaling.groups emits. */
export function normaliseGroup(group: AutoScalingGroup, account: string, region: string): Resource {
  const name = group.AutoScalingGroupName ?? '';
  return {
    id: group.AutoScalingGroupARN ?? `arn:aws:autoscaling:${region}:${account}:autoScalingGroup:*:autoScalingGroupName/${name}`,
    type: 'AWS::AutoScaling::AutoScalingGroup',
    name,
    region,
    // "EC2" or "ELB" (also "EBS", "VPC_LATTICE"; several may be listed comma-separated).
    healthCheckType: group.HealthCheckType ?? null,
    loadBalancerNames: [...(group.LoadBalancerNames ?? [])].sort(),
    targetGroupArns: [...(group.TargetGroupARNs ?? [])].sort(),
    availabilityZones: [...(group.AvailabilityZones ?? [])].sort(),
    launchConfigurationName: group.LaunchConfigurationName ?? null,
    // AutoScaling.6: the instance types a mixed instances policy lists (empty: the one type of the launch configuration or template).
    instanceTypes: [...new Set((group.MixedInstancesPolicy?.LaunchTemplate?.Overrides ?? []).map((o) => o.InstanceType).filter((t): t is string => Boolean(t)))].sort(),
    launchTemplate: group.LaunchTemplate?.LaunchTemplateId ?? group.LaunchTemplate?.LaunchTemplateName ?? null,
    // A mixed instances policy names its launch template here instead.
    mixedInstancesLaunchTemplate:
      group.MixedInstancesPolicy?.LaunchTemplate?.LaunchTemplateSpecification?.LaunchTemplateId ?? group.MixedInstancesPolicy?.LaunchTemplate?.LaunchTemplateSpecification?.LaunchTemplateName ?? null,
  };
}

/** Auto Scaling DescribeAutoScalingGroups: health checks, load balancers, Availability Zones and launch source. */
export const autoscalingGroups: Collector = {
  id: 'autoscaling.groups',
  version: '1',
  title: 'EC2 Auto Scaling groups',
  scope: 'region',
  permissions: ['autoscaling:DescribeAutoScalingGroups'],
  resourceSchema: resourceShape(
    'AWS::AutoScaling::AutoScalingGroup',
    {
      healthCheckType: s.nullable(s.string),
      loadBalancerNames: s.array(s.string),
      targetGroupArns: s.array(s.string),
      availabilityZones: s.array(s.string),
      launchConfigurationName: s.nullable(s.string),
      instanceTypes: s.array(s.string),
      launchTemplate: s.nullable(s.string),
      mixedInstancesLaunchTemplate: s.nullable(s.string),
    }, { region: true },
  ),
  async collect(ctx) {
    const client = ctx.clients.get(AutoScalingClient);
    const { items, pages } = await collectPages(paginateDescribeAutoScalingGroups({ client, pageSize: 100 }, {}), (p) => p.AutoScalingGroups);
    return { raw: { DescribeAutoScalingGroups: pages.map(stripMetadata) }, resources: items.map((g) => normaliseGroup(g, ctx.account, ctx.region)) };
  },
};
