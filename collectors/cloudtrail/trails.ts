import { CloudTrailClient, DescribeTrailsCommand, GetEventSelectorsCommand, GetTrailStatusCommand, type Trail } from '@aws-sdk/client-cloudtrail';
import type { Resource } from '../../src/core/types.js';
import { ResourceCalls } from '../../src/collect/resource-calls.js';
import { accountResourceId, stripMetadata, type CollectContext, type Collector } from '../types.js';
import { managementEventCoverage, s3DataEventCoverage, type ManagementEventCoverage } from './event-selectors.js';
import { byType, resourceShape, s } from '../resource-schema.js';
import { trailFields } from './trail-resource.js';
import { trailFromConfig } from './trail-config-item.js';
import { preferConfigItems } from '../config/prefer-items.js';
export { trailFields };

/** The fields GetEventSelectors fills: every part of the management-event coverage derived from the selectors. */
const COVERAGE: Record<keyof ManagementEventCoverage, true> = {
  includeManagementEvents: true,
  managementEventsRead: true,
  managementEventsWrite: true,
  readWriteType: true,
  selectorSource: true,
};
const SELECTOR_FIELDS = [...Object.keys(COVERAGE), 's3DataEventsRead', 's3DataEventsWrite']; // + S3 data events (S3.22/S3.23)

/**
 * CloudTrail trails visible from one region: the region's own trails plus multi-region (shadow) trails homed
 * elsewhere, so every region can answer "is a multi-region trail logging here?" (CloudTrail.1). Status and event
 * selectors are read from the trail's home region, where every trail answers for itself.
 * Also emits one AWS::::Account resource per region for the account-level CloudTrail.1 verdict.
 */
export const cloudtrailTrails: Collector = {
  id: 'cloudtrail.trails',
  version: '1',
  title: 'CloudTrail trails with logging status and management-event selectors',
  scope: 'region',
  permissions: ['cloudtrail:DescribeTrails', 'cloudtrail:GetTrailStatus', 'cloudtrail:GetEventSelectors'],
  resourceSchema: byType({
      'AWS::::Account': resourceShape(
        'AWS::::Account',
        {
          trailCount: s.integer,
          multiRegionTrailCount: s.integer,
        }, { region: true },
      ),
      'AWS::CloudTrail::Trail': resourceShape(
        'AWS::CloudTrail::Trail',
        {
          homeRegion: s.string,
          isShadow: s.boolean,
          isMultiRegion: s.boolean,
          isOrganizationTrail: s.boolean,
          isLogging: s.boolean,
          logFileValidation: s.boolean,
          kmsKeyId: s.nullable(s.string),
          kmsEncrypted: s.boolean,
          s3BucketName: s.nullable(s.string),
          includeGlobalServiceEvents: s.boolean,
          includeManagementEvents: s.boolean,
          managementEventsRead: s.boolean,
          managementEventsWrite: s.boolean,
          readWriteType: s.enum('ALL', 'READ_ONLY', 'WRITE_ONLY', 'NONE'),
          selectorSource: s.enum('advanced', 'classic', 'default', 'none'),
          s3DataEventsRead: s.boolean,
          s3DataEventsWrite: s.boolean,
          cloudWatchLogsLogGroupArn: s.string,
        }, { region: true, optional: ['cloudWatchLogsLogGroupArn'] },
      ),
  }),
  async collect(ctx) {
    const described = await ctx.clients.get(CloudTrailClient).send(new DescribeTrailsCommand({ includeShadowTrails: true }));
    const trails = dedupeByArn(described.trailList ?? []).sort((a, b) => (a.TrailARN as string).localeCompare(b.TrailARN as string));
    const judged = await ctx.map(trails, (trail) => describeTrail(ctx, trail));
    // Merged in ARN order so the evidence is byte-stable whatever order the calls finished in.
    // DescribeTrails stays authoritative (shadow trails); under --source config, items stand in for what they hold.
    const preferred = await preferConfigItems(ctx, 'AWS::CloudTrail::Trail', judged.map((j) => j.resource), (_r, i) => [trails[i]?.Name, trails[i]?.TrailARN], trailFromConfig);
    const raw: Record<string, unknown> = { DescribeTrails: stripMetadata(described), ...preferred.raw };
    for (const j of judged) Object.assign(raw, j.raw);
    const resources = preferred.resources;
    const account: Resource = {
      id: accountResourceId(ctx.account),
      type: 'AWS::::Account',
      name: ctx.account,
      region: ctx.region,
      trailCount: resources.length,
      multiRegionTrailCount: resources.filter((r) => r.isMultiRegion).length,
    };
    return { raw, resources: [account, ...resources] };
  },
};

/**
 * One trail: its status and event selectors, read from its home region. A call refused for this trail leaves
 * out only the fields it fills (isLogging, or the management-event coverage); the rest of the trail is judged.
 */
async function describeTrail(ctx: CollectContext, trail: Trail): Promise<{ resource: Resource; raw: Record<string, unknown> }> {
  const calls = new ResourceCalls();
  const arn = trail.TrailARN as string;
  const homeRegion = trail.HomeRegion ?? ctx.region;
  const home = ctx.clients.get(CloudTrailClient, { region: homeRegion });
  const [status, selectors] = await Promise.all([
    calls.call(`GetTrailStatus:${arn}`, ['isLogging'], () => home.send(new GetTrailStatusCommand({ Name: arn }))),
    calls.call(`GetEventSelectors:${arn}`, SELECTOR_FIELDS, () => home.send(new GetEventSelectorsCommand({ TrailName: arn }))),
  ]);
  const events = managementEventCoverage((selectors.ok ? selectors.value : undefined) ?? {}, trail.HasCustomEventSelectors === true);
  const resource = calls.resource({
    ...trailFields(trail, ctx.region),
    isLogging: status.ok && status.value?.IsLogging === true,
    ...events,
    ...s3DataEventCoverage((selectors.ok ? selectors.value : undefined) ?? {}),
  });
  return { resource, raw: calls.raw };
}

/** DescribeTrails with shadow trails can name a trail more than once; the ARN is its identity. */
function dedupeByArn(trails: Trail[]): Trail[] {
  const byArn = new Map<string, Trail>();
  for (const trail of trails) if (trail.TrailARN && !byArn.has(trail.TrailARN)) byArn.set(trail.TrailARN, trail);
  return [...byArn.values()];
}
