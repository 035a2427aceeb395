import { GetPublicAccessBlockCommand, S3ControlClient } from '@aws-sdk/client-s3-control';
import { absentOn, accountResourceId, stripMetadata, type Collector } from '../types.js';
import { resourceShape, s } from '../resource-schema.js';

/** S3 Control GetPublicAccessBlock: the account-wide Block Public Access settings (S3.1). */
export const accountPublicAccessBlock: Collector = {
  id: 's3.account-public-access-block',
  version: '1',
  title: 'S3 account-level Block Public Access',
  scope: 'account',
  permissions: ['s3:GetAccountPublicAccessBlock'],
  resourceSchema: resourceShape(
    'AWS::::Account',
    {
      configured: s.boolean,
      blockPublicAcls: s.boolean,
      ignorePublicAcls: s.boolean,
      blockPublicPolicy: s.boolean,
      restrictPublicBuckets: s.boolean,
    },
  ),
  async collect(ctx) {
    const response = await absentOn(['NoSuchPublicAccessBlockConfiguration'], () =>
      ctx.clients.get(S3ControlClient).send(new GetPublicAccessBlockCommand({ AccountId: ctx.account })),
    );
    const config = response?.PublicAccessBlockConfiguration;
    return {
      raw: { GetPublicAccessBlock: response ? stripMetadata(response) : { absent: 'NoSuchPublicAccessBlockConfiguration' } },
      resources: [
        {
          id: accountResourceId(ctx.account),
          type: 'AWS::::Account',
          name: ctx.account,
          configured: Boolean(config),
          blockPublicAcls: config?.BlockPublicAcls === true,
          ignorePublicAcls: config?.IgnorePublicAcls === true,
          blockPublicPolicy: config?.BlockPublicPolicy === true,
          restrictPublicBuckets: config?.RestrictPublicBuckets === true,
        },
      ],
    };
  },
};
