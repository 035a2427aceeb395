import { describe, expect, it } from 'vitest';
import { byName } from '../../helpers/estate.js';
import { useRegionService } from '../../helpers/region-collectors.js';

/**
 * EKS against moto (issue 12): the demo organisation seeded in both regions with real SDK calls, the real
 * collector's normalised evidence, then the pipeline for every control on it against test/fixtures/estate/eks.yaml.
 */
const { seeded, evidence } = useRegionService('eks');

describe('eks evidence', () => {
  it('eks.clusters: endpoint exposure, logging and secrets encryption', () => {
    const clusters = evidence().resources('eks.clusters', seeded.estate.management, 'us-east-1');
    expect(byName(clusters, 'ap-platform')).toMatchObject({
      id: `arn:aws:eks:us-east-1:${seeded.estate.management}:cluster/ap-platform`,
      type: 'AWS::EKS::Cluster',
      endpointPublicAccess: false,
      endpointPrivateAccess: true,
      enabledLogTypes: ['api', 'audit'],
      secretsEncrypted: true,
    });
    expect(byName(clusters, 'ap-sandbox')).toMatchObject({ endpointPublicAccess: true, enabledLogTypes: [], secretsEncrypted: false });
  });
});
