/**
 * kms.keys with Config items (issue 11), under --source auto and config alike: ListKeys stays authoritative; a key
 * with a usable item is not described (DescribeKey skipped), its aliases come from ListAliases and what the item
 * lacks (the rotation period) from GetKeyRotationStatus for that key only. moto gap: moto serves no AWS::KMS::Key.
 */
import { describe, expect, it } from 'vitest';
import { collectors } from '../../../../collectors/index.js';
import { kmsKeys } from '../../../../collectors/kms/keys.js';
import { ResourceSchemas } from '../../../../src/catalog/resource-schemas.js';
import type { ConfigSource } from '../../../../src/core/collector.js';
import type { ConfigItem } from '../../../../src/core/types.js';
import { awsError, fakeClients } from '../../../helpers/fake-clients.js';
import { ACCOUNT, REGION, configItem } from '../config/config-item-helpers.js';

const arn = (id: string) => `arn:aws:kms:${REGION}:${ACCOUNT}:key/${id}`;
const meta = (id: string) => ({ KeyId: id, Arn: arn(id), Description: `key ${id}`, KeyManager: 'CUSTOMER', KeyState: 'Enabled', KeySpec: 'SYMMETRIC_DEFAULT', KeyUsage: 'ENCRYPT_DECRYPT', Origin: 'AWS_KMS', MultiRegion: false });
const item = (id: string): ConfigItem =>
  configItem(
    'AWS::KMS::Key',
    id,
    { keyId: id, arn: arn(id), description: `key ${id}`, keyManager: 'CUSTOMER', keyState: 'Enabled', keySpec: 'SYMMETRIC_DEFAULT', keyUsage: 'ENCRYPT_DECRYPT', origin: 'AWS_KMS', multiRegion: false },
    { supplementaryConfiguration: { KeyRotationStatus: 'true' } },
  );
const ITEMS = [item('a'), item('z'), { ...item('c'), configuration: { keyId: 'c' } }];
const source = (mode: 'auto' | 'config'): ConfigSource => ({ mode, items: async () => new Map(ITEMS.map((i) => [i.resourceId, i])) });
const schemas = new ResourceSchemas(collectors);

function run(config?: ConfigSource, rotation: (id: string) => object = () => ({ KeyRotationEnabled: true, RotationPeriodInDays: 365 })) {
  const fake = fakeClients(
    {
      ListKeys: { Keys: ['a', 'b', 'c'].map((id) => ({ KeyId: id, KeyArn: arn(id) })) },
      ListAliases: { Aliases: [{ AliasName: 'alias/app', TargetKeyId: 'a' }] },
      DescribeKey: (input) => ({ KeyMetadata: meta(input.KeyId as string) }),
      GetKeyRotationStatus: (input) => rotation(input.KeyId as string),
    },
    { account: ACCOUNT, region: REGION },
  );
  return { ...fake, out: kmsKeys.collect({ ...fake.ctx, ...(config ? { config } : {}) }) };
}

describe.each(['auto', 'config'] as const)('kms.keys with Config items (--source %s)', (mode) => {
  it('skips DescribeKey for a key with an item; reads the rotation period live; same resource as live but for provenance', async () => {
    const live = await run().out;
    const { out, callsOf } = run(source(mode));
    const got = await out;
    expect(callsOf('DescribeKey').map((c) => c.input.KeyId)).toEqual(['b', 'c']);
    expect(callsOf('GetKeyRotationStatus').map((c) => c.input.KeyId)).toEqual(['a', 'b', 'c']);
    expect(got.resources.map((r) => r.id)).toEqual(live.resources.map((r) => r.id));
    const [a, b, c] = got.resources;
    expect(a?.provenance).toEqual({ source: 'config', capturedAt: '2026-11-30T10:00:00.000Z', configurationStateId: '1732960800000', liveFields: ['aliases', 'name', 'rotationPeriodInDays'] });
    const { provenance: _p, ...rest } = a ?? {};
    expect(rest).toEqual(live.resources[0]);
    expect(Object.keys(rest)).toEqual(Object.keys(live.resources[0] ?? {}));
    expect([b, c]).toEqual(live.resources.slice(1));
    expect(got.raw).not.toHaveProperty(['DescribeKey:a']);
    expect((got.raw['BatchGetResourceConfig:0001'] as ConfigItem[]).map((i) => i.resourceId)).toEqual(['a']);
    for (const r of got.resources) expect(schemas.outputProblem('kms.keys', r)).toBeUndefined();
  });

  it('GetKeyRotationStatus refused for a key from an item: only the period is left out, with its error; the status stays', async () => {
    const { out } = run(source(mode), (id) => (id === 'a' ? awsError('AccessDeniedException') : { KeyRotationEnabled: true, RotationPeriodInDays: 365 }));
    const [a] = (await out).resources;
    expect(a).toMatchObject({ rotationApplicable: true, rotationEnabled: true, aliases: ['alias/app'], name: 'alias/app' });
    expect(a).not.toHaveProperty('rotationPeriodInDays');
    expect(a?.collectionErrors).toEqual([expect.objectContaining({ fields: ['rotationPeriodInDays'], code: 'AccessDeniedException' })]);
  });
});

it('kms.keys: an item lacking a DescribeKey field sends that key down the live path, unmarked', async () => {
  const partial = { ...item('a'), configuration: { ...(item('a').configuration as object), keyState: 7 } };
  const { out, callsOf } = run({ mode: 'config', items: async () => new Map([['a', partial]]) });
  const [a] = (await out).resources;
  expect(callsOf('DescribeKey').map((c) => c.input.KeyId)).toEqual(['a', 'b', 'c']);
  expect(a?.provenance).toBeUndefined();
});
