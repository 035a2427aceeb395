import { describe, expect, it } from 'vitest';
import { policyAllowsFullAdmin } from '../../../../src/rules/functions/iam.js';

/**
 * IAM.1 counts Action "*" on Resource "*". A pattern of wildcards alone that matches every action or resource
 * means the same and must not hide full admin. (IAM's API rejects wildcard vendors such as "*?:*" today, which
 * is why the moto test cannot seed these; a policy from elsewhere, or a future relaxation, must still FAIL.)
 */
describe('policyAllowsFullAdmin: admin disguised as wildcards', () => {
  const allow = (Action: unknown, Resource: unknown = '*') => ({ Statement: [{ Effect: 'Allow', Action, Resource }] });

  it('counts wildcard-only patterns that match every action or resource as "*"', () => {
    for (const action of ['*', '*:*', '**', '?*', '*?*', '????*', '*?:*', '??*:?*', `${'*'.repeat(5_000)}`]) expect(policyAllowsFullAdmin(allow(action)), action).toBe(true);
    for (const resource of ['*?*', 'arn:*', 'arn:?*', '**']) expect(policyAllowsFullAdmin(allow('*', resource)), resource).toBe(true);
  });

  it('does not count patterns that leave out some actions or resources', () => {
    for (const action of ['s3:*', '?', '?????*', '???:*', '*:??*', 'iam:*?*', `${'*?'.repeat(2_000)}`, '*:*:*']) expect(policyAllowsFullAdmin(allow(action)), action).toBe(false);
    for (const resource of ['arn:aws:s3:::*', `arn:aws:s3:::${'a*'.repeat(2_000)}`, 'arn:???????*']) expect(policyAllowsFullAdmin(allow('*', resource)), resource).toBe(false);
  });
});
