import { ConfigServiceClient, PutConfigurationRecorderCommand, PutDeliveryChannelCommand, StartConfigurationRecorderCommand } from '@aws-sdk/client-config-service';
import { ensureLogBucket } from './log-bucket.js';
import type { Seeder } from './types.js';

/**
 * AWS Config in the primary Region only (so the other Region fails Config.1). The management account records
 * with the service-linked role; member accounts with a custom role, which fails the
 * includeConfigServiceLinkedRoleCheck parameter.
 */
export const configSeeder: Seeder = {
  service: 'config',
  async seed(target) {
    if (!target.primary) {
      return {};
    }
    const { bucket, ids } = await ensureLogBucket(target);
    const config = target.clients.get(ConfigServiceClient);
    const roleARN =
      target.role === 'management'
        ? `arn:aws:iam::${target.account}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig`
        : `arn:aws:iam::${target.account}:role/auditpack-config-recorder`;
    await config.send(
      new PutConfigurationRecorderCommand({
        ConfigurationRecorder: { name: 'default', roleARN, recordingGroup: { allSupported: true, includeGlobalResourceTypes: true } },
      }),
    );
    await config.send(new PutDeliveryChannelCommand({ DeliveryChannel: { name: 'default', s3BucketName: bucket } }));
    await config.send(new StartConfigurationRecorderCommand({ ConfigurationRecorderName: 'default' }));
    return ids;
  },
};
