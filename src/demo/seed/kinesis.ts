import { CreateStreamCommand, DescribeStreamSummaryCommand, IncreaseStreamRetentionPeriodCommand, KinesisClient, StartStreamEncryptionCommand } from '@aws-sdk/client-kinesis';
import type { SeededIds, Seeder } from './types.js';

/**
 * Kinesis: a KMS-encrypted clickstream kept for 7 days in every Region, and an unencrypted stream with the 24-hour
 * default retention in the primary Region. Ids: `stream/<name>` → ARN.
 */
export const kinesisSeeder: Seeder = {
  service: 'kinesis',
  async seed(target) {
    const kinesis = target.clients.get(KinesisClient);
    const ids: SeededIds = {};
    const specs = [{ name: 'auditpack-clicks', hardened: true }, ...(target.primary ? [{ name: 'auditpack-raw', hardened: false }] : [])];
    for (const spec of specs) {
      await kinesis.send(new CreateStreamCommand({ StreamName: spec.name, ShardCount: 1 }));
      if (spec.hardened) {
        await kinesis.send(new StartStreamEncryptionCommand({ StreamName: spec.name, EncryptionType: 'KMS', KeyId: 'alias/aws/kinesis' }));
        await kinesis.send(new IncreaseStreamRetentionPeriodCommand({ StreamName: spec.name, RetentionPeriodHours: 168 }));
      }
      const summary = await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: spec.name }));
      const arn = summary.StreamDescriptionSummary?.StreamARN;
      if (!arn) throw new Error(`CreateStream ${spec.name} returned no ARN`);
      ids[`stream/${spec.name}`] = arn;
    }
    return ids;
  },
};
