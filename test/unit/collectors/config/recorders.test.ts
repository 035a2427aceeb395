import { describe, expect, it } from 'vitest';
import { configRecorders } from '../../../../collectors/config/recorders.js';
import { fakeClients } from '../../../helpers/fake-clients.js';

describe('config.recorders', () => {
  it('uses the customer-managed recorder and ignores service-linked ones', async () => {
    const { ctx } = fakeClients({
      DescribeConfigurationRecorders: {
        ConfigurationRecorders: [
          { name: 'slr', servicePrincipal: 'securityhub.amazonaws.com', recordingGroup: { allSupported: true } },
          { name: 'default', roleARN: 'arn:aws:iam::111111111111:role/custom', recordingGroup: { allSupported: false, resourceTypes: ['AWS::S3::Bucket'], recordingStrategy: { useOnly: 'INCLUSION_BY_RESOURCE_TYPES' } } },
        ],
      },
      DescribeConfigurationRecorderStatus: { ConfigurationRecordersStatus: [{ name: 'slr', recording: true }, { name: 'default', recording: false, lastStatus: 'FAILURE' }] },
      DescribeDeliveryChannels: { DeliveryChannels: [{ name: 'default', s3BucketName: 'b' }] },
      DescribeConfigRules: { ConfigRules: [{ ConfigRuleName: 'r1' }] },
    });
    const [account] = (await configRecorders.collect(ctx)).resources;
    expect(account).toMatchObject({
      recorderPresent: true,
      recorderName: 'default',
      recording: false,
      lastStatus: 'FAILURE',
      allSupported: false,
      recordingStrategy: 'INCLUSION_BY_RESOURCE_TYPES',
      roleArn: 'arn:aws:iam::111111111111:role/custom',
      deliveryChannelPresent: true,
      configRuleCount: 1,
    });
    expect(account?.recorders).toHaveLength(2);
  });
});
