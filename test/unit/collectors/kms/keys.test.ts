import { describe, expect, it } from 'vitest';
import { kmsKeys } from '../../../../collectors/kms/keys.js';
import { fakeClients } from '../../../helpers/fake-clients.js';

describe('kms.keys', () => {
  it('asks rotation only for keys that can rotate and keeps AWS-managed keys visible', async () => {
    const metas: Record<string, object> = {
      a: { KeyId: 'a', Arn: 'arn:aws:kms:us-east-1:111111111111:key/a', KeyManager: 'CUSTOMER', KeyState: 'Enabled', KeySpec: 'SYMMETRIC_DEFAULT', KeyUsage: 'ENCRYPT_DECRYPT', Origin: 'AWS_KMS' },
      b: { KeyId: 'b', Arn: 'arn:aws:kms:us-east-1:111111111111:key/b', KeyManager: 'AWS', KeyState: 'Enabled', KeySpec: 'SYMMETRIC_DEFAULT', Origin: 'AWS_KMS' },
      c: { KeyId: 'c', Arn: 'arn:aws:kms:us-east-1:111111111111:key/c', KeyManager: 'CUSTOMER', KeyState: 'Enabled', KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' },
      d: { KeyId: 'd', Arn: 'arn:aws:kms:us-east-1:111111111111:key/d', KeyManager: 'CUSTOMER', KeyState: 'Enabled', Origin: 'EXTERNAL' },
      e: { KeyId: 'e', Arn: 'arn:aws:kms:us-east-1:111111111111:key/e', KeyManager: 'CUSTOMER', KeyState: 'PendingDeletion' },
    };
    const { ctx, calls, callsOf } = fakeClients({
      ListKeys: { Keys: Object.keys(metas).map((KeyId) => ({ KeyId })) },
      ListAliases: { Aliases: [{ AliasName: 'alias/aws/s3', TargetKeyId: 'b' }, { AliasName: 'alias/app', TargetKeyId: 'a' }] },
      DescribeKey: (input) => ({ KeyMetadata: metas[input.KeyId as string] }),
      GetKeyRotationStatus: { KeyRotationEnabled: true, RotationPeriodInDays: 365 },
    });
    const out = await kmsKeys.collect(ctx);
    expect(callsOf('GetKeyRotationStatus').map((s) => s.input.KeyId)).toEqual(['a']);
    expect(calls.find((s) => s.command === 'ListKeys')?.input).toMatchObject({ Limit: 1000 });
    expect(out.resources.map((r) => [r.keyId, r.name, r.keyManager, r.rotationApplicable, r.rotationEnabled])).toEqual([
      ['a', 'alias/app', 'CUSTOMER', true, true],
      ['b', 'alias/aws/s3', 'AWS', false, null],
      ['c', 'c', 'CUSTOMER', false, null],
      ['d', 'd', 'CUSTOMER', false, null],
      ['e', 'e', 'CUSTOMER', false, null],
    ]);
    expect(out.resources[0]).toMatchObject({ rotationPeriodInDays: 365 });
  });
});
