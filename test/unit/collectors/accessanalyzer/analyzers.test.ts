// Moto lacks Access Analyzer: the answers below follow the API reference.
import { describe, expect, it } from 'vitest';
import { analyzers } from '../../../../collectors/accessanalyzer/analyzers.js';
import { fakeClients } from '../../../helpers/fake-clients.js';

const ACCOUNT = '111111111111';

describe('accessanalyzer.analyzers', () => {
  it('lists analyzers of the region on one account resource', async () => {
    const { ctx, calls } = fakeClients(
      {
        ListAnalyzers: {
          analyzers: [
            { arn: `arn:aws:access-analyzer:eu-west-1:${ACCOUNT}:analyzer/ext`, name: 'ext', type: 'ACCOUNT', status: 'ACTIVE', createdAt: new Date('2024-01-01T00:00:00Z') },
            { arn: `arn:aws:access-analyzer:eu-west-1:${ACCOUNT}:analyzer/bad`, name: 'bad', type: 'ORGANIZATION', status: 'FAILED', statusReason: { code: 'AWS_SERVICE_ACCESS_DISABLED' } },
          ],
        },
      },
      { region: 'eu-west-1' },
    );
    const out = await analyzers.collect(ctx);
    expect(calls.map((c) => c.region)).toEqual(['eu-west-1']);
    expect(out.resources).toEqual([
      {
        id: `AWS::::Account:${ACCOUNT}`,
        type: 'AWS::::Account',
        name: ACCOUNT,
        region: 'eu-west-1',
        analyzers: [
          { arn: `arn:aws:access-analyzer:eu-west-1:${ACCOUNT}:analyzer/ext`, name: 'ext', type: 'ACCOUNT', status: 'ACTIVE', statusReason: null, createdAt: '2024-01-01T00:00:00.000Z' },
          { arn: `arn:aws:access-analyzer:eu-west-1:${ACCOUNT}:analyzer/bad`, name: 'bad', type: 'ORGANIZATION', status: 'FAILED', statusReason: 'AWS_SERVICE_ACCESS_DISABLED', createdAt: null },
        ],
      },
    ]);
  });
  it('no analyzers is still one resource (so the control can FAIL it)', async () => {
    const out = await analyzers.collect(fakeClients({ ListAnalyzers: { analyzers: [] } }).ctx);
    expect(out.resources).toHaveLength(1);
    expect(out.resources[0]).toMatchObject({ region: 'us-east-1', analyzers: [] });
  });
});
