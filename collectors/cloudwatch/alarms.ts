import { CloudWatchClient, paginateDescribeAlarms, type MetricAlarm } from '@aws-sdk/client-cloudwatch';
import type { Resource } from '../../src/core/types.js';
import { collectPages, stripMetadata, type Collector } from '../types.js';
import { resourceShape, s } from '../resource-schema.js';

/** One metric alarm as the resource rules read: the metric it watches and the actions it takes in ALARM. */
export function alarmResource(alarm: MetricAlarm, region: string): Resource {
  const name = alarm.AlarmName ?? '';
  return {
    id: alarm.AlarmArn ?? name,
    type: 'AWS::CloudWatch::Alarm',
    name,
    region,
    metricName: alarm.MetricName ?? null,
    namespace: alarm.Namespace ?? null,
    actionsEnabled: alarm.ActionsEnabled !== false,
    alarmActions: [...(alarm.AlarmActions ?? [])].sort(),
  };
}

/** CloudWatch metric alarms in one region (DescribeAlarms, paginated). Composite alarms watch no metric and are not listed. */
export const cloudwatchAlarms: Collector = {
  id: 'cloudwatch.alarms',
  version: '1',
  title: 'CloudWatch metric alarms: the metric each watches and its alarm actions',
  scope: 'region',
  permissions: ['cloudwatch:DescribeAlarms'],
  resourceSchema: resourceShape(
    'AWS::CloudWatch::Alarm',
    {
      metricName: s.nullable(s.string),
      namespace: s.nullable(s.string),
      actionsEnabled: s.boolean,
      alarmActions: s.array(s.string),
    },
    { region: true },
  ),
  async collect(ctx) {
    const client = ctx.clients.get(CloudWatchClient);
    const { items, pages } = await collectPages(paginateDescribeAlarms({ client, pageSize: 100 }, { AlarmTypes: ['MetricAlarm'] }), (p) => p.MetricAlarms);
    const resources = items.map((a) => alarmResource(a, ctx.region)).sort((a, b) => a.id.localeCompare(b.id));
    return { raw: { DescribeAlarms: pages.map(stripMetadata) }, resources };
  },
};
