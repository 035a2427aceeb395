import { describe, expect, it } from 'vitest';
import { byName } from '../../helpers/estate.js';
import { useRegionService } from '../../helpers/region-collectors.js';

/** SQS against moto: the seeded queues, the real collector's evidence, then every sqs control against test/fixtures/estate/sqs.yaml. */
const { seeded, evidence } = useRegionService('sqs');

describe('sqs evidence', () => {
  it('sqs.queues: encryption at rest and the queue policy', () => {
    const queues = evidence().resources('sqs.queues', seeded.estate.management, 'us-east-1');
    expect(byName(queues, 'auditpack-jobs')).toMatchObject({
      id: `arn:aws:sqs:us-east-1:${seeded.estate.management}:auditpack-jobs`,
      type: 'AWS::SQS::Queue',
      sqsManagedSseEnabled: true,
      kmsMasterKeyId: null,
    });
    expect(byName(queues, 'auditpack-open')).toMatchObject({ sqsManagedSseEnabled: false, kmsMasterKeyId: null });
    expect((byName(queues, 'auditpack-open').policy as { Statement: { Sid: string }[] }).Statement.map((s) => s.Sid)).toEqual(['anyone']);
  });
});
