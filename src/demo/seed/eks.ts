import { CreateClusterCommand, EKSClient } from '@aws-sdk/client-eks';
import type { SeededIds, Seeder } from './types.js';

/**
 * EKS (issue 12): in each region a hardened cluster "ap-platform" (private endpoint only, audit logging on, secrets
 * encrypted with a KMS key) and a cluster "ap-sandbox" left at AWS's defaults (public endpoint, no control-plane
 * logging, no secrets encryption).
 */
export const eksSeeder: Seeder = {
  service: 'eks',
  async seed(target) {
    const { account, region, clients } = target;
    const eks = clients.get(EKSClient);
    const ids: SeededIds = {};
    const roleArn = `arn:aws:iam::${account}:role/auditpack-demo-eks`;
    const platform = await eks.send(
      new CreateClusterCommand({
        name: 'ap-platform',
        roleArn,
        resourcesVpcConfig: { subnetIds: [], endpointPublicAccess: false, endpointPrivateAccess: true },
        logging: { clusterLogging: [{ types: ['api', 'audit'], enabled: true }] },
        encryptionConfig: [{ resources: ['secrets'], provider: { keyArn: `arn:aws:kms:${region}:${account}:key/11111111-2222-3333-4444-555555555555` } }],
      }),
    );
    ids['cluster/ap-platform'] = platform.cluster?.arn as string;
    const sandbox = await eks.send(new CreateClusterCommand({ name: 'ap-sandbox', roleArn, resourcesVpcConfig: { subnetIds: [], endpointPublicAccess: true } }));
    ids['cluster/ap-sandbox'] = sandbox.cluster?.arn as string;
    return ids;
  },
};
