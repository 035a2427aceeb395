/** cloudtrail Config item normaliser (issue 11). moto gap: moto serves no AWS::CloudTrail::Trail items. */
import { describe, expect, it } from 'vitest';
import { trailFromConfig } from '../../../../collectors/cloudtrail/trail-config-item.js';
import { trailFields } from '../../../../collectors/cloudtrail/trails.js';
import { configItem, expectHostileSafe } from '../config/config-item-helpers.js';

const ARN = 'arn:aws:cloudtrail:us-east-1:123456789012:trail/org';
const NOT_IN_ITEM = ['includeManagementEvents', 'isLogging', 'managementEventsRead', 'managementEventsWrite', 'readWriteType', 's3DataEventsRead', 's3DataEventsWrite', 'selectorSource'];
// Shape: aws-config-rdk AWS_CloudTrail_Trail.json (resourceId = name); aws-config-resource-schema AWS::CloudTrail::Trail.
const ITEM = configItem('AWS::CloudTrail::Trail', 'org', {
  name: 'org',
  s3BucketName: 'trail-logs',
  s3KeyPrefix: null,
  includeGlobalServiceEvents: true,
  isMultiRegionTrail: true,
  homeRegion: 'us-east-1',
  trailARN: ARN,
  logFileValidationEnabled: true,
  kmsKeyId: 'arn:aws:kms:us-east-1:123456789012:key/k1',
  hasCustomEventSelectors: false,
  hasInsightSelectors: false,
  isOrganizationTrail: false,
});
const LIVE = trailFields(
  { Name: 'org', S3BucketName: 'trail-logs', IncludeGlobalServiceEvents: true, IsMultiRegionTrail: true, HomeRegion: 'us-east-1', TrailARN: ARN, LogFileValidationEnabled: true, KmsKeyId: 'arn:aws:kms:us-east-1:123456789012:key/k1', HasCustomEventSelectors: false, IsOrganizationTrail: false },
  'us-east-1',
);

describe('cloudtrail Config item normaliser', () => {
  it("gives DescribeTrails' fields; status and event selectors are read live", () => {
    expect(trailFromConfig(ITEM)).toEqual({ resource: LIVE, missing: NOT_IN_ITEM });
  });

  it('an odd flag is missing; hostile items never throw', () => {
    const config = ITEM.configuration as Record<string, unknown>;
    expect(trailFromConfig({ ...ITEM, configuration: { ...config, logFileValidationEnabled: 'yes' } })?.missing).toContain('logFileValidation');
    expectHostileSafe(trailFromConfig, ITEM);
  });
});
