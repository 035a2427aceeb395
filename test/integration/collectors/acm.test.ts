import { describe, expect, it } from 'vitest';
import { useRegionService } from '../../helpers/region-collectors.js';

/** ACM against moto: the seeded (imported) certificates, the real collector's evidence, then every acm control against test/fixtures/estate/acm.yaml. */
const { seeded, evidence } = useRegionService('acm');

describe('acm evidence', () => {
  it('acm.certificates: key algorithm and expiry', () => {
    const certs = evidence().resources('acm.certificates', seeded.estate.management, 'us-east-1');
    const byDomain = (domain: string) => certs.find((c) => c.name === domain);
    expect(byDomain('auditpack-www.auditpack.example')).toMatchObject({ type: 'AWS::ACM::Certificate', certificateType: 'IMPORTED', keyAlgorithm: 'RSA_2048' });
    expect(byDomain('auditpack-legacy.auditpack.example')).toMatchObject({ keyAlgorithm: 'RSA_1024' });
    const days = (c: Record<string, unknown> | undefined) => (Date.parse(String(c?.notAfter)) - Date.now()) / 86_400_000;
    expect(days(byDomain('auditpack-legacy.auditpack.example'))).toBeLessThan(11);
    expect(days(byDomain('auditpack-www.auditpack.example'))).toBeGreaterThan(300);
  });
});
