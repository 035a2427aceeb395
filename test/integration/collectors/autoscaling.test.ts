import { describe, expect, it } from 'vitest';
import { byName } from '../../helpers/estate.js';
import { useRegionService } from '../../helpers/region-collectors.js';

/**
 * Auto Scaling against moto (issue 12): the demo organisation seeded in both regions with real SDK calls, the real
 * collectors' normalised evidence, then the pipeline for every control on it against test/fixtures/estate/autoscaling.yaml.
 */
const { seeded, evidence } = useRegionService('autoscaling');

describe('autoscaling evidence', () => {
  it('autoscaling.groups: health checks, load balancers and zones', () => {
    const groups = evidence().resources('autoscaling.groups', seeded.estate.management, 'us-east-1');
    expect(byName(groups, 'ap-web-asg')).toMatchObject({ type: 'AWS::AutoScaling::AutoScalingGroup', healthCheckType: 'ELB', loadBalancerNames: ['ap-web-asg-elb'], availabilityZones: ['us-east-1a', 'us-east-1b'], launchConfigurationName: 'ap-web-lc' });
    expect(byName(groups, 'ap-batch-asg')).toMatchObject({ healthCheckType: 'EC2', loadBalancerNames: [], targetGroupArns: [], launchConfigurationName: null });
    expect(byName(groups, 'ap-batch-asg')).toMatchObject({ launchTemplate: null, instanceTypes: ['t3.micro', 't3a.micro'] });
    expect(byName(groups, 'ap-batch-asg').mixedInstancesLaunchTemplate).toMatch(/^lt-/);
  });

  it('autoscaling.launch-configurations: metadata options and public IP', () => {
    const lcs = evidence().resources('autoscaling.launch-configurations', seeded.estate.member, 'eu-west-1');
    expect(byName(lcs, 'ap-web-lc')).toMatchObject({ type: 'AWS::AutoScaling::LaunchConfiguration', httpTokens: 'required', associatePublicIpAddress: false });
    expect(byName(lcs, 'ap-legacy-lc')).toMatchObject({ httpTokens: 'optional', associatePublicIpAddress: true });
  });
});
