import { CreateRepositoryCommand, ECRClient, PutLifecyclePolicyCommand } from '@aws-sdk/client-ecr';
import type { SeededIds, Seeder } from './types.js';

/** Expire untagged images after 14 days. */
const LIFECYCLE_POLICY = JSON.stringify({
  rules: [{ rulePriority: 1, description: 'expire untagged images', selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 14 }, action: { type: 'expire' } }],
});

/**
 * ECR: a hardened api repository (scan on push, immutable tags, lifecycle policy) in every Region, a legacy
 * repository with none of them in the primary Region. Ids: `repository/<name>` → ARN.
 */
export const ecrSeeder: Seeder = {
  service: 'ecr',
  async seed(target) {
    const ecr = target.clients.get(ECRClient);
    const ids: SeededIds = {};
    const specs = [{ name: 'auditpack-api', hardened: true }, ...(target.primary ? [{ name: 'auditpack-legacy', hardened: false }] : [])];
    for (const spec of specs) {
      const created = await ecr.send(
        new CreateRepositoryCommand({
          repositoryName: spec.name,
          imageScanningConfiguration: { scanOnPush: spec.hardened },
          imageTagMutability: spec.hardened ? 'IMMUTABLE' : 'MUTABLE',
        }),
      );
      if (spec.hardened) await ecr.send(new PutLifecyclePolicyCommand({ repositoryName: spec.name, lifecyclePolicyText: LIFECYCLE_POLICY }));
      const arn = created.repository?.repositoryArn;
      if (!arn) throw new Error(`CreateRepository ${spec.name} returned no ARN`);
      ids[`repository/${spec.name}`] = arn;
    }
    return ids;
  },
};
