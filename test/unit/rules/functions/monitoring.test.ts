import { describe, expect, it } from 'vitest';
import { cisMonitoring, logGroupOf, monitoringFunctions, patternMatches, patternTerms } from '../../../../src/rules/functions/monitoring.js';
import { compileExpression } from '../../../../src/rules/cel.js';

const ROOT = '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }';
const GROUP = 'arn:aws:logs:us-east-1:111111111111:log-group:trail-logs:*';
const trail = (over: Record<string, unknown> = {}) => ({
  type: 'AWS::CloudTrail::Trail',
  name: 'main',
  isMultiRegion: true,
  isLogging: true,
  includeManagementEvents: true,
  readWriteType: 'ALL',
  cloudWatchLogsLogGroupArn: GROUP,
  ...over,
});
const filter = (pattern = ROOT, over: Record<string, unknown> = {}) => ({
  name: 'f1',
  logGroupName: 'trail-logs',
  filterPattern: pattern,
  metricTransformations: [{ metricName: 'M', metricNamespace: 'CIS' }],
  ...over,
});
const alarm = (over: Record<string, unknown> = {}) => ({ name: 'a1', metricName: 'M', namespace: 'CIS', alarmActions: ['arn:aws:sns:us-east-1:111111111111:t'], ...over });
const topic = (confirmed = 1) => ({ id: 'arn:aws:sns:us-east-1:111111111111:t', confirmedSubscriptionCount: confirmed });

describe('patternTerms', () => {
  it('normalises whitespace, quotes and operators', () => {
    expect(patternTerms(ROOT)).toEqual(['$.eventType != AwsServiceEvent', '$.userIdentity.invokedBy NOT EXISTS', '$.userIdentity.type = Root']);
    expect(patternTerms('{($.userIdentity.type=Root)&&($.userIdentity.invokedBy   not exists)&&($.eventType!="AwsServiceEvent")}')).toEqual(patternTerms(ROOT));
  });
  it('keeps wildcards and dotted values', () => {
    expect(patternTerms('{ ($.errorCode = "*UnauthorizedOperation") || ($.sourceIPAddress!=delivery.logs.amazonaws.com) }')).toEqual([
      '$.errorCode = *UnauthorizedOperation',
      '$.sourceIPAddress != delivery.logs.amazonaws.com',
    ]);
  });
  it('gives nothing for what is not a JSON pattern', () => {
    expect(patternTerms('ERROR')).toEqual([]);
    expect(patternTerms(null)).toEqual([]);
  });
});

describe('patternMatches', () => {
  it('needs every benchmark term, in any order and spacing', () => {
    expect(patternMatches('{ ($.eventType != AwsServiceEvent) && $.userIdentity.type = Root && ($.userIdentity.invokedBy NOT EXISTS) }', ROOT)).toBe(true);
    expect(patternMatches('{ $.userIdentity.type = "Root" }', ROOT)).toBe(false);
    expect(patternMatches('{ $.userIdentity.type = "root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }', ROOT)).toBe(false);
    expect(patternMatches(ROOT, '')).toBe(false);
  });
});

describe('logGroupOf', () => {
  it.each([
    [GROUP, { region: 'us-east-1', name: 'trail-logs' }],
    ['arn:aws:logs:eu-west-1:1:log-group:/aws/cloudtrail/org', { region: 'eu-west-1', name: '/aws/cloudtrail/org' }],
    ['arn:aws:s3:::bucket', undefined],
    [null, undefined],
  ])('%s', (arn, expected) => expect(logGroupOf(arn)).toEqual(expected));
});

describe('cisMonitoring', () => {
  const judge = (trails: unknown[], filters: unknown[], alarms: unknown[], topics: unknown[], region = 'us-east-1') => cisMonitoring(trails, filters, alarms, topics, ROOT, region);
  it('passes a complete chain and names it', () => {
    expect(judge([trail()], [filter()], [alarm()], [topic()])).toEqual({ inScope: true, failure: '', chains: ['main → trail-logs → f1 → a1 → arn:aws:sns:us-east-1:111111111111:t'] });
  });
  it('fails without a qualifying trail, saying why each trail does not qualify', () => {
    expect(judge([trail({ isMultiRegion: false, isLogging: false }), trail({ name: 'b', readWriteType: 'READ_ONLY', cloudWatchLogsLogGroupArn: undefined })], [], [], []).failure).toBe(
      'no logging multi-Region trail with all management events delivers to CloudWatch Logs (trails: main (single-Region, not logging), b (management events READ_ONLY, no CloudWatch Logs))',
    );
    expect(judge([], [], [], []).failure).toMatch(/\(trails: none\)$/);
  });
  it('is out of scope in a region that sees the trail but not its log group', () => {
    expect(judge([trail()], [], [], [], 'eu-west-1')).toEqual({ inScope: false, failure: '', chains: [] });
  });
  it('reports the furthest step any chain reached', () => {
    expect(judge([trail()], [filter('{ $.eventName = X }')], [], []).failure).toBe('no metric filter on log group trail-logs (trail main) has the benchmark pattern (filters on it: f1)');
    expect(judge([trail()], [filter(ROOT, { logGroupName: 'other' })], [alarm()], [topic()]).failure).toMatch(/filters on it: none/);
    expect(judge([trail()], [filter()], [alarm({ namespace: 'Other' })], [topic()]).failure).toBe('no alarm watches metric CIS/M of metric filter f1 on log group trail-logs');
    expect(judge([trail()], [filter()], [alarm()], [topic(0)]).failure).toMatch(/^alarm a1 on metric filter f1 notifies no SNS topic with a confirmed subscription/);
    expect(judge([trail()], [filter()], [alarm({ alarmActions: ['arn:aws:automate:us-east-1:ec2:stop'] })], [topic()]).failure).toMatch(/actions: arn:aws:automate/);
  });
  it('passes when any one of several chains is complete', () => {
    const r = judge([trail(), trail({ name: 'second', cloudWatchLogsLogGroupArn: 'arn:aws:logs:us-east-1:111111111111:log-group:other' })], [filter(), filter(ROOT, { name: 'f2', logGroupName: 'other' })], [alarm()], [topic()]);
    expect(r.failure).toBe('');
    expect(r.chains).toHaveLength(2);
  });
  it('accepts CEL ints (bigint) for the subscription count', () => {
    expect(judge([trail()], [filter()], [alarm()], [{ id: 'arn:aws:sns:us-east-1:111111111111:t', confirmedSubscriptionCount: 1n }]).failure).toBe('');
  });
});

describe('monitoring functions in CEL', () => {
  it('are registered with the reads they use and compile', () => {
    expect(monitoringFunctions.map((f) => f.signature.split('(')[0])).toEqual(['cisMonitoringInScope', 'cisMonitoringFailure', 'cisMonitoringChains']);
    for (const f of monitoringFunctions) expect(f.reads).toHaveLength(6);
    expect(compileExpression('cisMonitoringFailure(r.trails, [], [], [], "{ $.a = b }", "us-east-1")')({ r: { trails: [] } })).toMatch(/trails: none/);
  });
});
