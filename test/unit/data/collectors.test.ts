/** Normalisers and call patterns of this domain's collectors, with narrow SDK mocks (moto covers the rest). */
import { describe, expect, it } from 'vitest';
import type { ClientConstructor, ClientProvider, CollectContext } from '../../../collectors/types.js';
import { cloudtrailTrails } from '../../../collectors/cloudtrail/trails.js';
import { configRecorders } from '../../../collectors/config/recorders.js';
import { kmsKeys } from '../../../collectors/kms/keys.js';
import { lambdaFunctions } from '../../../collectors/lambda/functions.js';
import { secretsmanagerSecrets } from '../../../collectors/secretsmanager/secrets.js';
import { rdsInstances } from '../../../collectors/rds/instances.js';

type Handler = (command: string, input: Record<string, unknown>, region: string) => unknown;

interface Sent {
  command: string;
  input: Record<string, unknown>;
  region: string;
}

/** A ClientProvider whose clients answer from `handler` by command name and record what was sent, and where. */
function fakeContext(handler: Handler, region = 'us-east-1'): { ctx: CollectContext; sent: Sent[] } {
  const sent: Sent[] = [];
  const clients: ClientProvider = {
    get<C>(ctor: ClientConstructor<C>, options?: { region?: string }): C {
      const clientRegion = options?.region ?? region;
      const client = new ctor({ region: clientRegion, credentials: { accessKeyId: 'x', secretAccessKey: 'y' } }) as C & { send: unknown };
      client.send = async (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
        const name = command.constructor.name.replace(/Command$/, '');
        sent.push({ command: name, input: command.input, region: clientRegion });
        const answer = handler(name, command.input, clientRegion);
        if (answer instanceof Error) throw answer;
        return { $metadata: { requestId: 'r' }, ...(answer as object) };
      };
      return client;
    },
  };
  return { ctx: { account: '111111111111', region, clients, map: (items, fn) => Promise.all(items.map(fn)) }, sent };
}

const unexpected = (command: string): Error => new Error(`unexpected ${command}`);

describe('cloudtrail.trails', () => {
  const shadow = { Name: 'org', TrailARN: 'arn:aws:cloudtrail:us-east-1:111111111111:trail/org', HomeRegion: 'us-east-1', IsMultiRegionTrail: true, LogFileValidationEnabled: true, KmsKeyId: 'arn:aws:kms:us-east-1:111111111111:key/k', HasCustomEventSelectors: true };
  const local = { Name: 'local', TrailARN: 'arn:aws:cloudtrail:eu-west-1:111111111111:trail/local', HomeRegion: 'eu-west-1', IsMultiRegionTrail: false, HasCustomEventSelectors: false };

  it('dedupes by ARN, asks each trail in its home Region, and summarises the account', async () => {
    const { ctx, sent } = fakeContext((command, input) => {
      if (command === 'DescribeTrails') return { trailList: [shadow, local, shadow] };
      if (command === 'GetTrailStatus') return { IsLogging: input.Name === shadow.TrailARN };
      if (command === 'GetEventSelectors')
        return input.TrailName === shadow.TrailARN ? { AdvancedEventSelectors: [{ FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] }] } : { EventSelectors: [] };
      return unexpected(command);
    }, 'eu-west-1');
    const out = await cloudtrailTrails.collect(ctx);
    expect(sent.find((s) => s.command === 'DescribeTrails')?.input).toEqual({ includeShadowTrails: true });
    expect(sent.filter((s) => s.command === 'GetTrailStatus').map((s) => [s.input.Name, s.region])).toEqual([
      [shadow.TrailARN, 'us-east-1'],
      [local.TrailARN, 'eu-west-1'],
    ]);
    expect(out.resources).toEqual([
      { id: 'AWS::::Account:111111111111', type: 'AWS::::Account', name: '111111111111', region: 'eu-west-1', trailCount: 2, multiRegionTrailCount: 1 },
      expect.objectContaining({ id: local.TrailARN, isShadow: false, isLogging: false, kmsKeyId: null, kmsEncrypted: false, logFileValidation: false, readWriteType: 'ALL', selectorSource: 'default' }),
      expect.objectContaining({ id: shadow.TrailARN, region: 'eu-west-1', homeRegion: 'us-east-1', isShadow: true, isLogging: true, kmsEncrypted: true, readWriteType: 'ALL', selectorSource: 'advanced' }),
    ]);
    expect(Object.keys(out.raw).sort()).toEqual([
      'DescribeTrails',
      `GetEventSelectors:${local.TrailARN}`,
      `GetEventSelectors:${shadow.TrailARN}`,
      `GetTrailStatus:${local.TrailARN}`,
      `GetTrailStatus:${shadow.TrailARN}`,
    ]);
  });

  it('fails closed when a per-trail call fails', async () => {
    const denied = Object.assign(new Error('no'), { name: 'AccessDeniedException' });
    const { ctx } = fakeContext((command) => (command === 'DescribeTrails' ? { trailList: [local] } : denied));
    await expect(cloudtrailTrails.collect(ctx)).rejects.toThrow('no');
  });
});

