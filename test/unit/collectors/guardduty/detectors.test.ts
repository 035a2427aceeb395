import { describe, expect, it } from 'vitest';
import { guarddutyDetectors } from '../../../../collectors/guardduty/detectors.js';
import { collectors } from '../../../../collectors/index.js';
import { ResourceSchemas } from '../../../../src/catalog/resource-schemas.js';
import { awsError, fakeClients } from '../../../helpers/fake-clients.js';

describe('guardduty.detectors', () => {
  const schemas = new ResourceSchemas(collectors);

  it('summarises the region\'s detectors as one account resource', async () => {
    const { ctx } = fakeClients({
      ListDetectors: { DetectorIds: ['d2', 'd1'] },
      GetDetector: (input) => ({ Status: input.DetectorId === 'd1' ? 'ENABLED' : 'DISABLED', FindingPublishingFrequency: 'SIX_HOURS', CreatedAt: '2024-01-01T00:00:00.000Z' }),
    });
    const out = await guarddutyDetectors.collect(ctx);
    expect(out.resources).toEqual([
      {
        id: 'AWS::::Account:111111111111',
        type: 'AWS::::Account',
        name: '111111111111',
        region: 'us-east-1',
        detectors: [
          { id: 'd1', status: 'ENABLED', findingPublishingFrequency: 'SIX_HOURS', createdAt: '2024-01-01T00:00:00.000Z' },
          { id: 'd2', status: 'DISABLED', findingPublishingFrequency: 'SIX_HOURS', createdAt: '2024-01-01T00:00:00.000Z' },
        ],
        enabledDetectorCount: 1,
      },
    ]);
    expect(Object.keys(out.raw)).toEqual(['ListDetectors', 'GetDetector:d1', 'GetDetector:d2']);
    expect(schemas.outputProblem('guardduty.detectors', out.resources[0])).toBeUndefined();
  });

  it('a refused GetDetector keeps the account resource without the detector list and count, naming the call', async () => {
    const denied = Object.assign(awsError('AccessDeniedException', { message: 'User: auditor is not authorized to perform: guardduty:GetDetector', httpStatusCode: 403 }), {
      auditpackAction: 'guardduty:GetDetector',
    });
    const { ctx } = fakeClients({ ListDetectors: { DetectorIds: ['d1'] }, GetDetector: denied });
    const out = await guarddutyDetectors.collect(ctx);
    expect(out.resources).toEqual([
      {
        id: 'AWS::::Account:111111111111',
        type: 'AWS::::Account',
        name: '111111111111',
        region: 'us-east-1',
        collectionErrors: [
          {
            fields: ['detectors', 'enabledDetectorCount'],
            action: 'guardduty:GetDetector',
            code: 'AccessDeniedException',
            message: 'missing permission guardduty:GetDetector: User: auditor is not authorized to perform: guardduty:GetDetector',
          },
        ],
      },
    ]);
    expect(out.raw['GetDetector:d1']).toMatchObject({ error: { action: 'guardduty:GetDetector', code: 'AccessDeniedException' } });
    expect(schemas.outputProblem('guardduty.detectors', out.resources[0])).toBeUndefined();
  });

  it('a failed ListDetectors (the listing) fails the whole run', async () => {
    const { ctx } = fakeClients({ ListDetectors: awsError('AccessDeniedException', { message: 'no ListDetectors' }) });
    await expect(guarddutyDetectors.collect(ctx)).rejects.toThrow('no ListDetectors');
  });
});
