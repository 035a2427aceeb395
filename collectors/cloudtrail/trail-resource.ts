import type { Trail } from '@aws-sdk/client-cloudtrail';
import type { Resource } from '../../src/core/types.js';

/**
 * The fields DescribeTrails fills (everything but isLogging and the management-event coverage); shared with the
 * Config item path (trail-config-item.ts). `trail.TrailARN` must be set.
 */
export function trailFields(trail: Trail, region: string): Resource {
  const arn = trail.TrailARN as string;
  const homeRegion = trail.HomeRegion ?? region;
  return {
    id: arn,
    type: 'AWS::CloudTrail::Trail',
    name: trail.Name ?? arn,
    region,
    homeRegion,
    // A shadow trail is judged (CloudTrail.2/.4) in its home region only, not once per region.
    isShadow: homeRegion !== region,
    isMultiRegion: trail.IsMultiRegionTrail === true,
    isOrganizationTrail: trail.IsOrganizationTrail === true,
    logFileValidation: trail.LogFileValidationEnabled === true,
    kmsKeyId: trail.KmsKeyId ?? null,
    kmsEncrypted: Boolean(trail.KmsKeyId),
    s3BucketName: trail.S3BucketName ?? null,
    includeGlobalServiceEvents: trail.IncludeGlobalServiceEvents === true,
    // CIS 4.1–4.15: the log group the trail delivers to; absent (an optional field) when it delivers to none.
    ...(trail.CloudWatchLogsLogGroupArn ? { cloudWatchLogsLogGroupArn: trail.CloudWatchLogsLogGroupArn } : {}),
  };
}
