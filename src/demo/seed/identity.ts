import { AccountClient, PutAlternateContactCommand } from '@aws-sdk/client-account';
import {
  AddUserToGroupCommand,
  AttachGroupPolicyCommand,
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreateGroupCommand,
  CreateLoginProfileCommand,
  CreatePolicyCommand,
  CreateUserCommand,
  CreateVirtualMFADeviceCommand,
  EnableMFADeviceCommand,
  IAMClient,
  PutUserPolicyCommand,
  UpdateAccessKeyCommand,
  UpdateAccountPasswordPolicyCommand,
} from '@aws-sdk/client-iam';
import { DescribeOrganizationCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { absentOn } from '../../core/collector.js';
import type { Status } from '../../core/types.js';
import type { Expectation, SeedTarget, Seeder } from './types.js';

/** A demo-only password for moto; never a real credential. */
const DEMO_PASSWORD = 'Demo-only-Passw0rd!-moto';

const ADMIN_STAR = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };
const S3_READ_REPORTS = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: ['arn:aws:s3:::ap-reports', 'arn:aws:s3:::ap-reports/*'] }],
};
const DENY_GUARDRAIL = { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: '*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }] };
const CI_INLINE = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'cloudformation:*', Resource: '*' }] };

/**
 * The organisation's management account gets the hardened identity setup, every other account (members, or
 * accounts outside an organisation) the sloppy one: deterministic, and it differs between the demo's two
 * accounts whatever id moto gives the member.
 */
export async function isHardenedIdentityAccount(target: SeedTarget): Promise<boolean> {
  const described = await absentOn(['AWSOrganizationsNotInUseException'], () =>
    target.clients.get(OrganizationsClient).send(new DescribeOrganizationCommand({})),
  );
  return described?.Organization?.MasterAccountId === target.account;
}

interface UserPlan {
  name: string;
  console: boolean;
  mfa: boolean;
  /** Active access keys (moto dates every key "now", so an old key cannot be seeded: age checks PASS). */
  activeKeys: number;
  inactiveKeys: number;
  group?: string;
  directPolicy?: string;
  inlinePolicy?: boolean;
}

function usersFor(hardened: boolean): UserPlan[] {
  const users: UserPlan[] = [
    { name: 'ap-alice', console: true, mfa: true, activeKeys: 0, inactiveKeys: 0, group: 'ap-developers' },
    { name: 'ap-bob', console: true, mfa: false, activeKeys: 0, inactiveKeys: 0, directPolicy: 'ap-s3-read-reports' },
    { name: 'ap-carol', console: false, mfa: false, activeKeys: 1, inactiveKeys: 0, group: 'ap-developers' },
    { name: 'ap-ci-deploy', console: false, mfa: false, activeKeys: 1, inactiveKeys: hardened ? 1 : 0, inlinePolicy: true },
  ];
  // The weak account also has a forgotten console user: password, no MFA, no key.
  if (!hardened) users.push({ name: 'ap-dave', console: true, mfa: false, activeKeys: 0, inactiveKeys: 0, group: 'ap-developers' });
  return users;
}

async function seedPolicies(iam: IAMClient): Promise<Record<string, string>> {
  const arns: Record<string, string> = {};
  for (const [name, doc] of [
    ['ap-admin-star', ADMIN_STAR],
    ['ap-s3-read-reports', S3_READ_REPORTS],
    ['ap-deny-insecure-transport', DENY_GUARDRAIL],
  ] as const) {
    const created = await iam.send(new CreatePolicyCommand({ PolicyName: name, PolicyDocument: JSON.stringify(doc) }));
    arns[name] = created.Policy?.Arn ?? '';
  }
  await iam.send(new CreateGroupCommand({ GroupName: 'ap-developers' }));
  await iam.send(new AttachGroupPolicyCommand({ GroupName: 'ap-developers', PolicyArn: arns['ap-s3-read-reports'] }));
  await iam.send(new CreateGroupCommand({ GroupName: 'ap-admins' }));
  await iam.send(new AttachGroupPolicyCommand({ GroupName: 'ap-admins', PolicyArn: arns['ap-admin-star'] }));
  return arns;
}

