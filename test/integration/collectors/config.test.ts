import { describe, expect, it } from 'vitest';
import { useRegionService } from '../../helpers/region-collectors.js';

/**
 * AWS Config against moto: the demo organisation seeded in both regions with real SDK calls, the real collectors'
 * normalised evidence, then the pipeline for every control on it against test/fixtures/estate/.
 */
const { seeded, evidence } = useRegionService('config');

describe('config evidence', () => {
  it('config.recorders: one account resource per Region', () => {
    const [primary] = evidence().resources('config.recorders', seeded.estate.management, 'us-east-1');
    expect(primary).toMatchObject({
      id: `AWS::::Account:${seeded.estate.management}`,
      type: 'AWS::::Account',
      recorderPresent: true,
      recording: true,
      allSupported: true,
      includeGlobalResourceTypes: true,
      recordingStrategy: 'ALL_SUPPORTED_RESOURCE_TYPES',
      roleArn: `arn:aws:iam::${seeded.estate.management}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig`,
      deliveryChannelPresent: true,
      configRuleCount: 0,
    });
    expect(evidence().resources('config.recorders', seeded.estate.member, 'us-east-1')[0]).toMatchObject({ recording: true, roleArn: `arn:aws:iam::${seeded.estate.member}:role/auditpack-config-recorder` });
    expect(evidence().resources('config.recorders', seeded.estate.management, 'eu-west-1')).toEqual([
      expect.objectContaining({ recorderPresent: false, recording: false, roleArn: null, deliveryChannelPresent: false, recorders: [] }),
    ]);
  });
});
