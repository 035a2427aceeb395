import { describe, expect, it } from 'vitest';
import { passwordPolicy, passwordPolicyResource } from '../../../../collectors/iam/password-policy.js';
import { awsError, fakeClients } from '../../../helpers/fake-clients.js';

const ACCOUNT = '111111111111';

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
    const absent = await passwordPolicy.collect(fakeClients({ GetAccountPasswordPolicy: awsError('NoSuchEntityException') }).ctx);
    expect(absent.resources).toEqual([{ id: `AWS::::Account:${ACCOUNT}`, type: 'AWS::::Account', name: ACCOUNT, present: false }]);
    await expect(passwordPolicy.collect(fakeClients({ GetAccountPasswordPolicy: awsError('AccessDenied') }).ctx)).rejects.toThrow('AccessDenied');
  });
});
