import { describe, expect, it } from 'vitest';
import { accountPublicAccessBlock } from '../../../../collectors/s3/account-public-access-block.js';
import { runCollector } from '../../../../src/collect/run-collector.js';
import { awsError, fakeClients } from '../../../helpers/fake-clients.js';

describe('s3.account-public-access-block collector', () => {
  it('treats NoSuchPublicAccessBlockConfiguration as all four off', async () => {
    const record = await runCollector(accountPublicAccessBlock, {
      account: '111111111111',
      region: 'us-east-1',
      clients: fakeClients({ GetPublicAccessBlock: awsError('NoSuchPublicAccessBlockConfiguration') }).clients,
    });
    expect(record.status).toBe('ok');
    expect(record.resources).toEqual([
      {
        id: 'AWS::::Account:111111111111',
        type: 'AWS::::Account',
        name: '111111111111',
        configured: false,
        blockPublicAcls: false,
        ignorePublicAcls: false,
        blockPublicPolicy: false,
        restrictPublicBuckets: false,
      },
    ]);
  });
  it('passes the account id and fails closed on other errors', async () => {
    const { clients, calls } = fakeClients({
      GetPublicAccessBlock: { PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: false } },
    });
    const ok = await runCollector(accountPublicAccessBlock, { account: '111111111111', region: 'us-east-1', clients });
    expect(calls.map((c) => c.input.AccountId)).toEqual(['111111111111']);
    expect(ok.resources[0]).toMatchObject({ configured: true, restrictPublicBuckets: false, blockPublicAcls: true });
    const denied = await runCollector(accountPublicAccessBlock, {
      account: '111111111111',
      region: 'us-east-1',
      clients: fakeClients({ GetPublicAccessBlock: awsError('AccessDenied') }).clients,
    });
    expect(denied.status).toBe('error');
  });
});
