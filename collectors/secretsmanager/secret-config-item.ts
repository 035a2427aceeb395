/**
 * AWS::SecretsManager::Secret configuration item → the resource secretsmanager.secrets emits (issue 11).
 *
 * Item shape (awslabs/aws-config-resource-schema `AWS::SecretsManager::Secret.properties.json`): PascalCase,
 * `configuration = {ARN, Name, Description, KMSKeyId, RotationEnabled, RotationLambdaARN,
 * RotationOccurringAsScheduled, Deleted, RotationRules:{AutomaticallyAfterDays, RotationDuration,
 * RotationScheduleExpression}}`. The rule names differ from the API's (Duration, ScheduleExpression); the schema's
 * names are unverified against a real item, so the API's are accepted too. The item has no OwningService,
 * PrimaryRegion or dates: those are read live. Config documents delays in recording this type.
 */
import type { RotationRulesType, SecretListEntry } from '@aws-sdk/client-secrets-manager';
import type { ConfigItem, Resource } from '../../src/core/types.js';
import { bool, intOrNull, Missing, obj, placement, text, textOrNull } from '../config/fields-config-item.js';
import { normaliseSecret } from './secret-resource.js';

const NOT_IN_ITEM = ['owningService', 'primaryRegion', 'createdDate', 'lastChangedDate', 'lastRotatedDate', 'lastAccessedDate', 'nextRotationDate'];

/** `RotationRules`: null → none; an object with well-typed (or absent) parts → the API shape; else undefined. */
function rotationRules(value: unknown): RotationRulesType | null | undefined {
  if (value === null) return null;
  const r = obj(value);
  if (!r) return undefined;
  const days = intOrNull(r.AutomaticallyAfterDays ?? null);
  const schedule = textOrNull(r.RotationScheduleExpression ?? r.ScheduleExpression ?? null, 256);
  const duration = textOrNull(r.RotationDuration ?? r.Duration ?? null, 64);
  if (days === undefined || schedule === undefined || duration === undefined) return undefined;
  return { AutomaticallyAfterDays: days ?? undefined, ScheduleExpression: schedule ?? undefined, Duration: duration ?? undefined };
}

/** The secret an item describes and the fields it could not fill; undefined when it does not identify one. */
export function secretFromConfig(item: ConfigItem): { resource: Resource; missing: string[] } | undefined {
  const c = obj(item.configuration);
  const where = placement(item);
  const arn = text(c?.ARN);
  const name = text(c?.Name, 512);
  if (!c || !where || !arn?.startsWith('arn:') || !name) return undefined;
  const missing = new Missing();
  missing.add(...NOT_IN_ITEM);
  const secret: SecretListEntry = {
    ARN: arn,
    Name: name,
    RotationEnabled: missing.need(bool(c.RotationEnabled), 'rotationEnabled'),
    RotationLambdaARN: missing.need(textOrNull(c.RotationLambdaARN), 'rotationLambdaArn') ?? undefined,
    RotationRules: missing.need(rotationRules(c.RotationRules), 'rotationRules') ?? undefined,
    KmsKeyId: missing.need(textOrNull(c.KMSKeyId), 'kmsKeyId') ?? undefined,
  };
  return missing.apply(normaliseSecret(secret, where.region));
}
