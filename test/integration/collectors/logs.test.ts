import { beforeAll, describe, expect, it } from 'vitest';
import { collectorsOf } from '../../../collectors/index.js';
import { DEMO_REGIONS } from '../../../src/demo/estate.js';
import { TRAIL_LOG_GROUP } from '../../../src/demo/seed/monitoring.js';
import { byName, expectCleanCollection, useSeededEstate, type Evidence } from '../../helpers/estate.js';

const [US, EU] = DEMO_REGIONS as [string, string];
/** CIS section 4: the trail (cloudtrail), its log group's metric filters (logs), alarms (cloudwatch), topics (sns), Security Hub. */
const monitoringCollectors = collectorsOf('cloudtrail', 'logs', 'cloudwatch', 'sns', 'securityhub');

/**
 * CIS 4.1–4.16 against moto: the demo organisation seeded with the logs seeder (and the cloudtrail, kms ... seeders
 * it needs) in both regions, the real collectors' evidence, then the pipeline for every control on that evidence
 * against test/fixtures/estate/{logs,cloudtrail}.yaml.
 */
describe('CloudWatch Logs, CloudWatch, SNS and Security Hub collectors against moto', () => {
  const seeded = useSeededEstate('logs');
  let evidence: Evidence;
  const resources = (account: string, region: string, id: string) => evidence.resources(id, account, region);

  beforeAll(async () => {
    evidence = await seeded.collect(monitoringCollectors);
  }, 240_000);

  it('collects every source without error in both accounts', () => expectCleanCollection(evidence, monitoringCollectors, DEMO_REGIONS));

  it('reads the organisation trail\'s CloudWatch Logs group in every region (the shadow trail included)', () => {
    const arn = `arn:aws:logs:${US}:${seeded.estate.management}:log-group:${TRAIL_LOG_GROUP}:*`;
    for (const region of DEMO_REGIONS) {
      expect(byName(resources(seeded.estate.management, region, 'cloudtrail.trails'), 'auditpack-org-trail')).toMatchObject({ isMultiRegion: true, cloudWatchLogsLogGroupArn: arn });
    }
    for (const trail of resources(seeded.estate.member, US, 'cloudtrail.trails').filter((t) => t.type === 'AWS::CloudTrail::Trail')) {
      expect(trail).not.toHaveProperty('cloudWatchLogsLogGroupArn');
    }
  });

  it('reads metric filters with their pattern and metric, and the alarms on those metrics', () => {
    const filters = resources(seeded.estate.management, US, 'logs.metric-filters');
    expect(filters.map((f) => f.name).sort()).toEqual(['cis-4-1-unauthorized-api-calls', 'cis-4-3-root-usage', 'cis-4-4-iam-policy-changes', 'cis-4-5-cloudtrail-config-changes']);
    expect(byName(filters, 'cis-4-3-root-usage')).toMatchObject({
      id: `arn:aws:logs:${US}:${seeded.estate.management}:log-group:${TRAIL_LOG_GROUP}:metric-filter:cis-4-3-root-usage`,
      logGroupName: TRAIL_LOG_GROUP,
      metricTransformations: [{ metricName: 'cis-4-3-root-usage', metricNamespace: 'CISBenchmark', metricValue: '1' }],
    });
    expect(resources(seeded.estate.management, EU, 'logs.metric-filters')).toEqual([]);
    const alarms = resources(seeded.estate.management, US, 'cloudwatch.alarms');
    expect(byName(alarms, 'cis-4-4-iam-policy-changes')).toMatchObject({
      metricName: 'cis-4-4-iam-policy-changes',
      namespace: 'CISBenchmark',
      alarmActions: [`arn:aws:sns:${US}:${seeded.estate.management}:auditpack-unsubscribed-alerts`],
    });
    expect(resources(seeded.estate.member, US, 'cloudwatch.alarms')).toEqual([]);
  });

  it('counts confirmed subscriptions per topic', () => {
    const topics = resources(seeded.estate.management, US, 'sns.topics');
    expect(byName(topics, 'auditpack-security-alerts')).toMatchObject({ subscriptions: [{ protocol: 'email', confirmed: true }], confirmedSubscriptionCount: 1 });
    expect(byName(topics, 'auditpack-unsubscribed-alerts')).toMatchObject({ subscriptions: [], confirmedSubscriptionCount: 0 });
  });

  it('moto gap: an email subscription is confirmed at once (AWS leaves it PendingConfirmation until the address confirms)', () => {
    // AWS answers SubscriptionArn "PendingConfirmation" for an unconfirmed email subscription, which the collector does
    // not count (unit-tested); moto gives every subscription an ARN, so the seeded email subscriber counts as confirmed.
    const topic = byName(resources(seeded.estate.management, US, 'sns.topics'), 'auditpack-security-alerts');
    expect(topic.confirmedSubscriptionCount).toBe(1);
  });

  it('reads Security Hub as enabled only where it was enabled (InvalidAccessException elsewhere)', () => {
    expect(resources(seeded.estate.management, US, 'securityhub.hub')[0]).toMatchObject({
      enabled: true,
      hubArn: `arn:aws:securityhub:${US}:${seeded.estate.management}:hub/default`,
    });
    for (const [account, region] of [
      [seeded.estate.management, EU],
      [seeded.estate.member, US],
      [seeded.estate.member, EU],
    ] as const) {
      expect(resources(account, region, 'securityhub.hub')[0]).toMatchObject({ enabled: false, hubArn: null });
    }
  });

  it('every control on this evidence gives the fixture\'s verdicts, and judges CIS 4.x only in the log group\'s region', async () => {
    const { controls, mismatches, results } = await seeded.assessControlsOf(monitoringCollectors);
    expect(results.controls.map((c) => c.id).sort()).toEqual([...controls].sort());
    expect(mismatches).toEqual([]);
    for (const c of results.controls) for (const r of c.results) expect(r.status, `${c.id} ${r.resourceId}: ${r.message}`).not.toBe('ERROR');
    const cis = results.controls.filter((c) => /^cis-4-\d+-/.test(c.id));
    expect(cis).toHaveLength(16);
    for (const c of cis.filter((c) => c.id !== 'cis-4-16-securityhub-enabled')) {
      expect(c.results.filter((r) => r.account === seeded.estate.management && r.region === EU), c.id).toEqual([]);
    }
    const byId = (id: string) => results.controls.find((c) => c.id === id);
    const mine = (id: string) => byId(id)?.results.find((r) => r.account === seeded.estate.management && r.region === US)?.message;
    expect(mine('cis-4-4-iam-policy-changes-alarm')).toMatch(/alarm cis-4-4-iam-policy-changes on metric filter cis-4-4-iam-policy-changes notifies no SNS topic with a confirmed subscription/);
    expect(mine('cis-4-5-cloudtrail-config-changes-alarm')).toMatch(/no metric filter on log group auditpack-cloudtrail \(trail auditpack-org-trail\) has the benchmark pattern/);
  }, 180_000);
});
