import { paginateListSecrets, SecretsManagerClient, type SecretListEntry } from '@aws-sdk/client-secrets-manager';
import type { Resource } from '../../src/core/types.js';
import { collectPages, stripMetadata, type Collector } from '../types.js';
import { resourceShape, s } from '../resource-schema.js';

/** Secrets Manager secrets and their rotation settings. Metadata only: secret values are never fetched. */
export const secretsmanagerSecrets: Collector = {
  id: 'secretsmanager.secrets',
  version: '1',
  title: 'Secrets Manager secrets (metadata and rotation)',
  scope: 'region',
  permissions: ['secretsmanager:ListSecrets'],
  resourceSchema: resourceShape(
    'AWS::SecretsManager::Secret',
    {
      rotationEnabled: s.boolean,
      rotationLambdaArn: s.nullable(s.string),
      rotationRules: s.orNull(s.object({ automaticallyAfterDays: s.nullable(s.integer), scheduleExpression: s.nullable(s.string), duration: s.nullable(s.string) })),
      owningService: s.nullable(s.string),
      primaryRegion: s.nullable(s.string),
      kmsKeyId: s.nullable(s.string),
      createdDate: s.nullable(s.string),
      lastChangedDate: s.nullable(s.string),
      lastRotatedDate: s.nullable(s.string),
      lastAccessedDate: s.nullable(s.string),
      nextRotationDate: s.nullable(s.string),
    }, { region: true },
  ),
  async collect(ctx) {
    const client = ctx.clients.get(SecretsManagerClient);
    const listed = await collectPages(paginateListSecrets({ client, pageSize: 100 }, {}), (p) => p.SecretList);
    return {
      raw: { ListSecrets: listed.pages.map(stripMetadata) },
      resources: listed.items.map((secret) => normaliseSecret(secret, ctx.region)),
    };
  },
};

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
