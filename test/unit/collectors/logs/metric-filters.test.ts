import { describe, expect, it } from 'vitest';
import { metricFilterResource } from '../../../../collectors/logs/metric-filters.js';
import { alarmResource } from '../../../../collectors/cloudwatch/alarms.js';

describe('logs.metric-filters and cloudwatch.alarms normalisers', () => {
  it('names a metric filter by its log group and name', () => {
    expect(
      metricFilterResource(
        { filterName: 'root', logGroupName: 'trail', filterPattern: '{ $.userIdentity.type = "Root" }', metricTransformations: [{ metricName: 'RootUsage', metricNamespace: 'CIS', metricValue: '1' }] },
        '111111111111',
        'us-east-1',
      ),
    ).toEqual({
      id: 'arn:aws:logs:us-east-1:111111111111:log-group:trail:metric-filter:root',
      type: 'AWS::Logs::MetricFilter',
      name: 'root',
      region: 'us-east-1',
      logGroupName: 'trail',
      filterPattern: '{ $.userIdentity.type = "Root" }',
      metricTransformations: [{ metricName: 'RootUsage', metricNamespace: 'CIS', metricValue: '1' }],
    });
  });
  it('reads an alarm\'s metric and sorted actions', () => {
    expect(alarmResource({ AlarmName: 'a', AlarmArn: 'arn:aws:cloudwatch:us-east-1:1:alarm:a', MetricName: 'M', Namespace: 'N', AlarmActions: ['arn:b', 'arn:a'] }, 'us-east-1')).toEqual({
      id: 'arn:aws:cloudwatch:us-east-1:1:alarm:a',
      type: 'AWS::CloudWatch::Alarm',
      name: 'a',
      region: 'us-east-1',
      metricName: 'M',
      namespace: 'N',
      actionsEnabled: true,
      alarmActions: ['arn:a', 'arn:b'],
    });
  });
});
