import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { SeededIds, Seeder } from './types.js';

/**
 * SQS: an SSE-SQS jobs queue whose policy admits only one SNS topic (by aws:SourceArn) in every Region, and an
 * unencrypted queue open to everyone in the primary Region. Ids: `queue/<name>` → ARN.
 */
export const sqsSeeder: Seeder = {
  service: 'sqs',
  async seed(target) {
    const sqs = target.clients.get(SQSClient);
    const ids: SeededIds = {};
    const specs = [{ name: 'auditpack-jobs', hardened: true }, ...(target.primary ? [{ name: 'auditpack-open', hardened: false }] : [])];
    for (const spec of specs) {
      const arn = `arn:aws:sqs:${target.region}:${target.account}:${spec.name}`;
      const statement = spec.hardened
        ? { Sid: 'alerts-only', Effect: 'Allow', Principal: '*', Action: 'sqs:SendMessage', Resource: arn, Condition: { ArnEquals: { 'aws:SourceArn': `arn:aws:sns:${target.region}:${target.account}:auditpack-alerts` } } }
        : { Sid: 'anyone', Effect: 'Allow', Principal: '*', Action: 'sqs:SendMessage', Resource: arn };
      const created = await sqs.send(
        new CreateQueueCommand({
          QueueName: spec.name,
          Attributes: { SqsManagedSseEnabled: String(spec.hardened), Policy: JSON.stringify({ Version: '2012-10-17', Statement: [statement] }) },
        }),
      );
      const attrs = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: created.QueueUrl, AttributeNames: ['QueueArn'] }));
      const queueArn = attrs.Attributes?.QueueArn;
      if (!queueArn) throw new Error(`CreateQueue ${spec.name} returned no ARN`);
      ids[`queue/${spec.name}`] = queueArn;
    }
    return ids;
  },
};