async function seedUser(iam: IAMClient, user: UserPlan, policyArns: Record<string, string>): Promise<string> {
  const created = await iam.send(new CreateUserCommand({ UserName: user.name }));
  if (user.console) await iam.send(new CreateLoginProfileCommand({ UserName: user.name, Password: DEMO_PASSWORD }));
  if (user.mfa) {
    const device = await iam.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: user.name }));
    await iam.send(
      new EnableMFADeviceCommand({ UserName: user.name, SerialNumber: device.VirtualMFADevice?.SerialNumber, AuthenticationCode1: '123456', AuthenticationCode2: '654321' }),
    );
  }
  for (let i = 0; i < user.activeKeys + user.inactiveKeys; i += 1) {
    const key = await iam.send(new CreateAccessKeyCommand({ UserName: user.name }));
    if (i >= user.activeKeys) {
      await iam.send(new UpdateAccessKeyCommand({ UserName: user.name, AccessKeyId: key.AccessKey?.AccessKeyId, Status: 'Inactive' }));
    }
  }
  if (user.group) await iam.send(new AddUserToGroupCommand({ GroupName: user.group, UserName: user.name }));
  if (user.directPolicy) await iam.send(new AttachUserPolicyCommand({ UserName: user.name, PolicyArn: policyArns[user.directPolicy] }));
  if (user.inlinePolicy) {
    await iam.send(new PutUserPolicyCommand({ UserName: user.name, PolicyName: 'ap-ci-cloudformation', PolicyDocument: JSON.stringify(CI_INLINE) }));
  }
  return created.User?.Arn ?? '';
}

async function seedPasswordPolicy(iam: IAMClient, hardened: boolean): Promise<void> {
  const policy = hardened
    ? { MinimumPasswordLength: 14, PasswordReusePrevention: 24, MaxPasswordAge: 90, RequireSymbols: true }
    : { MinimumPasswordLength: 8, PasswordReusePrevention: 5, RequireSymbols: false };
  await iam.send(
    new UpdateAccountPasswordPolicyCommand({
      ...policy,
      RequireNumbers: true,
      RequireUppercaseCharacters: true,
      RequireLowercaseCharacters: true,
      AllowUsersToChangePassword: true,
    }),
  );
}

/**
 * Identity estate per account (IAM is global, so only in the primary region): password policy, security
 * contact, users with and without console MFA, access keys, direct/inline/group permissions and
 * customer-managed policies. Limits of moto shape the expectations: the account summary always reports root
 * MFA 0 (root MFA controls FAIL), every access key is created "now" (age and unused checks PASS), and Access
 * Analyzer is not implemented (its control is ERROR in every region).
 */
export const seedIdentity: Seeder = async (target: SeedTarget) => {
  const { account } = target;
  const accountId = `AWS::::Account:${account}`;
  // moto gap: Access Analyzer is not implemented, so its evidence is an error record and the control ERROR
  // in every region (against AWS an analyzer would be created here).
  const analyzerExpectation: Expectation = { control: 'iam-access-analyzer-enabled', account, region: target.region, resourceId: accountId, status: 'ERROR' };
  if (!target.primary) return [analyzerExpectation];
  const iam = target.clients.get(IAMClient);
  const hardened = await isHardenedIdentityAccount(target);
  const expectations: Expectation[] = [analyzerExpectation];
  const expect = (control: string, resourceId: string, status: Status) => expectations.push({ control, account, region: 'global', resourceId, status });
  const strongWhenHardened: Status = hardened ? 'PASS' : 'FAIL';

  await seedPasswordPolicy(iam, hardened);
  if (hardened) {
    await target.clients
      .get(AccountClient)
      .send(new PutAlternateContactCommand({ AlternateContactType: 'SECURITY', Name: 'Security team', EmailAddress: 'security@example.com', PhoneNumber: '+1-555-0100', Title: 'SOC' }));
  }
  const policyArns = await seedPolicies(iam);
  for (const user of usersFor(hardened)) {
    const arn = await seedUser(iam, user, policyArns);
    if (user.console) expect('iam-console-users-mfa', arn, user.mfa ? 'PASS' : 'FAIL');
    expect('iam-users-mfa', arn, user.mfa ? 'PASS' : 'FAIL');
    expect('iam-user-no-policies', arn, user.directPolicy || user.inlinePolicy ? 'FAIL' : 'PASS');
    if (user.activeKeys > 0) expect('iam-access-key-age', arn, 'PASS');
    expect('iam-unused-credentials', arn, 'PASS');
    expect('iam-unused-credentials-45', arn, 'PASS');
  }

  expect('iam-root-mfa', accountId, 'FAIL');
  expect('iam-root-hardware-mfa', accountId, 'FAIL');
  expect('iam-root-access-keys', accountId, 'PASS');
  expect('iam-password-policy-strong', accountId, strongWhenHardened);
  expect('iam-password-min-length', accountId, strongWhenHardened);
  expect('iam-password-reuse', accountId, strongWhenHardened);
  expect('account-security-contact', accountId, strongWhenHardened);
  expect('iam-no-admin-star-policies', policyArns['ap-admin-star'] ?? '', 'FAIL');
  expect('iam-no-admin-star-policies', policyArns['ap-s3-read-reports'] ?? '', 'PASS');
  expect('iam-no-admin-star-policies', policyArns['ap-deny-insecure-transport'] ?? '', 'PASS');
  return expectations;
};

export const identitySeeders: Seeder[] = [seedIdentity];
