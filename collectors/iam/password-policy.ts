import { GetAccountPasswordPolicyCommand, IAMClient, type PasswordPolicy } from '@aws-sdk/client-iam';
import type { Resource } from '../../src/core/types.js';
import { absentOn, accountResourceId, stripMetadata, type Collector } from '../types.js';
import { resourceShape, s } from '../resource-schema.js';

/**
 * The account's IAM password policy as one account-level resource. Unset numeric settings become 0 (AWS's
 * "not enforced"), so rules compare numbers without has() checks. `present: false` means no policy is set.
 */
export function passwordPolicyResource(account: string, policy: PasswordPolicy | undefined): Resource {
  const base = { id: accountResourceId(account), type: 'AWS::::Account', name: account };
  if (!policy) return { ...base, present: false };
  return {
    ...base,
    present: true,
    minimumPasswordLength: policy.MinimumPasswordLength ?? 0,
    requireSymbols: policy.RequireSymbols === true,
    requireNumbers: policy.RequireNumbers === true,
    requireUppercaseCharacters: policy.RequireUppercaseCharacters === true,
    requireLowercaseCharacters: policy.RequireLowercaseCharacters === true,
    allowUsersToChangePassword: policy.AllowUsersToChangePassword === true,
    expirePasswords: policy.ExpirePasswords === true,
    maxPasswordAge: policy.MaxPasswordAge ?? 0,
    passwordReusePrevention: policy.PasswordReusePrevention ?? 0,
    hardExpiry: policy.HardExpiry === true,
  };
}

/** IAM GetAccountPasswordPolicy; NoSuchEntity is AWS's documented answer for "no policy set". */
export const passwordPolicy: Collector = {
  id: 'iam.password-policy',
  version: '1',
  title: 'IAM account password policy',
  scope: 'account',
  permissions: ['iam:GetAccountPasswordPolicy'],
  resourceSchema: resourceShape(
    'AWS::::Account',
    {
      present: s.boolean,
      minimumPasswordLength: s.integer,
      requireSymbols: s.boolean,
      requireNumbers: s.boolean,
      requireUppercaseCharacters: s.boolean,
      requireLowercaseCharacters: s.boolean,
      allowUsersToChangePassword: s.boolean,
      expirePasswords: s.boolean,
      maxPasswordAge: s.integer,
      passwordReusePrevention: s.integer,
      hardExpiry: s.boolean,
    }, { optional: ['minimumPasswordLength', 'requireSymbols', 'requireNumbers', 'requireUppercaseCharacters', 'requireLowercaseCharacters', 'allowUsersToChangePassword', 'expirePasswords', 'maxPasswordAge', 'passwordReusePrevention', 'hardExpiry'] },
  ),
  async collect(ctx) {
    const iam = ctx.clients.get(IAMClient);
    const response = await absentOn(['NoSuchEntity', 'NoSuchEntityException'], () => iam.send(new GetAccountPasswordPolicyCommand({})));
    return {
      raw: { GetAccountPasswordPolicy: response ? stripMetadata(response) : { absent: 'NoSuchEntity' } },
      resources: [passwordPolicyResource(ctx.account, response?.PasswordPolicy)],
    };
  },
};
