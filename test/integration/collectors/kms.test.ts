import { describe, expect, it } from 'vitest';
import { byName } from '../../helpers/estate.js';
import { useRegionService } from '../../helpers/region-collectors.js';

/**
 * KMS against moto: the demo organisation seeded in both regions with real SDK calls, the real collectors'
 * normalised evidence, then the pipeline for every control on it against test/fixtures/estate/.
 */
const { seeded, evidence } = useRegionService('kms');

describe('kms evidence', () => {
  it('kms.keys: rotation only where it applies', () => {
    const keys = evidence().resources('kms.keys', seeded.estate.member, 'us-east-1');
    expect(byName(keys, 'alias/auditpack-logs')).toMatchObject({ type: 'AWS::KMS::Key', keyManager: 'CUSTOMER', rotationApplicable: true, rotationEnabled: true });
    expect(byName(keys, 'alias/auditpack-app-data')).toMatchObject({ rotationApplicable: true, rotationEnabled: false });
    expect(byName(keys, 'alias/auditpack-release-signing')).toMatchObject({ keySpec: 'RSA_2048', keyUsage: 'SIGN_VERIFY', rotationApplicable: false, rotationEnabled: null });
    expect(byName(keys, 'alias/auditpack-logs').id).toMatch(new RegExp(`^arn:aws:kms:us-east-1:${seeded.estate.member}:key/`));
    const raw = evidence().record('kms.keys', seeded.estate.member, 'us-east-1').raw;
    expect(Object.keys(raw).filter((k) => k.startsWith('GetKeyRotationStatus:'))).toHaveLength(2);
  });
});
