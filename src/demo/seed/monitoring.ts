import { CloudTrailClient, UpdateTrailCommand } from '@aws-sdk/client-cloudtrail';
import { CloudWatchClient, PutMetricAlarmCommand } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient, CreateLogGroupCommand, PutMetricFilterCommand } from '@aws-sdk/client-cloudwatch-logs';
import { EnableSecurityHubCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import type { SeededIds, Seeder } from './types.js';

/** The CloudTrail log group of the management account (CIS 4.x judge the chain in its Region). */
export const TRAIL_LOG_GROUP = 'auditpack-cloudtrail';

/** CIS v3.0.0 patterns (the same text as the variants' params in controls/cloudwatch/cis-monitoring-alarms.yaml). */
const PATTERNS = {
  'cis-4-1-unauthorized-api-calls':
    '{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") || ($.sourceIPAddress!="delivery.logs.amazonaws.com") || ($.eventName!="HeadBucket") }',
  // Written without the quotes and with other spacing: the control compares terms, not text.
  'cis-4-3-root-usage': '{ ($.userIdentity.type = Root) && ($.userIdentity.invokedBy NOT EXISTS) && ($.eventType != AwsServiceEvent) }',
  'cis-4-4-iam-policy-changes':
    '{($.eventName=DeleteGroupPolicy)||($.eventName=DeleteRolePolicy)||($.eventName=DeleteUserPolicy)||($.eventName=PutGroupPolicy)||($.eventName=PutRolePolicy)||($.eventName=PutUserPolicy)||($.eventName=CreatePolicy)||($.eventName=DeletePolicy)||($.eventName=CreatePolicyVersion)||($.eventName=DeletePolicyVersion)||($.eventName=AttachRolePolicy)||($.eventName=DetachRolePolicy)||($.eventName=AttachUserPolicy)||($.eventName=DetachUserPolicy)||($.eventName=AttachGroupPolicy)||($.eventName=DetachGroupPolicy)}',
  // 4.5 without StopLogging: a filter that misses one of the benchmark's terms.
  'cis-4-5-cloudtrail-config-changes': '{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) }',
} as const;

/**
 * CIS section 4 monitoring (service `logs`). In the management account's primary Region: the organisation's
 * multi-Region trail (from the cloudtrail seeder) is wired to a CloudWatch Logs group, with metric filters for
 * CIS 4.1, 4.3 and 4.4 and an incomplete one for 4.5; the 4.1 and 4.3 alarms notify a topic with an email
 * subscriber, the 4.4 alarm a topic nobody subscribed to, and 4.5 has an alarm too (its filter is what fails).
 * Security Hub (CIS 4.16) is enabled there only. Member accounts have no multi-Region trail, so 4.1–4.15 fail.
 */
export const monitoringSeeder: Seeder = {
  service: 'logs',
  needs: ['cloudtrail'],
  async seed(target) {
    if (target.role !== 'management' || !target.primary) return {};
    const trail = target.seeded['trail/auditpack-org-trail'];
    if (!trail) throw new Error('the logs seeder needs trail/auditpack-org-trail from the cloudtrail seeder, which must run first');
    const logs = target.clients.get(CloudWatchLogsClient);
    await logs.send(new CreateLogGroupCommand({ logGroupName: TRAIL_LOG_GROUP }));
    const logGroupArn = `arn:aws:logs:${target.region}:${target.account}:log-group:${TRAIL_LOG_GROUP}:*`;
    await target.clients.get(CloudTrailClient).send(
      new UpdateTrailCommand({
        Name: trail,
        CloudWatchLogsLogGroupArn: logGroupArn,
        CloudWatchLogsRoleArn: `arn:aws:iam::${target.account}:role/auditpack-cloudtrail-to-logs`,
      }),
    );

    const sns = target.clients.get(SNSClient);
    const alerts = (await sns.send(new CreateTopicCommand({ Name: 'auditpack-security-alerts' }))).TopicArn;
    const unwatched = (await sns.send(new CreateTopicCommand({ Name: 'auditpack-unsubscribed-alerts' }))).TopicArn;
    if (!alerts || !unwatched) throw new Error('CreateTopic returned no TopicArn');
    await sns.send(new SubscribeCommand({ TopicArn: alerts, Protocol: 'email', Endpoint: 'security@example.com' }));

    const cloudwatch = target.clients.get(CloudWatchClient);
    const topicOf: Record<keyof typeof PATTERNS, string> = {
      'cis-4-1-unauthorized-api-calls': alerts,
      'cis-4-3-root-usage': alerts,
      'cis-4-4-iam-policy-changes': unwatched,
      'cis-4-5-cloudtrail-config-changes': alerts,
    };
    for (const [name, pattern] of Object.entries(PATTERNS) as [keyof typeof PATTERNS, string][]) {
      await logs.send(
        new PutMetricFilterCommand({
          logGroupName: TRAIL_LOG_GROUP,
          filterName: name,
          filterPattern: pattern,
          metricTransformations: [{ metricName: name, metricNamespace: 'CISBenchmark', metricValue: '1' }],
        }),
      );
      await cloudwatch.send(
        new PutMetricAlarmCommand({
          AlarmName: name,
          MetricName: name,
          Namespace: 'CISBenchmark',
          Statistic: 'Sum',
          Period: 300,
          EvaluationPeriods: 1,
          Threshold: 1,
          ComparisonOperator: 'GreaterThanOrEqualToThreshold',
          AlarmActions: [topicOf[name]],
        }),
      );
    }
    await target.clients.get(SecurityHubClient).send(new EnableSecurityHubCommand({ EnableDefaultStandards: false }));
    const ids: SeededIds = { 'log-group/trail': logGroupArn, 'topic/alerts': alerts, 'topic/unsubscribed': unwatched };
    return ids;
  },
};