describe('config.recorders', () => {
  it('uses the customer-managed recorder and ignores service-linked ones', async () => {
    const { ctx } = fakeContext((command) => {
      if (command === 'DescribeConfigurationRecorders')
        return {
          ConfigurationRecorders: [
            { name: 'slr', servicePrincipal: 'securityhub.amazonaws.com', recordingGroup: { allSupported: true } },
            { name: 'default', roleARN: 'arn:aws:iam::111111111111:role/custom', recordingGroup: { allSupported: false, resourceTypes: ['AWS::S3::Bucket'], recordingStrategy: { useOnly: 'INCLUSION_BY_RESOURCE_TYPES' } } },
          ],
        };
      if (command === 'DescribeConfigurationRecorderStatus') return { ConfigurationRecordersStatus: [{ name: 'slr', recording: true }, { name: 'default', recording: false, lastStatus: 'FAILURE' }] };
      if (command === 'DescribeDeliveryChannels') return { DeliveryChannels: [{ name: 'default', s3BucketName: 'b' }] };
      if (command === 'DescribeConfigRules') return { ConfigRules: [{ ConfigRuleName: 'r1' }] };
      return unexpected(command);
    });
    const [account] = (await configRecorders.collect(ctx)).resources;
    expect(account).toMatchObject({
      recorderPresent: true,
      recorderName: 'default',
      recording: false,
      lastStatus: 'FAILURE',
      allSupported: false,
      recordingStrategy: 'INCLUSION_BY_RESOURCE_TYPES',
      roleArn: 'arn:aws:iam::111111111111:role/custom',
      deliveryChannelPresent: true,
      configRuleCount: 1,
    });
    expect(account?.recorders).toHaveLength(2);
  });
});

