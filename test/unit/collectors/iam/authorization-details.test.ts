import { describe, expect, it } from 'vitest';
import { authorizationDetailsResources } from '../../../../collectors/iam/authorization-details.js';

const ACCOUNT = '111111111111';
const ADMIN = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };
const encoded = (doc: unknown) => encodeURIComponent(JSON.stringify(doc));

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
