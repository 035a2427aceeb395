import { describe, expect, it } from 'vitest';
import { collectors } from '../../../../collectors/index.js';
import { kmsKeys } from '../../../../collectors/kms/keys.js';
import { ResourceSchemas } from '../../../../src/catalog/resource-schemas.js';
import { awsError, fakeClients } from '../../../helpers/fake-clients.js';

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

describe('kms.keys: a per-key call refused', () => {
  const schemas = new ResourceSchemas(collectors);
  const arn = (id: string) => `arn:aws:kms:us-east-1:111111111111:key/${id}`;
  const customer = (id: string) => ({ KeyId: id, Arn: arn(id), KeyManager: 'CUSTOMER', KeyState: 'Enabled', KeySpec: 'SYMMETRIC_DEFAULT', KeyUsage: 'ENCRYPT_DECRYPT', Origin: 'AWS_KMS', Description: `key ${id}` });
  /** As the client provider throws it: the SDK error, tagged with the IAM action of the call. */
  const denied = (action: string) =>
    Object.assign(awsError('AccessDeniedException', { message: `User: arn:aws:iam::111111111111:user/auditor is not authorized to perform: ${action} because no identity-based policy allows it` }), {
      auditpackAction: action,
    });

  it('GetKeyRotationStatus refused for one key: that key lacks exactly the rotation fields and names the call; others are whole', async () => {
    const { ctx } = fakeClients({
      ListKeys: { Keys: [{ KeyId: 'a', KeyArn: arn('a') }, { KeyId: 'b', KeyArn: arn('b') }] },
      ListAliases: { Aliases: [] },
      DescribeKey: (input) => ({ KeyMetadata: customer(input.KeyId as string) }),
      GetKeyRotationStatus: (input) => (input.KeyId === 'a' ? denied('kms:GetKeyRotationStatus') : { KeyRotationEnabled: true, RotationPeriodInDays: 365 }),
    });
    const out = await kmsKeys.collect(ctx);
    const [a, b] = out.resources;
    expect(a).toEqual({
      id: arn('a'),
      type: 'AWS::KMS::Key',
      name: 'a',
      region: 'us-east-1',
      keyId: 'a',
      aliases: [],
      description: 'key a',
      keyManager: 'CUSTOMER',
      keyState: 'Enabled',
      keySpec: 'SYMMETRIC_DEFAULT',
      keyUsage: 'ENCRYPT_DECRYPT',
      origin: 'AWS_KMS',
      multiRegion: false,
      rotationApplicable: true,
      collectionErrors: [
        {
          fields: ['rotationEnabled', 'rotationPeriodInDays'],
          action: 'kms:GetKeyRotationStatus',
          code: 'AccessDeniedException',
          message: expect.stringMatching(/^missing permission kms:GetKeyRotationStatus: User: .* is not authorized/),
        },
      ],
    });
    expect(b).toMatchObject({ rotationApplicable: true, rotationEnabled: true, rotationPeriodInDays: 365 });
    expect(b).not.toHaveProperty('collectionErrors');
    expect(out.raw['GetKeyRotationStatus:a']).toEqual({ error: { action: 'kms:GetKeyRotationStatus', code: 'AccessDeniedException', message: a?.collectionErrors?.[0]?.message } });
    expect(out.raw['GetKeyRotationStatus:b']).toEqual({ KeyRotationEnabled: true, RotationPeriodInDays: 365 });
    for (const resource of out.resources) expect(schemas.outputProblem('kms.keys', resource)).toBeUndefined();
  });

  it('DescribeKey refused (a key policy that does not let the account in): the key is kept with its id, aliases and the error, rotation is not asked', async () => {
    const { ctx, callsOf } = fakeClients({
      ListKeys: { Keys: [{ KeyId: 'a', KeyArn: arn('a') }, { KeyId: 'b', KeyArn: arn('b') }] },
      ListAliases: { Aliases: [{ AliasName: 'alias/locked', TargetKeyId: 'a' }] },
      DescribeKey: (input) => (input.KeyId === 'a' ? denied('kms:DescribeKey') : { KeyMetadata: customer('b') }),
      GetKeyRotationStatus: { KeyRotationEnabled: false },
    });
    const out = await kmsKeys.collect(ctx);
    expect(callsOf('GetKeyRotationStatus').map((c) => c.input.KeyId)).toEqual(['b']);
    expect(out.resources[0]).toEqual({
      id: arn('a'),
      type: 'AWS::KMS::Key',
      name: 'alias/locked',
      region: 'us-east-1',
      keyId: 'a',
      aliases: ['alias/locked'],
      collectionErrors: [
        {
          fields: ['description', 'keyManager', 'keyState', 'keySpec', 'keyUsage', 'origin', 'multiRegion', 'rotationApplicable', 'rotationEnabled', 'rotationPeriodInDays'],
          action: 'kms:DescribeKey',
          code: 'AccessDeniedException',
          message: expect.stringMatching(/^missing permission kms:DescribeKey/),
        },
      ],
    });
    expect(out.resources[1]).toMatchObject({ keyId: 'b', rotationApplicable: true, rotationEnabled: false });
    expect(out.raw['DescribeKey:a']).toMatchObject({ error: { action: 'kms:DescribeKey', code: 'AccessDeniedException' } });
    expect(out.raw).not.toHaveProperty('GetKeyRotationStatus:a');
    for (const resource of out.resources) expect(schemas.outputProblem('kms.keys', resource)).toBeUndefined();
  });

  it('a throttle that never succeeded is a field error too, and the listing still fails the whole run', async () => {
    const throttled = Object.assign(awsError('ThrottlingException', { message: 'Rate exceeded' }), { auditpackAction: 'kms:GetKeyRotationStatus' });
    const { ctx } = fakeClients({
      ListKeys: { Keys: [{ KeyId: 'a', KeyArn: arn('a') }] },
      ListAliases: { Aliases: [] },
      DescribeKey: { KeyMetadata: customer('a') },
      GetKeyRotationStatus: throttled,
    });
    const out = await kmsKeys.collect(ctx);
    expect(out.resources[0]?.collectionErrors).toEqual([
      { fields: ['rotationEnabled', 'rotationPeriodInDays'], action: 'kms:GetKeyRotationStatus', code: 'ThrottlingException', message: expect.stringMatching(/^throttled and never succeeded on kms:GetKeyRotationStatus/) },
    ]);
    const listing = fakeClients({ ListKeys: denied('kms:ListKeys'), ListAliases: { Aliases: [] } });
    await expect(kmsKeys.collect(listing.ctx)).rejects.toThrow(/not authorized to perform: kms:ListKeys/);
  });
});
