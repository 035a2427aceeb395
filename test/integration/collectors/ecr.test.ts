import { describe, expect, it } from 'vitest';
import { byName } from '../../helpers/estate.js';
import { useRegionService } from '../../helpers/region-collectors.js';

/** ECR against moto: the seeded repositories, the real collector's evidence, then every ecr control against test/fixtures/estate/ecr.yaml. */
const { seeded, evidence } = useRegionService('ecr');

describe('ecr evidence', () => {
  it('ecr.repositories: scanning, tag immutability, lifecycle policy', () => {
    const repos = evidence().resources('ecr.repositories', seeded.estate.management, 'us-east-1');
    expect(byName(repos, 'auditpack-api')).toMatchObject({
      id: `arn:aws:ecr:us-east-1:${seeded.estate.management}:repository/auditpack-api`,
      type: 'AWS::ECR::Repository',
      scanOnPush: true,
      imageTagMutability: 'IMMUTABLE',
      lifecyclePolicyConfigured: true,
    });
    expect(byName(repos, 'auditpack-legacy')).toMatchObject({ scanOnPush: false, imageTagMutability: 'MUTABLE', lifecyclePolicyConfigured: false, registryScanFrequency: null });
  });
});
