import { describe, expect, it } from 'vitest';
import { cloudtrailTrails } from '../../../../collectors/cloudtrail/trails.js';
import { collectors } from '../../../../collectors/index.js';
import { ResourceSchemas } from '../../../../src/catalog/resource-schemas.js';
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
    // In ARN order, each in its trail's home Region.
    expect(callsOf('GetTrailStatus').map((s) => [s.input.Name, s.region])).toEqual([
      [local.TrailARN, 'eu-west-1'],
      [shadow.TrailARN, 'us-east-1'],
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

  /** As the client provider throws it: the SDK error, tagged with the IAM action of the call. */
  const denied = (action: string) => Object.assign(awsError('AccessDeniedException', { message: `User: auditor is not authorized to perform: ${action}` }), { auditpackAction: action });
  const schemas = new ResourceSchemas(collectors);

  it('GetTrailStatus refused for one trail: that trail lacks only isLogging and names the call; the other trail is whole', async () => {
    const { ctx } = fakeClients(
      {
        DescribeTrails: { trailList: [shadow, local] },
        GetTrailStatus: (input) => (input.Name === local.TrailARN ? denied('cloudtrail:GetTrailStatus') : { IsLogging: true }),
        GetEventSelectors: { EventSelectors: [] },
      },
      { region: 'eu-west-1' },
    );
    const out = await cloudtrailTrails.collect(ctx);
    const [account, refused, whole] = out.resources;
    expect(account).toMatchObject({ trailCount: 2, multiRegionTrailCount: 1 });
    expect(account).not.toHaveProperty('collectionErrors');
    expect(refused).toEqual({
      id: local.TrailARN,
      type: 'AWS::CloudTrail::Trail',
      name: 'local',
      region: 'eu-west-1',
      homeRegion: 'eu-west-1',
      isShadow: false,
      isMultiRegion: false,
      isOrganizationTrail: false,
      logFileValidation: false,
      kmsKeyId: null,
      kmsEncrypted: false,
      s3BucketName: null,
      includeGlobalServiceEvents: false,
      includeManagementEvents: true,
      managementEventsRead: true,
      managementEventsWrite: true,
      readWriteType: 'ALL',
      selectorSource: 'default',
      s3DataEventsRead: false,
      s3DataEventsWrite: false,
      collectionErrors: [{ fields: ['isLogging'], action: 'cloudtrail:GetTrailStatus', code: 'AccessDeniedException', message: 'missing permission cloudtrail:GetTrailStatus: User: auditor is not authorized to perform: cloudtrail:GetTrailStatus' }],
    });
    expect(whole).toMatchObject({ id: shadow.TrailARN, isLogging: true });
    expect(whole).not.toHaveProperty('collectionErrors');
    expect(out.raw[`GetTrailStatus:${local.TrailARN}`]).toEqual({ error: { action: 'cloudtrail:GetTrailStatus', code: 'AccessDeniedException', message: refused?.collectionErrors?.[0]?.message } });
    expect(out.raw[`GetEventSelectors:${local.TrailARN}`]).toEqual({ EventSelectors: [] });
    for (const resource of out.resources) expect(schemas.outputProblem('cloudtrail.trails', resource)).toBeUndefined();
  });

  it('GetEventSelectors refused: the trail lacks exactly the management-event fields; both calls refused name both', async () => {
    const { ctx } = fakeClients({
      DescribeTrails: { trailList: [local] },
      GetTrailStatus: denied('cloudtrail:GetTrailStatus'),
      GetEventSelectors: denied('cloudtrail:GetEventSelectors'),
    });
    const out = await cloudtrailTrails.collect(ctx);
    const trail = out.resources[1]!;
    for (const field of ['isLogging', 'includeManagementEvents', 'managementEventsRead', 'managementEventsWrite', 'readWriteType', 'selectorSource', 's3DataEventsRead', 's3DataEventsWrite']) expect(trail).not.toHaveProperty(field);
    expect(trail).toMatchObject({ id: local.TrailARN, isMultiRegion: false, logFileValidation: false, kmsEncrypted: false });
    expect(trail.collectionErrors?.map((e) => [e.action, e.fields])).toEqual([
      ['cloudtrail:GetEventSelectors', ['includeManagementEvents', 'managementEventsRead', 'managementEventsWrite', 'readWriteType', 'selectorSource', 's3DataEventsRead', 's3DataEventsWrite']],
      ['cloudtrail:GetTrailStatus', ['isLogging']],
    ]);
    expect(schemas.outputProblem('cloudtrail.trails', trail)).toBeUndefined();
  });

  it('a failed DescribeTrails (the listing) still fails the whole run', async () => {
    const { ctx } = fakeClients({ DescribeTrails: denied('cloudtrail:DescribeTrails') });
    await expect(cloudtrailTrails.collect(ctx)).rejects.toThrow('cloudtrail:DescribeTrails');
  });
});
