import { describe, expect, it } from 'vitest';
import { cloudtrailTrails } from '../../../../collectors/cloudtrail/trails.js';
import { awsError, fakeClients } from '../../../helpers/fake-clients.js';

describe('cloudtrail.trails', () => {
  const shadow = { Name: 'org', TrailARN: 'arn:aws:cloudtrail:us-east-1:111111111111:trail/org', HomeRegion: 'us-east-1', IsMultiRegionTrail: true, LogFileValidationEnabled: true, KmsKeyId: 'arn:aws:kms:us-east-1:111111111111:key/k', HasCustomEventSelectors: true };
  const local = { Name: 'local', TrailARN: 'arn:aws:cloudtrail:eu-west-1:111111111111:trail/local', HomeRegion: 'eu-west-1', IsMultiRegionTrail: false, HasCustomEventSelectors: false };

  it('dedupes by ARN, asks each trail in its home Region, and summarises the account', async () => {
    const { ctx, calls, callsOf } = fakeClients(
      {
        DescribeTrails: { trailList: [shadow, local, shadow] },
        GetTrailStatus: (input) => ({ IsLogging: input.Name === shadow.TrailARN }),
        GetEventSelectors: (input) =>
          input.TrailName === shadow.TrailARN ? { AdvancedEventSelectors: [{ FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] }] } : { EventSelectors: [] },
      },
      { region: 'eu-west-1' },
    );
    const out = await cloudtrailTrails.collect(ctx);
    expect(calls.find((s) => s.command === 'DescribeTrails')?.input).toEqual({ includeShadowTrails: true });
    expect(callsOf('GetTrailStatus').map((s) => [s.input.Name, s.region])).toEqual([
      [shadow.TrailARN, 'us-east-1'],
      [local.TrailARN, 'eu-west-1'],
    ]);
    expect(out.resources).toEqual([
      { id: 'AWS::::Account:111111111111', type: 'AWS::::Account', name: '111111111111', region: 'eu-west-1', trailCount: 2, multiRegionTrailCount: 1 },
      expect.objectContaining({ id: local.TrailARN, isShadow: false, isLogging: false, kmsKeyId: null, kmsEncrypted: false, logFileValidation: false, readWriteType: 'ALL', selectorSource: 'default' }),
      expect.objectContaining({ id: shadow.TrailARN, region: 'eu-west-1', homeRegion: 'us-east-1', isShadow: true, isLogging: true, kmsEncrypted: true, readWriteType: 'ALL', selectorSource: 'advanced' }),
    ]);
    expect(Object.keys(out.raw).sort()).toEqual([
      'DescribeTrails',
      `GetEventSelectors:${local.TrailARN}`,
      `GetEventSelectors:${shadow.TrailARN}`,
      `GetTrailStatus:${local.TrailARN}`,
      `GetTrailStatus:${shadow.TrailARN}`,
    ]);
  });

  it('fails closed when a per-trail call fails', async () => {
    const denied = awsError('AccessDeniedException', { message: 'no' });
    const { ctx } = fakeClients({ DescribeTrails: { trailList: [local] }, GetTrailStatus: denied, GetEventSelectors: denied });
    await expect(cloudtrailTrails.collect(ctx)).rejects.toThrow('no');
  });
});
