import { CloudTrailClient, CreateTrailCommand, StartLoggingCommand } from '@aws-sdk/client-cloudtrail';
import {
  ConfigServiceClient,
  PutConfigurationRecorderCommand,
  PutDeliveryChannelCommand,
  StartConfigurationRecorderCommand,
} from '@aws-sdk/client-config-service';
import { CreateDetectorCommand, GuardDutyClient } from '@aws-sdk/client-guardduty';
import { accountResourceId } from '../../../core/collector.js';
import type { SeedTarget } from '../types.js';
import { estateStyle, type ExpectationList } from './common.js';

interface TrailSpec {
  name: string;
  multiRegion: boolean;
  validation: boolean;
  kms: boolean;
  logging: boolean;
}

/**
 * CloudTrail. `central`: a multi-Region trail (validation, KMS, logging) in the primary Region, so every Region
 * passes CloudTrail.1, plus a forgotten single-Region app trail elsewhere. `regional`: single-Region trails only.
 */
export async function seedTrails(target: SeedTarget, expect: ExpectationList, bucket: string, logsKeyArn: string): Promise<void> {
  const style = estateStyle(target.account);
  const spec: TrailSpec =
    style === 'central'
      ? target.primary
        ? { name: 'auditpack-org-trail', multiRegion: true, validation: true, kms: true, logging: true }
        : { name: `auditpack-app-trail-${target.region}`, multiRegion: false, validation: false, kms: false, logging: false }
      : target.primary
        ? { name: `auditpack-regional-trail-${target.region}`, multiRegion: false, validation: false, kms: true, logging: true }
        : { name: `auditpack-regional-trail-${target.region}`, multiRegion: false, validation: true, kms: false, logging: true };

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

  expect.add('cloudtrail-log-file-validation', trail.TrailARN, spec.validation ? 'PASS' : 'FAIL');
  expect.add('cloudtrail-kms-encryption', trail.TrailARN, spec.kms ? 'PASS' : 'FAIL');
  // Only the central estate has a multi-Region trail, and it is visible (as a shadow) in every Region.
  expect.add('cloudtrail-multi-region-enabled', accountResourceId(target.account), style === 'central' ? 'PASS' : 'FAIL');
}

/**
 * AWS Config in the primary Region only (so the other Region fails Config.1). `central` uses the service-linked
 * role (PASS); `regional` a custom role, which fails the includeConfigServiceLinkedRoleCheck parameter.
 */
export async function seedConfig(target: SeedTarget, expect: ExpectationList, bucket: string): Promise<void> {
  const central = estateStyle(target.account) === 'central';
  if (target.primary) {
    const config = target.clients.get(ConfigServiceClient);
    const roleARN = central
      ? `arn:aws:iam::${target.account}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig`
      : `arn:aws:iam::${target.account}:role/auditpack-config-recorder`;
    await config.send(
      new PutConfigurationRecorderCommand({
        ConfigurationRecorder: { name: 'default', roleARN, recordingGroup: { allSupported: true, includeGlobalResourceTypes: true } },
      }),
    );
    await config.send(new PutDeliveryChannelCommand({ DeliveryChannel: { name: 'default', s3BucketName: bucket } }));
    await config.send(new StartConfigurationRecorderCommand({ ConfigurationRecorderName: 'default' }));
  }
  expect.add('config-recording-enabled', accountResourceId(target.account), target.primary && central ? 'PASS' : 'FAIL');
}

/** GuardDuty in one Region only: the primary for `central`, the other Region for `regional`. */
export async function seedGuardDuty(target: SeedTarget, expect: ExpectationList): Promise<void> {
  const enabledHere = estateStyle(target.account) === 'central' ? target.primary : !target.primary;
  if (enabledHere) {
    await target.clients.get(GuardDutyClient).send(new CreateDetectorCommand({ Enable: true, FindingPublishingFrequency: 'FIFTEEN_MINUTES' }));
  }
  expect.add('guardduty-enabled', accountResourceId(target.account), enabledHere ? 'PASS' : 'FAIL');
}
