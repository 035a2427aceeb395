import { CreateAliasCommand, CreateKeyCommand, EnableKeyRotationCommand, KMSClient } from '@aws-sdk/client-kms';
import type { SeedTarget } from '../types.js';
import type { ExpectationList } from './common.js';

export interface SeededKeys {
  /** Rotating key used for CloudTrail log encryption. */
  logsKeyArn: string;
}

/** KMS: a rotating logs key (PASS), an application key without rotation (FAIL), a signing key (not applicable). */
export async function seedKeys(target: SeedTarget, expect: ExpectationList): Promise<SeededKeys> {
  const kms = target.clients.get(KMSClient);
  const create = async (alias: string, description: string, spec?: { KeySpec: 'RSA_2048'; KeyUsage: 'SIGN_VERIFY' }): Promise<string> => {
    const key = await kms.send(new CreateKeyCommand({ Description: description, ...spec }));
    const meta = key.KeyMetadata;
    if (!meta?.Arn || !meta.KeyId) throw new Error('CreateKey returned no key metadata');
    await kms.send(new CreateAliasCommand({ AliasName: alias, TargetKeyId: meta.KeyId }));
    return meta.Arn;
  };

  const logsKeyArn = await create('alias/auditpack-logs', 'CloudTrail and Config log encryption');
  await kms.send(new EnableKeyRotationCommand({ KeyId: logsKeyArn }));
  expect.add('kms-key-rotation', logsKeyArn, 'PASS');

  const appKeyArn = await create('alias/auditpack-app-data', 'Application data key, rotation never turned on');
  expect.add('kms-key-rotation', appKeyArn, 'FAIL');

  // Asymmetric keys cannot rotate automatically: collected, but out of KMS.4's scope (no result).
  if (target.primary) await create('alias/auditpack-release-signing', 'Release signing key', { KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY' });
  return { logsKeyArn };
}
