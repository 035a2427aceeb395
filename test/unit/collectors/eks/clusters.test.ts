import { describe, expect, it } from 'vitest';
import { normaliseCluster } from '../../../../collectors/eks/clusters.js';

describe('eks.clusters normaliser', () => {
  it('the endpoint is public unless turned off; only enabled log types count; secrets need a key', () => {
    expect(normaliseCluster('c', { arn: 'arn:c', resourcesVpcConfig: {} }, '111111111111', 'us-east-1')).toMatchObject({ endpointPublicAccess: true, enabledLogTypes: [], secretsEncrypted: false });
    expect(
      normaliseCluster('c', {
        resourcesVpcConfig: { endpointPublicAccess: false, endpointPrivateAccess: true },
        logging: { clusterLogging: [{ types: ['audit', 'api'], enabled: true }, { types: ['scheduler'], enabled: false }] },
        encryptionConfig: [{ resources: ['secrets'], provider: { keyArn: 'arn:k' } }],
      }, '111111111111', 'us-east-1'),
    ).toMatchObject({ id: 'arn:aws:eks:us-east-1:111111111111:cluster/c', endpointPublicAccess: false, enabledLogTypes: ['api', 'audit'], secretsEncrypted: true });
  });
});
