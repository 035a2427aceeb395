import { describe, expect, it } from 'vitest';
import { byName } from '../../helpers/estate.js';
import { useRegionService } from '../../helpers/region-collectors.js';

/**
 * CloudTrail (and the KMS logs key it needs) against moto: the demo organisation seeded in both regions with real SDK calls, the real collectors'
 * normalised evidence, then the pipeline for every control on it against test/fixtures/estate/.
 */
const { seeded, evidence } = useRegionService('cloudtrail');

describe('cloudtrail evidence', () => {
  it('cloudtrail.trails: a multi-Region trail is seen from every Region, judged at home', () => {
    const home = evidence().resources('cloudtrail.trails', seeded.estate.management, 'us-east-1');
    const away = evidence().resources('cloudtrail.trails', seeded.estate.management, 'eu-west-1');
    const orgTrail = {
      id: `arn:aws:cloudtrail:us-east-1:${seeded.estate.management}:trail/auditpack-org-trail`,
      type: 'AWS::CloudTrail::Trail',
      homeRegion: 'us-east-1',
      isMultiRegion: true,
      isLogging: true,
      logFileValidation: true,
      kmsEncrypted: true,
      s3BucketName: `auditpack-logs-${seeded.estate.management}-us-east-1`,
      includeManagementEvents: true,
      readWriteType: 'ALL',
    };
    expect(byName(home, 'auditpack-org-trail')).toMatchObject({ ...orgTrail, isShadow: false });
    expect(byName(away, 'auditpack-org-trail')).toMatchObject({ ...orgTrail, isShadow: true, region: 'eu-west-1' });
    expect(byName(away, 'auditpack-app-trail-eu-west-1')).toMatchObject({ isMultiRegion: false, isLogging: false, logFileValidation: false, kmsEncrypted: false, kmsKeyId: null });
    expect(home.find((r) => r.type === 'AWS::::Account')).toMatchObject({ id: `AWS::::Account:${seeded.estate.management}`, trailCount: 1, multiRegionTrailCount: 1 });
    expect(away.find((r) => r.type === 'AWS::::Account')).toMatchObject({ trailCount: 2, multiRegionTrailCount: 1 });
    const member = evidence().resources('cloudtrail.trails', seeded.estate.member, 'us-east-1');
    expect(byName(member, 'auditpack-regional-trail-us-east-1')).toMatchObject({ isMultiRegion: false, isLogging: true, logFileValidation: false, kmsEncrypted: true });
    expect(member.find((r) => r.type === 'AWS::::Account')).toMatchObject({ multiRegionTrailCount: 0 });
  });
});
