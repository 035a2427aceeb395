import {
  AddUserToGroupCommand,
  AttachGroupPolicyCommand,
  AttachRolePolicyCommand,
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreateGroupCommand,
  CreateLoginProfileCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  CreateVirtualMFADeviceCommand,
  EnableMFADeviceCommand,
  IAMClient,
  PutUserPolicyCommand,
  UpdateAccessKeyCommand,
  UpdateAccountPasswordPolicyCommand,
} from '@aws-sdk/client-iam';
import type { SeededIds, Seeder } from './types.js';

/** A demo-only password for moto; never a real credential. */
const DEMO_PASSWORD = 'Demo-only-Passw0rd!-moto';

const ADMIN_STAR = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };
const S3_READ_REPORTS = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: ['arn:aws:s3:::ap-reports', 'arn:aws:s3:::ap-reports/*'] }],
};
const DENY_GUARDRAIL = { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: '*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }] };
const CI_INLINE = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'cloudformation:*', Resource: '*' }] };

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
    { name: 'ap-ci-deploy', console: false, mfa: false, activeKeys: hardened ? 1 : 2, inactiveKeys: hardened ? 1 : 0, inlinePolicy: true },
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
 * CIS 1.17 / 1.22 (issue 12): the hardened account has a support role (AWSSupportAccess); the sloppy one has
 * none, but a role with AWSCloudShellFullAccess attached.
 */
async function seedSupportRoles(iam: IAMClient, account: string, hardened: boolean): Promise<{ name: string; arn: string }> {
  const name = hardened ? 'ap-support' : 'ap-cloudshell-ops';
  const policy = hardened ? 'AWSSupportAccess' : 'AWSCloudShellFullAccess';
  const trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: 'sts:AssumeRole' }] };
  const created = await iam.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: JSON.stringify(trust) }));
  await iam.send(new AttachRolePolicyCommand({ RoleName: name, PolicyArn: `arn:aws:iam::aws:policy/${policy}` }));
  return { name, arn: created.Role?.Arn ?? '' };
}

/**
 * IAM is global, so only in the primary region: the management account gets the hardened setup (strong password
 * policy), every other account the sloppy one (weak policy, a forgotten console user). Both have users with and
 * without console MFA, access keys, direct/inline/group permissions and customer-managed policies. Limits of
 * moto shape what the audit finds: the account summary always reports root MFA 0, every access key is created
 * "now", and Access Analyzer is not implemented (against AWS an analyzer would be created here).
 */
export const iamSeeder: Seeder = {
  service: 'iam',
  async seed(target) {
    const ids: SeededIds = {};
    if (!target.primary) return ids;
    const iam = target.clients.get(IAMClient);
    const hardened = target.role === 'management';
    await seedPasswordPolicy(iam, hardened);
    const policyArns = await seedPolicies(iam);
    for (const [name, arn] of Object.entries(policyArns)) ids[`policy/${name}`] = arn;
    for (const user of usersFor(hardened)) {
      const arn = await seedUser(iam, user, policyArns);
      ids[`user/${user.name}`] = arn;
    }
    const role = await seedSupportRoles(iam, target.account, hardened);
    ids[`role/${role.name}`] = role.arn;
    return ids;
  },
};