describe('kms.keys', () => {
  it('asks rotation only for keys that can rotate and keeps AWS-managed keys visible', async () => {
    const metas: Record<string, object> = {
      a: { KeyId: 'a', Arn: 'arn:aws:kms:us-east-1:111111111111:key/a', KeyManager: 'CUSTOMER', KeyState: 'Enabled', KeySpec: 'SYMMETRIC_DEFAULT', KeyUsage: 'ENCRYPT_DECRYPT', Origin: 'AWS_KMS' },
      b: { KeyId: 'b', Arn: 'arn:aws:kms:us-east-1:111111111111:key/b', KeyManager: 'AWS', KeyState: 'Enabled', KeySpec: 'SYMMETRIC_DEFAULT', Origin: 'AWS_KMS' },
      c: { KeyId: 'c', Arn: 'arn:aws:kms:us-east-1:111111111111:key/c', KeyManager: 'CUSTOMER', KeyState: 'Enabled', KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' },
      d: { KeyId: 'd', Arn: 'arn:aws:kms:us-east-1:111111111111:key/d', KeyManager: 'CUSTOMER', KeyState: 'Enabled', Origin: 'EXTERNAL' },
      e: { KeyId: 'e', Arn: 'arn:aws:kms:us-east-1:111111111111:key/e', KeyManager: 'CUSTOMER', KeyState: 'PendingDeletion' },
    };
    const { ctx, sent } = fakeContext((command, input) => {
      if (command === 'ListKeys') return { Keys: Object.keys(metas).map((KeyId) => ({ KeyId })) };
      if (command === 'ListAliases') return { Aliases: [{ AliasName: 'alias/aws/s3', TargetKeyId: 'b' }, { AliasName: 'alias/app', TargetKeyId: 'a' }] };
      if (command === 'DescribeKey') return { KeyMetadata: metas[input.KeyId as string] };
      if (command === 'GetKeyRotationStatus') return { KeyRotationEnabled: true, RotationPeriodInDays: 365 };
      return unexpected(command);
    });
    const out = await kmsKeys.collect(ctx);
    expect(sent.filter((s) => s.command === 'GetKeyRotationStatus').map((s) => s.input.KeyId)).toEqual(['a']);
    expect(sent.find((s) => s.command === 'ListKeys')?.input).toMatchObject({ Limit: 1000 });
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

describe('lambda.functions', () => {
  it('keeps variable names and verdicts, and redacts every value in raw', async () => {
    const { ctx } = fakeContext((command) => {
      if (command === 'ListFunctions')
        return {
          Functions: [
            { FunctionName: 'f', FunctionArn: 'arn:aws:lambda:us-east-1:111111111111:function:f', Runtime: 'nodejs20.x', KMSKeyArn: 'arn:aws:kms:us-east-1:111111111111:key/k', Environment: { Variables: { API_TOKEN: 'tok-123', MODE: 'prod' } } },
            { FunctionName: 'g', FunctionArn: 'arn:aws:lambda:us-east-1:111111111111:function:g', PackageType: 'Image' },
          ],
        };
      return unexpected(command);
    });
    const out = await lambdaFunctions.collect(ctx);
    expect(out.resources[0]).toMatchObject({
      environmentVariables: [
        { name: 'API_TOKEN', looksSecret: true, reasons: ['secret-name'] },
        { name: 'MODE', looksSecret: false, reasons: [] },
      ],
      secretLookingVariables: ['API_TOKEN'],
      environmentEncryptedWithCmk: true,
    });
    expect(out.resources[1]).toMatchObject({ environmentVariables: [], runtime: null, packageType: 'Image', kmsKeyArn: null });
    const json = JSON.stringify(out);
    expect(json).not.toContain('tok-123');
    expect(json).not.toContain('"prod"');
    expect(json).toContain('"API_TOKEN":"<redacted>"');
  });
});

describe('secretsmanager.secrets and rds.instances', () => {
  it('normalise dates to ISO strings and absent settings to null / false', async () => {
    const { ctx } = fakeContext((command) => {
      if (command === 'ListSecrets')
        return { SecretList: [{ ARN: 'arn:s', Name: 's', RotationEnabled: true, RotationRules: { ScheduleExpression: 'rate(10 days)' }, LastRotatedDate: new Date('2025-01-02T03:04:05Z') }] };
      if (command === 'DescribeDBInstances') return { DBInstances: [{ DBInstanceIdentifier: 'db', DBInstanceArn: 'arn:db' }] };
      return unexpected(command);
    });
    expect((await secretsmanagerSecrets.collect(ctx)).resources[0]).toMatchObject({
      rotationEnabled: true,
      rotationRules: { automaticallyAfterDays: null, scheduleExpression: 'rate(10 days)', duration: null },
      lastRotatedDate: '2025-01-02T03:04:05.000Z',
      lastAccessedDate: null,
    });
    expect((await rdsInstances.collect(ctx)).resources[0]).toMatchObject({ id: 'arn:db', storageEncrypted: false, publiclyAccessible: false, kmsKeyId: null });
  });
});
