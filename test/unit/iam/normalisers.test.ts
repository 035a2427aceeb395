import { describe, expect, it, vi } from 'vitest';
import { analyzers } from '../../../collectors/accessanalyzer/analyzers.js';
import { alternateContact, securityContactResource } from '../../../collectors/account/alternate-contact.js';
import { authorizationDetailsResources } from '../../../collectors/iam/authorization-details.js';
import { passwordPolicy, passwordPolicyResource } from '../../../collectors/iam/password-policy.js';
import { decodePolicyDocument } from '../../../collectors/iam/policy-document.js';
import { virtualMfaResource } from '../../../collectors/iam/virtual-mfa-devices.js';
import type { ClientProvider, CollectContext } from '../../../collectors/types.js';

const ACCOUNT = '111111111111';
const ADMIN = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };
const encoded = (doc: unknown) => encodeURIComponent(JSON.stringify(doc));

/** Real SDK clients (paginators check the class) whose `send` is a narrow mock. */
function ctx(send: (command: object) => unknown, region = 'us-east-1'): CollectContext {
  const clients: ClientProvider = {
    get: (ctor) => {
      const client = new ctor({ region, credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
      (client as { send: unknown }).send = vi.fn(async (c: object) => send(c));
      return client;
    },
  };
  return { account: ACCOUNT, region, clients, map: (xs, fn) => Promise.all(xs.map(fn)) };
}

function awsError(name: string): Error {
  return Object.assign(new Error(name), { name, $metadata: {} });
}

describe('decodePolicyDocument', () => {
  it('decodes the URL-encoded documents IAM returns, and plain JSON', () => {
    expect(decodePolicyDocument(encoded(ADMIN))).toEqual(ADMIN);
    expect(decodePolicyDocument(JSON.stringify(ADMIN))).toEqual(ADMIN);
    expect(decodePolicyDocument(undefined)).toBeNull();
  });
  it('throws on a document that is not JSON', () => {
    expect(() => decodePolicyDocument('%7Bnot-json')).toThrow(/not valid JSON/);
  });
});

describe('authorizationDetailsResources', () => {
  const page = {
    $metadata: {},
    UserDetailList: [
      {
        UserName: 'bob',
        Arn: `arn:aws:iam::${ACCOUNT}:user/bob`,
        Path: '/',
        CreateDate: new Date('2024-01-01T00:00:00Z'),
        GroupList: ['devs'],
        AttachedManagedPolicies: [{ PolicyName: 'admin', PolicyArn: `arn:aws:iam::${ACCOUNT}:policy/admin` }],
        UserPolicyList: [{ PolicyName: 'inline-s3', PolicyDocument: encoded({ Statement: [{ Effect: 'Allow', Action: 's3:Get*', Resource: '*' }] }) }],
      },
    ],
    GroupDetailList: [{ GroupName: 'devs', Arn: `arn:aws:iam::${ACCOUNT}:group/devs`, AttachedManagedPolicies: [], GroupPolicyList: [] }],
    RoleDetailList: [
      { RoleName: 'deploy', Arn: `arn:aws:iam::${ACCOUNT}:role/deploy`, AssumeRolePolicyDocument: encoded({ Statement: [] }), RolePolicyList: [], AttachedManagedPolicies: [] },
    ],
    Policies: [
      {
        PolicyName: 'admin',
        Arn: `arn:aws:iam::${ACCOUNT}:policy/admin`,
        DefaultVersionId: 'v2',
        AttachmentCount: 1,
        PolicyVersionList: [
          { VersionId: 'v1', IsDefaultVersion: false, Document: encoded({ Statement: [] }) },
          { VersionId: 'v2', IsDefaultVersion: true, Document: encoded(ADMIN) },
        ],
      },
    ],
  };
  const resources = authorizationDetailsResources([page]);

  it('emits users, groups, roles and customer-managed policies keyed by ARN', () => {
    expect(resources.map((r) => r.type)).toEqual(['AWS::IAM::User', 'AWS::IAM::Group', 'AWS::IAM::Role', 'AWS::IAM::Policy']);
    expect(resources[0]).toMatchObject({
      id: `arn:aws:iam::${ACCOUNT}:user/bob`,
      groups: ['devs'],
      attachedManagedPolicies: [`arn:aws:iam::${ACCOUNT}:policy/admin`],
      inlinePolicyNames: ['inline-s3'],
      createDate: '2024-01-01T00:00:00.000Z',
      permissionsBoundary: null,
    });
  });
  it('keeps the decoded default version of each policy', () => {
    expect(resources[3]).toMatchObject({ defaultVersionId: 'v2', attachmentCount: 1, permissionsBoundaryUsageCount: 0, document: ADMIN });
  });
  it('fails on a policy without a default version', () => {
    expect(() => authorizationDetailsResources([{ $metadata: {}, Policies: [{ Arn: 'arn:x', PolicyVersionList: [] }] }])).toThrow(/no default version/);
  });
});

describe('iam.password-policy', () => {
  it('normalises a policy, unset numbers to 0', () => {
    expect(passwordPolicyResource(ACCOUNT, { MinimumPasswordLength: 14, RequireSymbols: true })).toEqual({
      id: `AWS::::Account:${ACCOUNT}`,
      type: 'AWS::::Account',
      name: ACCOUNT,
      present: true,
      minimumPasswordLength: 14,
      requireSymbols: true,
      requireNumbers: false,
      requireUppercaseCharacters: false,
      requireLowercaseCharacters: false,
      allowUsersToChangePassword: false,
      expirePasswords: false,
      maxPasswordAge: 0,
      passwordReusePrevention: 0,
      hardExpiry: false,
    });
  });
  it('treats NoSuchEntity as "no policy" and every other error as a failure', async () => {
    const absent = await passwordPolicy.collect(ctx(() => Promise.reject(awsError('NoSuchEntityException'))));
    expect(absent.resources).toEqual([{ id: `AWS::::Account:${ACCOUNT}`, type: 'AWS::::Account', name: ACCOUNT, present: false }]);
    await expect(passwordPolicy.collect(ctx(() => Promise.reject(awsError('AccessDenied'))))).rejects.toThrow('AccessDenied');
  });
});

describe('virtualMfaResource', () => {
  it('flags the root virtual device', () => {
    const r = virtualMfaResource(ACCOUNT, [
      { SerialNumber: `arn:aws:iam::${ACCOUNT}:mfa/alice`, User: { Arn: `arn:aws:iam::${ACCOUNT}:user/alice`, UserName: 'alice', Path: '/', UserId: 'x', CreateDate: new Date() } },
      { SerialNumber: `arn:aws:iam::${ACCOUNT}:mfa/root-account-mfa-device`, User: { Arn: `arn:aws:iam::${ACCOUNT}:root`, UserName: '', Path: '', UserId: ACCOUNT, CreateDate: new Date() } },
    ]);
    expect(r.rootVirtualMfa).toBe(true);
    expect((r.assignedVirtualMfaDevices as { root: boolean }[]).map((d) => d.root)).toEqual([false, true]);
    expect(JSON.stringify(r)).not.toMatch(/Base32StringSeed|QRCodePNG/);
  });
  it('no root device when only users have virtual devices', () => {
    expect(virtualMfaResource(ACCOUNT, []).rootVirtualMfa).toBe(false);
  });
});

// Account alternate contacts and Access Analyzer: normalisers tested here with narrow mocks (moto lacks
// Access Analyzer; the real-AWS answers below follow the API reference).
describe('account.alternate-contact', () => {
  it('normalises a complete contact', async () => {
    const out = await alternateContact.collect(
      ctx(() => ({ $metadata: {}, AlternateContact: { AlternateContactType: 'SECURITY', Name: 'Sec', EmailAddress: 'sec@example.com', PhoneNumber: '+1', Title: 'SOC' } })),
    );
    expect(out.resources[0]).toMatchObject({ present: true, hasName: true, hasEmail: true, hasPhone: true, title: 'SOC' });
  });
  it('ResourceNotFoundException means no contact; other errors fail', async () => {
    const out = await alternateContact.collect(ctx(() => Promise.reject(awsError('ResourceNotFoundException'))));
    expect(out.resources[0]).toMatchObject({ present: false });
    await expect(alternateContact.collect(ctx(() => Promise.reject(awsError('AccessDeniedException'))))).rejects.toThrow();
  });
  it('an empty e-mail is not a contact', () => {
    expect(securityContactResource(ACCOUNT, { Name: 'x', EmailAddress: ' ', PhoneNumber: '1' })).toMatchObject({ hasEmail: false });
  });
});

describe('accessanalyzer.analyzers', () => {
  it('lists analyzers of the region on one account resource', async () => {
    const out = await analyzers.collect(
      ctx(
        () => ({
          $metadata: {},
          analyzers: [
            { arn: `arn:aws:access-analyzer:eu-west-1:${ACCOUNT}:analyzer/ext`, name: 'ext', type: 'ACCOUNT', status: 'ACTIVE', createdAt: new Date('2024-01-01T00:00:00Z') },
            { arn: `arn:aws:access-analyzer:eu-west-1:${ACCOUNT}:analyzer/bad`, name: 'bad', type: 'ORGANIZATION', status: 'FAILED', statusReason: { code: 'AWS_SERVICE_ACCESS_DISABLED' } },
          ],
        }),
        'eu-west-1',
      ),
    );
    expect(out.resources).toEqual([
      {
        id: `AWS::::Account:${ACCOUNT}`,
        type: 'AWS::::Account',
        name: ACCOUNT,
        region: 'eu-west-1',
        analyzers: [
          { arn: `arn:aws:access-analyzer:eu-west-1:${ACCOUNT}:analyzer/ext`, name: 'ext', type: 'ACCOUNT', status: 'ACTIVE', statusReason: null, createdAt: '2024-01-01T00:00:00.000Z' },
          { arn: `arn:aws:access-analyzer:eu-west-1:${ACCOUNT}:analyzer/bad`, name: 'bad', type: 'ORGANIZATION', status: 'FAILED', statusReason: 'AWS_SERVICE_ACCESS_DISABLED', createdAt: null },
        ],
      },
    ]);
  });
  it('no analyzers is still one resource (so the control can FAIL it)', async () => {
    const out = await analyzers.collect(ctx(() => ({ $metadata: {}, analyzers: [] })));
    expect(out.resources).toHaveLength(1);
    expect(out.resources[0]).toMatchObject({ region: 'us-east-1', analyzers: [] });
  });
});
