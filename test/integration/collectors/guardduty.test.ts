import { describe, expect, it } from 'vitest';
import { useRegionService } from '../../helpers/region-collectors.js';

/**
 * GuardDuty against moto: the demo organisation seeded in both regions with real SDK calls, the real collectors'
 * normalised evidence, then the pipeline for every control on it against test/fixtures/estate/.
 */
const { seeded, evidence } = useRegionService('guardduty');

describe('guardduty evidence', () => {
  it('guardduty.detectors: detectors per Region', () => {
    expect(evidence().resources('guardduty.detectors', seeded.estate.management, 'us-east-1')[0]).toMatchObject({
      id: `AWS::::Account:${seeded.estate.management}`,
      enabledDetectorCount: 1,
      detectors: [expect.objectContaining({ status: 'ENABLED', findingPublishingFrequency: 'FIFTEEN_MINUTES' })],
    });
    expect(evidence().resources('guardduty.detectors', seeded.estate.management, 'eu-west-1')[0]).toMatchObject({ detectors: [], enabledDetectorCount: 0 });
    expect(evidence().resources('guardduty.detectors', seeded.estate.member, 'eu-west-1')[0]).toMatchObject({ enabledDetectorCount: 1 });
  });
});
