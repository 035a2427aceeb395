import { CloudWatchLogsClient, paginateDescribeMetricFilters, type MetricFilter } from '@aws-sdk/client-cloudwatch-logs';
import type { Resource } from '../../src/core/types.js';
import { collectPages, stripMetadata, type Collector } from '../types.js';
import { resourceShape, s } from '../resource-schema.js';

/**
 * A metric filter has no ARN of its own: it is named by its log group and its name, so its id is the log group's
 * ARN with the filter's name appended (unique within the account and region).
 */
export function metricFilterId(account: string, region: string, logGroupName: string, filterName: string): string {
  return `arn:aws:logs:${region}:${account}:log-group:${logGroupName}:metric-filter:${filterName}`;
}

/** One DescribeMetricFilters entry as the resource rules read (CIS 4.1–4.15: pattern and the metric it feeds). */
export function metricFilterResource(filter: MetricFilter, account: string, region: string): Resource {
  const logGroupName = filter.logGroupName ?? '';
  const name = filter.filterName ?? '';
  return {
    id: metricFilterId(account, region, logGroupName, name),
    type: 'AWS::Logs::MetricFilter',
    name,
    region,
    logGroupName,
    filterPattern: filter.filterPattern ?? '',
    metricTransformations: (filter.metricTransformations ?? []).map((t) => ({
      metricName: t.metricName ?? '',
      metricNamespace: t.metricNamespace ?? '',
      metricValue: t.metricValue ?? '',
    })),
  };
}

/** CloudWatch Logs metric filters of every log group in one region (one paginated listing). */
export const logsMetricFilters: Collector = {
  id: 'logs.metric-filters',
  version: '1',
  title: 'CloudWatch Logs metric filters: log group, filter pattern and the metrics they publish',
  scope: 'region',
  permissions: ['logs:DescribeMetricFilters'],
  resourceSchema: resourceShape(
    'AWS::Logs::MetricFilter',
    {
      logGroupName: s.string,
      filterPattern: s.string,
      metricTransformations: s.array(s.object({ metricName: s.string, metricNamespace: s.string, metricValue: s.string })),
    },
    { region: true },
  ),
  async collect(ctx) {
    const client = ctx.clients.get(CloudWatchLogsClient);
    const { items, pages } = await collectPages(paginateDescribeMetricFilters({ client, pageSize: 50 }, {}), (p) => p.metricFilters);
    const resources = items
      .map((f) => metricFilterResource(f, ctx.account, ctx.region))
      .sort((a, b) => a.id.localeCompare(b.id));
    return { raw: { DescribeMetricFilters: pages.map(stripMetadata) }, resources };
  },
};
