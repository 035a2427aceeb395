import { CreateAliasCommand, CreateKeyCommand, EnableKeyRotationCommand, KMSClient } from '@aws-sdk/client-kms';
import type { SeededIds, Seeder } from './types.js';

/**
 * KMS: a rotating logs key (CloudTrail encrypts with it), an application key without rotation and, in the primary
 * region, an asymmetric signing key (it cannot rotate automatically: collected, but out of KMS.4's scope).
 * Ids: `key/<alias name>` → key ARN.
 */
export const kmsSeeder: Seeder = {
  service: 'kms',
  async seed(target) {
    const kms = target.clients.get(KMSClient);
    const ids: SeededIds = {};
    const create = async (alias: string, description: string, spec?: { KeySpec: 'RSA_2048'; KeyUsage: 'SIGN_VERIFY' }): Promise<string> => {
      const key = await kms.send(new CreateKeyCommand({ Description: description, ...spec }));
      const meta = key.KeyMetadata;
      if (!meta?.Arn || !meta.KeyId) throw new Error('CreateKey returned no key metadata');
      await kms.send(new CreateAliasCommand({ AliasName: `alias/${alias}`, TargetKeyId: meta.KeyId }));
      ids[`key/${alias}`] = meta.Arn;
      return meta.Arn;
    };
    const logsKeyArn = await create('auditpack-logs', 'CloudTrail and Config log encryption');
    await kms.send(new EnableKeyRotationCommand({ KeyId: logsKeyArn }));
    await create('auditpack-app-data', 'Application data key, rotation never turned on');
    if (target.primary) await create('auditpack-release-signing', 'Release signing key', { KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY' });
    return ids;
  },
};
