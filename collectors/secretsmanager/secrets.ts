import { paginateListSecrets, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { collectPages, stripMetadata, type Collector } from '../types.js';
import { resourceShape, s } from '../resource-schema.js';
import { normaliseSecret } from './secret-resource.js';
import { secretFromConfig } from './secret-config-item.js';
import { preferConfigItems } from '../config/prefer-items.js';
export { normaliseSecret };

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
    const live = listed.items.map((secret) => normaliseSecret(secret, ctx.region));
    // The live listing is authoritative; under --source config, items stand in for what they hold (see prefer-items.ts).
    // The item's resourceId is the secret's ARN; the name is tried too.
    const preferred = await preferConfigItems(ctx, 'AWS::SecretsManager::Secret', live, (_r, i) => [listed.items[i]?.ARN, listed.items[i]?.Name], secretFromConfig);
    return { raw: { ListSecrets: listed.pages.map(stripMetadata), ...preferred.raw }, resources: preferred.resources };
  },
};

