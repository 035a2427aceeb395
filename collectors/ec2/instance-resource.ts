import type { Instance } from '@aws-sdk/client-ec2';
import type { Resource } from '../../src/core/types.js';
import { ec2Arn, nameTag } from './arn.js';

/** An instance as DescribeInstances returns it → the resource ec2.instances emits (shared with instance-config-item.ts). */
export function normaliseInstance(instance: Instance, account: string, region: string): Resource {
  // Groups are listed on the instance and on each network interface; either may be the complete list.
  const groups = new Set<string>();
  for (const g of instance.SecurityGroups ?? []) if (g.GroupId) groups.add(g.GroupId);
  for (const eni of instance.NetworkInterfaces ?? []) for (const g of eni.Groups ?? []) if (g.GroupId) groups.add(g.GroupId);
  const metadata = instance.MetadataOptions;
  return {
    id: ec2Arn(region, account, 'instance', instance.InstanceId as string),
    type: 'AWS::EC2::Instance',
    name: nameTag(instance.Tags) ?? instance.InstanceId,
    region,
    instanceId: instance.InstanceId,
    state: instance.State?.Name ?? null,
    instanceType: instance.InstanceType ?? null,
    imageId: instance.ImageId ?? null,
    vpcId: instance.VpcId ?? null,
    subnetId: instance.SubnetId ?? null,
    launchTime: instance.LaunchTime ? instance.LaunchTime.toISOString() : null,
    publicIp: instance.PublicIpAddress ?? null,
    metadataOptions: {
      // "required" = IMDSv2 only; "optional" also answers IMDSv1 requests.
      httpTokens: metadata?.HttpTokens ?? null,
      httpEndpoint: metadata?.HttpEndpoint ?? null,
      httpPutResponseHopLimit: metadata?.HttpPutResponseHopLimit ?? null,
    },
    securityGroups: [...groups].sort(),
    // CIS 1.18 (issue 12): the instance profile that gives the instance its role, or null.
    iamInstanceProfile: instance.IamInstanceProfile?.Arn ?? null,
  };
}
