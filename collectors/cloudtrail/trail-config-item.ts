/**
 * AWS::CloudTrail::Trail configuration item → the resource cloudtrail.trails emits (issue 11).
 *
 * Item shape (awslabs/aws-config-resource-schema `AWS::CloudTrail::Trail.properties.json`; rdk example_ci
 * AWS_CloudTrail_Trail.json, where `resourceId` is the trail name): `configuration = {name, trailARN, homeRegion,
 * s3BucketName, s3KeyPrefix, includeGlobalServiceEvents, isMultiRegionTrail, isOrganizationTrail,
 * logFileValidationEnabled, kmsKeyId, hasCustomEventSelectors, hasInsightSelectors, cloudWatchLogs…, snsTopic…}`.
 * There is no IsLogging and no (advanced) event selectors: isLogging and the management-event coverage are read
 * live (GetTrailStatus, GetEventSelectors in the home region). Whether shadow trails have items outside their home
 * region is not established, so the collector keeps DescribeTrails(includeShadowTrails) as its listing.
 */
import type { Trail } from '@aws-sdk/client-cloudtrail';
import type { ConfigItem, Resource } from '../../src/core/types.js';
import { bool, Missing, obj, placement, text, textOrNull } from '../config/fields-config-item.js';
import { trailFields } from './trail-resource.js';

const NOT_IN_ITEM = ['isLogging', 'includeManagementEvents', 'managementEventsRead', 'managementEventsWrite', 'readWriteType', 'selectorSource', 's3DataEventsRead', 's3DataEventsWrite'];

/** The trail an item describes and the fields it could not fill; undefined when it does not identify one. */
export function trailFromConfig(item: ConfigItem): { resource: Resource; missing: string[] } | undefined {
  const c = obj(item.configuration);
  const where = placement(item);
  const arn = text(c?.trailARN);
  const name = text(c?.name, 256);
  const homeRegion = text(c?.homeRegion, 32);
  if (!c || !where || !arn?.startsWith('arn:') || !name || !homeRegion) return undefined;
  const missing = new Missing();
  missing.add(...NOT_IN_ITEM);
  const kmsKeyId = missing.need(textOrNull(c.kmsKeyId), 'kmsKeyId', 'kmsEncrypted');
  const trail: Trail = {
    TrailARN: arn,
    Name: name,
    HomeRegion: homeRegion,
    IsMultiRegionTrail: missing.need(bool(c.isMultiRegionTrail), 'isMultiRegion'),
    IsOrganizationTrail: missing.need(bool(c.isOrganizationTrail), 'isOrganizationTrail'),
    LogFileValidationEnabled: missing.need(bool(c.logFileValidationEnabled), 'logFileValidation'),
    KmsKeyId: kmsKeyId ?? undefined,
    S3BucketName: missing.need(textOrNull(c.s3BucketName), 's3BucketName') ?? undefined,
    IncludeGlobalServiceEvents: missing.need(bool(c.includeGlobalServiceEvents), 'includeGlobalServiceEvents'),
    // The item's cloudWatchLogsLogGroupArn (absent where the trail delivers to no log group, as live).
    CloudWatchLogsLogGroupArn: text(c.cloudWatchLogsLogGroupArn) ?? undefined,
  };
  return missing.apply(trailFields(trail, where.region));
}
