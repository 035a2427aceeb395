import { GetAccountSummaryCommand, IAMClient } from '@aws-sdk/client-iam';
import { accountResourceId, stripMetadata, type Collector } from '../types.js';
import { resourceShape, s } from '../resource-schema.js';

/** IAM GetAccountSummary: root MFA and root access keys as account-level facts. */
export const accountSummary: Collector = {
  id: 'iam.account-summary',
  version: '1',
  title: 'IAM account summary',
  scope: 'account',
  permissions: ['iam:GetAccountSummary'],
  resourceSchema: resourceShape(
    'AWS::::Account',
    {
      rootMfaEnabled: s.boolean,
      rootAccessKeysPresent: s.boolean,
      users: s.integer,
      policies: s.integer,
    },
  ),
  async collect(ctx) {
    const response = await ctx.clients.get(IAMClient).send(new GetAccountSummaryCommand({}));
    const summary = response.SummaryMap ?? {};
    return {
      raw: { GetAccountSummary: stripMetadata(response) },
      resources: [
        {
          id: accountResourceId(ctx.account),
          type: 'AWS::::Account',
          name: ctx.account,
          rootMfaEnabled: summary.AccountMFAEnabled === 1,
          rootAccessKeysPresent: (summary.AccountAccessKeysPresent ?? 0) > 0,
          users: summary.Users ?? 0,
          policies: summary.Policies ?? 0,
        },
      ],
    };
  },
};
