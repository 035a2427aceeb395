import {
  AutoScalingClient,
  CreateAutoScalingGroupCommand,
  CreateLaunchConfigurationCommand,
  DescribeAutoScalingGroupsCommand,
  DescribeLaunchConfigurationsCommand,
} from '@aws-sdk/client-auto-scaling';
import { CreateLaunchTemplateCommand, EC2Client } from '@aws-sdk/client-ec2';
import type { SeededIds, Seeder } from './types.js';

/** An AMI moto ships in every region and account. */
const DEMO_AMI = 'ami-12c6146b';

/**
 * Auto Scaling (issue 12): launch configurations "ap-web-lc" (IMDSv2 required, no public IP) and "ap-legacy-lc"
 * (IMDSv1 allowed, public IP); groups "ap-web-asg" (behind a load balancer with ELB health checks, two AZs),
 * "ap-legacy-asg" (behind a load balancer with EC2 health checks, one AZ) and "ap-batch-asg" (no load balancer,
 * one AZ, launched from the launch template "ap-batch-lt" with two instance types). Groups keep no instances (capacity 0): only their configuration is audited.
 */
export const autoscalingSeeder: Seeder = {
  service: 'autoscaling',
  async seed(target) {
    const { region, clients } = target;
    const asg = clients.get(AutoScalingClient);
    const ids: SeededIds = {};
    const lc = async (name: string, hardened: boolean) => {
      await asg.send(
        new CreateLaunchConfigurationCommand({
          LaunchConfigurationName: name,
          ImageId: DEMO_AMI,
          InstanceType: 't3.micro',
          AssociatePublicIpAddress: !hardened,
          MetadataOptions: { HttpTokens: hardened ? 'required' : 'optional', HttpEndpoint: 'enabled' },
        }),
      );
      const described = await asg.send(new DescribeLaunchConfigurationsCommand({ LaunchConfigurationNames: [name] }));
      ids[`lc/${name}`] = described.LaunchConfigurations?.[0]?.LaunchConfigurationARN as string;
    };
    await lc('ap-web-lc', true);
    await lc('ap-legacy-lc', false);
    // AutoScaling.9: a launch template for the batch group (the other groups use launch configurations).
    const template = await clients.get(EC2Client).send(
      new CreateLaunchTemplateCommand({ LaunchTemplateName: 'ap-batch-lt', LaunchTemplateData: { ImageId: DEMO_AMI, InstanceType: 't3.micro', MetadataOptions: { HttpTokens: 'required' } } }),
    );
    const templateId = template.LaunchTemplate?.LaunchTemplateId as string;
    const group = async (name: string, launchConfiguration: string | undefined, zones: string[], healthCheckType: 'EC2' | 'ELB', loadBalancer: boolean) => {
      await asg.send(
        new CreateAutoScalingGroupCommand({
          AutoScalingGroupName: name,
          ...(launchConfiguration
            ? { LaunchConfigurationName: launchConfiguration }
            : {
                // AutoScaling.6/9: a mixed instances policy over the launch template, with two instance types.
                MixedInstancesPolicy: {
                  LaunchTemplate: { LaunchTemplateSpecification: { LaunchTemplateId: templateId, Version: '$Latest' }, Overrides: [{ InstanceType: 't3.micro' }, { InstanceType: 't3a.micro' }] },
                },
              }),
          MinSize: 0,
          MaxSize: 1,
          DesiredCapacity: 0,
          AvailabilityZones: zones.map((z) => `${region}${z}`),
          HealthCheckType: healthCheckType,
          ...(loadBalancer ? { LoadBalancerNames: [`${name}-elb`] } : {}),
        }),
      );
      const described = await asg.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [name] }));
      ids[`asg/${name}`] = described.AutoScalingGroups?.[0]?.AutoScalingGroupARN as string;
    };
    await group('ap-web-asg', 'ap-web-lc', ['a', 'b'], 'ELB', true);
    await group('ap-legacy-asg', 'ap-legacy-lc', ['a'], 'EC2', true);
    await group('ap-batch-asg', undefined, ['a'], 'EC2', false);
    return ids;
  },
};
