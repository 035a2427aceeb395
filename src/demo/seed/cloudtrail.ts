import { CloudTrailClient, CreateTrailCommand, PutEventSelectorsCommand, StartLoggingCommand } from '@aws-sdk/client-cloudtrail';
import { ensureLogBucket } from './log-bucket.js';
import type { Seeder } from './types.js';

interface TrailSpec {
  name: string;
  multiRegion: boolean;
  validation: boolean;
  kms: boolean;
  logging: boolean;
}

/**
 * CloudTrail. The management account is run centrally: a multi-Region trail (validation, KMS, logging) in the
 * primary Region, so every Region passes CloudTrail.1, plus a forgotten single-Region app trail elsewhere. Member
 * accounts have single-Region trails only. The logs key comes from the `kms` seeder.
 */
export const cloudtrailSeeder: Seeder = {
  service: 'cloudtrail',
  needs: ['kms'],
  async seed(target) {
    const central = target.role === 'management';
    const spec: TrailSpec = central
      ? target.primary
        ? { name: 'auditpack-org-trail', multiRegion: true, validation: true, kms: true, logging: true }
        : { name: `auditpack-app-trail-${target.region}`, multiRegion: false, validation: false, kms: false, logging: false }
      : target.primary
        ? { name: `auditpack-regional-trail-${target.region}`, multiRegion: false, validation: false, kms: true, logging: true }
        : { name: `auditpack-regional-trail-${target.region}`, multiRegion: false, validation: true, kms: false, logging: true };
    const logsKeyArn = target.seeded['key/auditpack-logs'];
    if (spec.kms && !logsKeyArn) throw new Error('the cloudtrail seeder needs key/auditpack-logs from the kms seeder, which must run first');
    const { bucket, ids } = await ensureLogBucket(target);

    const cloudtrail = target.clients.get(CloudTrailClient);
    const trail = await cloudtrail.send(
      new CreateTrailCommand({
        Name: spec.name,
        S3BucketName: bucket,
        IsMultiRegionTrail: spec.multiRegion,
        EnableLogFileValidation: spec.validation,
        ...(spec.kms ? { KmsKeyId: logsKeyArn } : {}),
      }),
    );
    if (!trail.TrailARN) throw new Error(`CreateTrail ${spec.name} returned no ARN`);
    if (spec.logging) await cloudtrail.send(new StartLoggingCommand({ Name: spec.name }));
    // S3.22 / S3.23 (CIS 3.8 / 3.9): the multi-Region trail also records S3 object-level events for all buckets.
    if (spec.multiRegion) {
      await cloudtrail.send(
        new PutEventSelectorsCommand({
          TrailName: spec.name,
          EventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: true, DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3'] }] }],
        }),
      );
    }
    return { ...ids, [`trail/${spec.name}`]: trail.TrailARN };
  },
};
