import type { SecretListEntry } from '@aws-sdk/client-secrets-manager';
import type { Resource } from '../../src/core/types.js';

/** A ListSecrets entry → the resource secretsmanager.secrets emits (shared with secret-config-item.ts). */
export function normaliseSecret(secret: SecretListEntry, region: string): Resource {
  const rules = secret.RotationRules;
  return {
    id: secret.ARN ?? `secret:${secret.Name ?? 'unknown'}`,
    type: 'AWS::SecretsManager::Secret',
    name: secret.Name ?? '',
    region,
    rotationEnabled: secret.RotationEnabled === true,
    rotationLambdaArn: secret.RotationLambdaARN ?? null,
    rotationRules: rules
      ? {
          automaticallyAfterDays: rules.AutomaticallyAfterDays ?? null,
          scheduleExpression: rules.ScheduleExpression ?? null,
          duration: rules.Duration ?? null,
        }
      : null,
    owningService: secret.OwningService ?? null,
    primaryRegion: secret.PrimaryRegion ?? null,
    kmsKeyId: secret.KmsKeyId ?? null,
    createdDate: iso(secret.CreatedDate),
    lastChangedDate: iso(secret.LastChangedDate),
    lastRotatedDate: iso(secret.LastRotatedDate),
    lastAccessedDate: iso(secret.LastAccessedDate),
    nextRotationDate: iso(secret.NextRotationDate),
  };
}

function iso(date: Date | undefined): string | null {
  return date ? date.toISOString() : null;
}
