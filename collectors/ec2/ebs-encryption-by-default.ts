import { EC2Client, GetEbsEncryptionByDefaultCommand } from '@aws-sdk/client-ec2';
import { accountResourceId, stripMetadata, type Collector } from '../types.js';
import { resourceShape, s } from '../resource-schema.js';

/** EC2 GetEbsEncryptionByDefault: whether new EBS volumes in this region are encrypted automatically (EC2.7). */
export const ebsEncryptionByDefault: Collector = {
  id: 'ec2.ebs-encryption-by-default',
  version: '1',
  title: 'EBS encryption by default (per region)',
  scope: 'region',
  permissions: ['ec2:GetEbsEncryptionByDefault'],
  resourceSchema: resourceShape(
    'AWS::::Account',
    {
      ebsEncryptionByDefault: s.boolean,
    }, { region: true },
  ),
  async collect(ctx) {
    const response = await ctx.clients.get(EC2Client).send(new GetEbsEncryptionByDefaultCommand({}));
    return {
      raw: { GetEbsEncryptionByDefault: stripMetadata(response) },
      resources: [
        {
          id: accountResourceId(ctx.account),
          type: 'AWS::::Account',
          name: ctx.account,
          region: ctx.region,
          ebsEncryptionByDefault: response.EbsEncryptionByDefault === true,
        },
      ],
    };
  },
};
