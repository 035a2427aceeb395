import { describe, expect, it } from 'vitest';
import { byName } from '../../helpers/estate.js';
import { useRegionService } from '../../helpers/region-collectors.js';

/** ELBv2 against moto: the seeded load balancers, the real collector's evidence, then every elbv2 control against test/fixtures/estate/elbv2.yaml. */
const { seeded, evidence } = useRegionService('elbv2');

describe('elbv2 evidence', () => {
  it('elbv2.load-balancers: attributes, listeners and zones', () => {
    const lbs = evidence().resources('elbv2.load-balancers', seeded.estate.management, 'us-east-1');
    expect(byName(lbs, 'auditpack-web')).toMatchObject({
      type: 'AWS::ElasticLoadBalancingV2::LoadBalancer',
      loadBalancerType: 'application',
      deletionProtectionEnabled: true,
      accessLogsEnabled: true,
      dropInvalidHeaderFields: true,
      desyncMitigationMode: 'defensive',
      availabilityZones: ['us-east-1a', 'us-east-1b'],
      listeners: [{ port: 80, protocol: 'HTTP', redirectsToHttps: true }],
    });
    expect(byName(lbs, 'auditpack-legacy')).toMatchObject({ deletionProtectionEnabled: false, accessLogsEnabled: false, dropInvalidHeaderFields: false, desyncMitigationMode: 'monitor', listeners: [{ port: 80, protocol: 'HTTP', redirectsToHttps: false }] });
    expect(byName(lbs, 'auditpack-single')).toMatchObject({ loadBalancerType: 'network', availabilityZones: ['us-east-1a'] });
  });
});
